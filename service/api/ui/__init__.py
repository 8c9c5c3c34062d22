"""The web UI: static files served by the service itself at ``/ui``.

Plain HTML, one ES module and one stylesheet, vendored in ``static/``: nothing to build
with Node at install time, and the browser talks to the same ``/api/v1`` as everyone
else (the server enforces every permission; the UI only explains them).
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount_ui(app: FastAPI) -> None:
    """Serve ``static/`` at ``/ui/`` (``index.html`` for the folder itself)."""
    app.mount("/ui", StaticFiles(directory=STATIC, html=True), name="ui")
