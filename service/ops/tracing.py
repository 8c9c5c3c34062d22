"""Traces with OpenTelemetry: off unless ``WFV_OTLP_ENDPOINT`` names a collector.

A process turns them on where it starts (``wfv serve``, ``wfv worker``, ``create_app``)
with :func:`configure_tracing`. Off, nothing of the SDK is imported and nothing is
recorded: the HTTP layer gets no tracing middleware, the engine no listeners, and the
spans below go to the API's no-op tracer (a use case checks one attribute and calls
through). On, one ``TracerProvider`` of wfv's own (``service.name=wfv``) batches spans to
the collector over OTLP/HTTP; it is not installed as OpenTelemetry's global provider, so
what wfv records is only what wfv chose to (and tests can turn it on and off again).

What becomes a span, and where it is made:

- the HTTP request (a server span, ``TracedRequests`` around the whole app; named by its
  route template in ``service/api/observe.py``);
- a use case (:func:`use_case` on the functions that change something);
- git writes (``repo_store``: commits, tags, notes, ref moves; given :func:`tracer`);
- SQL (:func:`instrument_engine`: OpenTelemetry's SQLAlchemy listeners, ``indexer.spans``);
- a Huey task (``tasks/queue.py``), a child of the span that enqueued it: the W3C
  ``traceparent`` rides in the task's message (:func:`outgoing`, :func:`task_span`).

Span attributes carry ids only (tenant, workflow, version number, migration): never user
text. Hence the HTTP span never sees the query string or any header but the trace
context, failures are recorded by their exception's type alone, and a failed statement's
database message (which can quote a row's values) is not kept.
"""

import functools
import inspect
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import NoOpTracer, Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from service.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from sqlalchemy import Engine
    from starlette.types import ASGIApp, Receive, Scope, Send

P = ParamSpec("P")
R = TypeVar("R")

SERVICE_NAME = "wfv"
TENANT = "wfv.tenant_id"
WORKFLOW = "wfv.workflow_id"
VERSION = "wfv.version"
MIGRATION = "wfv.migration_id"
REVIEW = "wfv.review_id"
TASK = "wfv.task"
# The W3C trace context, and nothing else: baggage is the caller's text.
_W3C = TraceContextTextMapPropagator()
# Probes and scrapes: every few seconds, and nothing to follow.
_UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_PROPAGATED_HEADERS = frozenset({b"traceparent", b"tracestate"})
_ORIGINAL_SCOPE = "wfv.original_scope"


class _State:
    provider: "TracerProvider | None" = None
    tracer: Tracer = NoOpTracer()


_state = _State()


def _service_version() -> str:
    try:
        return version("wfv")
    except PackageNotFoundError:
        return "unknown"


def traces_url(endpoint: str) -> str:
    """Where spans go: ``<endpoint>/v1/traces``, as OpenTelemetry's own
    ``OTEL_EXPORTER_OTLP_ENDPOINT`` is read (an endpoint already ending so is kept)."""
    path = urlsplit(endpoint).path.rstrip("/")
    return endpoint if path.endswith("/v1/traces") else f"{endpoint.rstrip('/')}/v1/traces"


def configure_tracing(settings: Settings) -> bool:
    """Turn traces on for this process if ``settings`` name a collector (once: a process
    already tracing keeps its provider). Whether this process traces."""
    if _state.provider is None and settings.otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        install(OTLPSpanExporter(endpoint=traces_url(settings.otlp_endpoint)))
    return enabled()


def install(exporter: "SpanExporter", *, batch: bool = True) -> "TracerProvider":
    """Trace this process into ``exporter``: in batches from a background thread (the
    OTLP exporter), or each span as it ends (``batch=False``: the tests' in-memory one).
    The sampler and the exporter's tuning follow the standard ``OTEL_*`` variables."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    uninstall()
    # OTEL_RESOURCE_ATTRIBUTES adds to these (a deployment's name, a host); ours win.
    resource = Resource.create({"service.name": SERVICE_NAME, "service.version": _service_version()})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    _state.provider = provider
    _state.tracer = provider.get_tracer(SERVICE_NAME, _service_version())
    return provider


def uninstall() -> None:
    """Stop tracing: what is batched is sent, later spans are no-ops."""
    provider, _state.provider, _state.tracer = _state.provider, None, NoOpTracer()
    if provider is not None:
        provider.shutdown()


def enabled() -> bool:
    return _state.provider is not None


def tracer() -> Tracer:
    """The tracer of this process: wfv's provider's, or the no-op one when off."""
    return _state.tracer


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the span this code runs in (a request's, a task's), or
    None when there is none: what a webhook's outbox stores with the change, and its
    delivery sends, so the receiver's trace continues ours."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent")


def outgoing() -> dict[str, str] | None:
    """The trace context to carry to work done elsewhere (a queued task), or None."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier or None


def _parent(carrier: Mapping[str, str] | None) -> Context | None:
    if not carrier:
        return None
    known = {key: value for key, value in carrier.items() if isinstance(value, str)}
    return _W3C.extract(known)


