"""The web UI: the standalone React app of ``web/`` (docs/web.md), served by the service
itself at ``/ui``.

``./scripts/web`` (run by ``make serve`` and ``make test``, and by the image's build stage)
builds it into ``app/`` beside this module, which a wheel ships as package data; the
browser talks to the same ``/api/v1`` as everyone else (the server enforces every
permission; the UI only explains them). A checkout that was never built serves a page that
says how to build it, rather than a bare 404 or an older UI.

The page itself is answered with a fresh nonce for the ``<style>`` elements the app inserts
(its editor, its dialogs), in the page and in that answer's Content-Security-Policy: the
policy stays without ``'unsafe-inline'``.
"""

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from service.api.security_headers import ui_page_policy

APP = Path(__file__).parent / "app"
# Where the built page wants the nonce (web/src/app/index.html).
NONCE_SLOT = "__WFV_CSP_NONCE__"

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wfv: the web UI is not built</title></head>
<body><main><h1>The web UI is not built</h1>
<p>The API works; the UI's files are built from <code>web/</code> with Node.js and npm:
run <code>./scripts/web</code> (or <code>make serve</code>) in the checkout, then reload.</p>
</main></body></html>
"""


class BuiltFiles(StaticFiles):
    """The build's files. Vite names each asset by a hash of its content, so an asset never
    changes under its name: browsers keep it for a year without asking again, and a new
    build's page names new files."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if path.startswith("assets/") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def mount_ui(app: FastAPI) -> None:
    """Serve the built app at ``/ui/`` (``index.html`` for the folder itself), and send a
    browser opened at the bare address there (a JSON 404 told a newcomer nothing)."""
    if (APP / "index.html").is_file():
        page = (APP / "index.html").read_text()

        def ui_page() -> HTMLResponse:
            """The page, with a nonce of its own (never cached: the next answer has another)."""
            nonce = secrets.token_urlsafe(18)
            headers = {"Content-Security-Policy": ui_page_policy(nonce), "Cache-Control": "no-store"}
            return HTMLResponse(page.replace(NONCE_SLOT, nonce), headers=headers)

        for path in ("/ui/", "/ui/index.html"):
            app.add_api_route(path, ui_page, methods=["GET", "HEAD"], include_in_schema=False)
        app.mount("/ui", BuiltFiles(directory=APP, html=True), name="ui")
    else:
        app.add_api_route("/ui/{path:path}", _not_built, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/", _to_ui, methods=["GET", "HEAD"], include_in_schema=False)


def _to_ui(request: Request) -> RedirectResponse:
    """307 to ``/ui/`` (below the proxy's prefix, if one serves us under a path)."""
    return RedirectResponse(f"{request.scope.get('root_path', '')}/ui/", status_code=307)


def _not_built() -> HTMLResponse:
    """503: the service runs, but this part of it was not built."""
    return HTMLResponse(NOT_BUILT, status_code=503)
