"""Request body bound, enforced before anything parses the body."""

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.problems import problem_response

# The engine's batches: enrolment and position reports (POST).
_BATCH = re.compile(r"^/api/v1/workflows/[^/]+/executions(?:/positions)?$")


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it instead of calling it a
    malformed body; rendered as a 413 problem either way."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request bodies are limited to {limit} bytes")


class BodyLimitMiddleware:
    """413 problem for a body over ``max_bytes``, by Content-Length or by counting chunks.

    Paths under ``exempt_prefixes`` (git pushes, which outgrow a JSON body) bound their
    bodies themselves, with a limit of their own. The engine's batches (enrolment and
    position reports, 10,000 items a request) get ``batch_bytes``: 10,000 moves that name
    their base are over a megabyte, and the contract asks engines to send bases.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, exempt_prefixes: tuple[str, ...] = (), batch_bytes: int = 0
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt_prefixes = exempt_prefixes
        self.batch_bytes = max(batch_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        limit = self.batch_bytes if scope.get("method") == "POST" and _BATCH.match(path) else self.max_bytes
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._reject(scope, receive, send, limit)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._reject(scope, receive, send, limit)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "Payload too large",
            "payload-too-large",
            f"request bodies are limited to {limit} bytes",
        )
        await response(scope, receive, send)