def current_ids() -> tuple[str, str] | None:
    """(trace id, span id) in hex of the sampled span this code runs in, for log lines
    (the request's access line too, written as its span has just ended)."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid or not context.trace_flags.sampled:
        return None
    return trace.format_trace_id(context.trace_id), trace.format_span_id(context.span_id)


def _failed(span: Span, exc: BaseException) -> None:
    """A failure by its type alone: an exception's text may quote what a user sent."""
    kind = type(exc).__name__
    span.set_attribute("error.type", kind)
    span.set_status(Status(StatusCode.ERROR, kind))


@contextmanager
def span(name: str, attributes: Mapping[str, str | int] | None = None) -> Iterator[Span]:
    """A span of wfv's tracer (a no-op one when off), failures recorded by type only."""
    with _state.tracer.start_as_current_span(
        name, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield current
        except BaseException as exc:
            _failed(current, exc)
            raise


@contextmanager
def task_span(name: str, carrier: Mapping[str, str] | None) -> Iterator[None]:
    """A Huey task's span, the child of the span that enqueued it (``carrier``)."""
    if _state.provider is None:
        yield
        return
    with _state.tracer.start_as_current_span(
        f"task {name}",
        context=_parent(carrier),
        kind=SpanKind.CONSUMER,
        attributes={TASK: name, "messaging.system": "huey"},
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield
        except BaseException as exc:
            _failed(current, exc)
            raise


# What a use case's parameters say about what it changes, as span attributes.
def _text_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _id_of(value: Any) -> str | None:
    return str(value) if isinstance(value, uuid.UUID) else _text_of(value)


def _version_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_PARAMETERS: dict[str, tuple[str, Callable[[Any], str | int | None]]] = {
    "uow": (TENANT, lambda uow: _text_of(getattr(uow, "tenant", None))),
    "principal": (TENANT, lambda principal: _text_of(getattr(principal, "tenant_id", None))),
    "tenant_id": (TENANT, _text_of),
    "tenant": (TENANT, _text_of),
    "workflow_id": (WORKFLOW, _id_of),
    "target": (WORKFLOW, lambda target: _id_of(getattr(target, "workflow_id", None))),
    "migration_id": (MIGRATION, _id_of),
    "review_id": (REVIEW, _id_of),
    "ref": (VERSION, _version_of),
    "target_ref": (VERSION, _version_of),
}


def use_case(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A span around a use case, named ``name`` (``version.publish``), with the ids its
    parameters name (``uow``'s tenant, ``workflow_id``, a version number, a migration) and
    the number of the version it returns. Off, the function is called as it is."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(func)
        known = [parameter for parameter in signature.parameters if parameter in _PARAMETERS]

        @functools.wraps(func)
        def traced(*args: P.args, **kwargs: P.kwargs) -> R:
            if _state.provider is None:
                return func(*args, **kwargs)
            bound = signature.bind_partial(*args, **kwargs).arguments
            attributes: dict[str, str | int] = {}
            for parameter in known:
                key, read = _PARAMETERS[parameter]
                value = read(bound.get(parameter))
                if value is not None:
                    attributes[key] = value
            with span(name, attributes) as current:
                result = func(*args, **kwargs)
                number = _version_of(getattr(result, "version_number", None))
                if number is not None:
                    current.set_attribute(VERSION, number)
                return result

        return traced

    return decorate


def instrument_engine(engine: "Engine") -> None:
    """SQL spans for ``engine`` (``indexer.spans``); nothing when off."""
    if _state.provider is None:
        return
    from indexer.spans import trace_statements

    trace_statements(engine, _state.tracer)


class TracedRequests:
    """The server span of every HTTP request, by OpenTelemetry's ASGI middleware, around
    the whole app (the access-log line is written inside it, with the trace id). The
    middleware is shown the request without its query string and with no header but the
    trace context (a URL's query and a user agent are the caller's text); the app behind it
    gets the request as it came. Probes and scrapes are not traced."""

    def __init__(self, app: "ASGIApp") -> None:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        self.app = app
        self.traced = OpenTelemetryMiddleware(
            self._behind,
            default_span_details=_span_details,
            tracer=_state.tracer,
            exclude_spans=["receive", "send"],
        )

    async def __call__(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
        if scope["type"] != "http" or scope["path"] in _UNTRACED_PATHS or _state.provider is None:
            await self.app(scope, receive, send)
            return
        shown = {
            **scope,
            "query_string": b"",
            "headers": [(name, value) for name, value in scope["headers"] if name in _PROPAGATED_HEADERS],
            _ORIGINAL_SCOPE: scope,
        }
        await self.traced(shown, receive, send)

    async def _behind(self, scope: "Scope", receive: "Receive", send: "Send") -> None:
        await self.app(scope[_ORIGINAL_SCOPE], receive, send)


def _span_details(scope: "Scope") -> tuple[str, dict[str, Any]]:
    """The method alone until routing knows the template (``name_request``)."""
    method = scope.get("method", "HTTP")
    return (method if method in _METHODS else "HTTP"), {}


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def name_request(method: str, route: str) -> None:
    """Name the request's server span by its route template (``POST
    /api/v1/workflows/{workflow_id}/versions/{version}/publish``), once routing found it."""
    current = trace.get_current_span()
    if current.is_recording():
        current.update_name(f"{method} {route}")
        current.set_attribute("http.route", route)
