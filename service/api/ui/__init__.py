"""The web UI: the standalone React app of ``web/`` (docs/web.md), served by the service
itself at ``/ui``.

``./scripts/web`` (run by ``make serve`` and ``make test``, and by the image's build stage)
builds it into ``app/`` beside this module, which a wheel ships as package data; the
browser talks to the same ``/api/v1`` as everyone else (the server enforces every
permission; the UI only explains them). A checkout that was never built serves a page that
says how to build it, rather than a bare 404 or an older UI.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

APP = Path(__file__).parent / "app"

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wfv: the web UI is not built</title></head>
<body><main><h1>The web UI is not built</h1>
<p>The API works; the UI's files are built from <code>web/</code> with Node.js and npm:
run <code>./scripts/web</code> (or <code>make serve</code>) in the checkout, then reload.</p>
</main></body></html>
"""


def mount_ui(app: FastAPI) -> None:
    """Serve the built app at ``/ui/`` (``index.html`` for the folder itself), and send a
    browser opened at the bare address there (a JSON 404 told a newcomer nothing)."""
    if (APP / "index.html").is_file():
        app.mount("/ui", StaticFiles(directory=APP, html=True), name="ui")
    else:
        app.add_api_route("/ui/{path:path}", _not_built, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/", _to_ui, methods=["GET", "HEAD"], include_in_schema=False)


def _to_ui(request: Request) -> RedirectResponse:
    """307 to ``/ui/`` (below the proxy's prefix, if one serves us under a path)."""
    return RedirectResponse(f"{request.scope.get('root_path', '')}/ui/", status_code=307)


def _not_built(path: str) -> HTMLResponse:
    """503: the service runs, but this part of it was not built."""
    return HTMLResponse(NOT_BUILT, status_code=503)
