"""The web UI: static files served by the service itself at ``/ui``.

Plain HTML, one ES module and one stylesheet, vendored in ``static/``: nothing to build
with Node at install time, and the browser talks to the same ``/api/v1`` as everyone
else (the server enforces every permission; the UI only explains them).
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount_ui(app: FastAPI) -> None:
    """Serve ``static/`` at ``/ui/`` (``index.html`` for the folder itself), and send a
    browser opened at the bare address there (a JSON 404 told a newcomer nothing)."""
    app.mount("/ui", StaticFiles(directory=STATIC, html=True), name="ui")
    app.add_api_route("/", _to_ui, methods=["GET", "HEAD"], include_in_schema=False)


def _to_ui(request: Request) -> RedirectResponse:
    """307 to ``/ui/`` (below the proxy's prefix, if one serves us under a path)."""
    return RedirectResponse(f"{request.scope.get('root_path', '')}/ui/", status_code=307)
