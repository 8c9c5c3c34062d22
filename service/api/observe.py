"""Every request once: its id, its latency in the metrics, one access-log line.

A pure ASGI middleware (``BaseHTTPMiddleware`` costs a task and a memory stream per
request), wrapped around the whole app, outside Starlette's error middleware, so a 500
answer is timed, logged and carries its ``X-Request-ID`` like any other.
"""

import logging
import time

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.ops import metrics, tracing
from service.request_context import (
    REQUEST_ID_HEADER,
    accept_request_id,
    bind_request_id,
    unbind_request_id,
)

access_log = logging.getLogger("wfv.access")

UNMATCHED = "unmatched"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_HEADER = REQUEST_ID_HEADER.encode("latin-1")


def route_label(scope: Scope) -> str:
    """The route *template* that answered (``/api/v1/workflows/{workflow_id}``): never the
    raw path, whose ids would make one time series per workflow."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if "endpoint" in scope and scope.get("root_path"):
        return f"{scope['root_path']}/*"  # a mounted app (the web UI's static files)
    return UNMATCHED


def _method(scope: Scope) -> str:
    return scope["method"] if scope["method"] in _METHODS else "OTHER"


class RequestObserver:
    def __init__(self, app: ASGIApp, *, traced: bool = False) -> None:
        self.app = app
        # Inside a server span (service.ops.tracing): named here by its route template.
        self.traced = traced
        # label values -> histogram child: skips prometheus_client's label lock per request.
        self._series: dict[tuple[str, str, str], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == _HEADER:
                incoming = value
                break
        request_id = accept_request_id(incoming)
        token = bind_request_id(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if self.traced:  # the server span ends with the body: named before it
                    tracing.name_request(_method(scope), route_label(scope))
                message["headers"] = [*message.get("headers", ()), (_HEADER, request_id.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started, request_id)
            unbind_request_id(token)

    def _record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        method = _method(scope)
        route = route_label(scope)
        key = (method, route, str(status))
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = metrics.HTTP_DURATION.labels(*key)
        series.observe(seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s %.1fms",
                method,
                scope["path"],
                status,
                seconds * 1000,
                extra={
                    "method": method,
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "request_id": request_id,
                },
            )
