"""The headers every answer carries: no MIME sniffing, no framing, no referrer, and a
Content-Security-Policy that lets a page load only what it needs.

The API answers JSON, which no browser should ever render or run: ``default-src 'none'``.
The web UI (``/ui``) is one HTML page, one ES module tree and one stylesheet, all from
this origin, with no inline script: ``'self'`` and nothing else. Its editor and dialogs
insert ``<style>`` elements, which carry a nonce the page's own answer gives and allows
(``ui_page_policy``); every other ``/ui`` answer allows no inline style at all. FastAPI's
``/docs`` and ``/redoc`` pages load their scripts from a CDN and start them with an inline
script, so they get a policy that allows exactly that (and can be turned off altogether,
``WFV_DOCS_ENABLED``). A pure ASGI middleware, outermost, so error answers carry them too.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


def ui_page_policy(nonce: str) -> str:
    """The UI page's own policy: ``UI_POLICY`` plus the ``<style>`` elements with ``nonce``."""
    return UI_POLICY.replace("style-src 'self';", f"style-src 'self' 'nonce-{nonce}';")


_CDN = "https://cdn.jsdelivr.net"
_FONTS_CSS, _FONTS = "https://fonts.googleapis.com", "https://fonts.gstatic.com"
DOCS_POLICY = (
    f"default-src 'none'; script-src {_CDN} 'unsafe-inline'; style-src {_CDN} {_FONTS_CSS} 'unsafe-inline'; "
    f"img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; font-src {_FONTS}; "
    "connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
)
_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_DOCS_PATHS = ("/docs", "/redoc")


def policy_for(path: str) -> str:
    if path == "/ui" or path.startswith("/ui/"):
        return UI_POLICY
    if path.startswith(_DOCS_PATHS):
        return DOCS_POLICY
    return API_POLICY


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = [*_COMMON, (b"content-security-policy", policy_for(scope["path"]).encode("ascii"))]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [
                    *message.get("headers", ()),
                    *(header for header in added if header[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
