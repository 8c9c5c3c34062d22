"""Traces (service/ops/tracing.py), in the test process so the SDK's in-memory exporter
sees every span: a real uvicorn server (in a thread) in front of the app, and a real Huey
consumer (threads) reading the SQLite queue, on both databases.

One publish is one connected trace: the request's server span is its root, the use case
its child, the git writes and the SQL statements below. A migration started by a request
runs in a task whose span continues the request's trace, carried through the queue by
the message's ``traceparent``. Span attributes hold ids, never what a user typed. Off
(no ``WFV_OTLP_ENDPOINT``), nothing traces."""

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NoOpTracer, SpanKind

from indexer.revisions import upgrade
from service.api.app import create_app
from service.api.observe import RequestObserver
from service.container import Container, build_container
from service.ops import tracing
from service.ops.logs import JsonLineFormatter, TraceIdFilter, logging_config
from service.settings import Settings
from tasks import runtime
from tasks.periodic import create_consumer
from tasks.queue import TRACE_CONTEXT, huey
from tests.conftest import TokenFactory
from tests.e2e.helpers import free_port
from tests.factories import example, waiting_contacts
from tests.webhook_receiver import Receiver, receiving

# Named so traces are on; never reached: the spans go to the in-memory exporter.
COLLECTOR = "http://127.0.0.1:4318"
# What a user typed: it must never become a span attribute.
USER_TEXT = "Secret launch plan of ACME"
API = "/api/v1/workflows"
# What the queue tests' tasks were called with (registered once, on the one queue).
QUEUED: list[dict[str, Any]] = []


@huey.task()  # type: ignore[untyped-decorator]
def remember_arguments(**kwargs: Any) -> None:
    QUEUED.append(kwargs)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.install(exporter, batch=False)
    yield exporter
    tracing.uninstall()


@pytest.fixture
def traced(settings: Settings, spans: InMemorySpanExporter) -> Iterator[Container]:
    """The service with traces on and a SQLite queue, consumed by a real consumer here."""
    on = Settings(
        **{
            **settings.model_dump(),
            "otlp_endpoint": COLLECTOR,
            "queue": "sqlite",
            "webhook_allow_http": True,
            "webhook_allow_private_networks": True,
        },
        _env_file=None,
    )
    built = build_container(on)
    if on.resolved_database_url.startswith("sqlite"):
        upgrade(built.engine)
    import tasks.migrations  # (registers the migration runner)
    import tasks.webhooks  # noqa: F401  (registers the webhook delivery)

    runtime.configure(built)
    consumer = create_consumer(huey, workers=1, periodic=False, worker_type="thread")
    consumer.start()
    try:
        yield built
    finally:
        consumer.stop(graceful=True)
        huey.configure(Settings(queue="memory", _env_file=None))
        built.close()


@pytest.fixture
def server(traced: Container) -> Iterator[str]:
    """A real uvicorn server on the traced app, in a thread of this process."""
    port = free_port()
    config = uvicorn.Config(
        create_app(container=traced), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server did not start in time"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(15)


def _call(base: str, headers: dict[str, str], method: str, path: str, status: int, **body: Any) -> Any:
    response = httpx.request(method, f"{base}{path}", json=body or None, headers=headers, timeout=30)
    assert response.status_code == status, response.text
    return response.json()


def _trace_of(spans: list[ReadableSpan], root: ReadableSpan) -> list[ReadableSpan]:
    """Every span of ``root``'s trace, checked to be one tree under ``root``."""
    assert root.context is not None
    found = [s for s in spans if s.context is not None and s.context.trace_id == root.context.trace_id]
    ids = {s.context.span_id for s in found if s.context is not None}
    assert [s for s in found if s.parent is None] == [root]  # one root: the request
    for child in found:
        assert child.parent is None or child.parent.span_id in ids, f"{child.name} hangs off nothing"
    return found


def _ancestors(span: ReadableSpan, trace: list[ReadableSpan]) -> list[str]:
    by_id = {s.context.span_id: s for s in trace if s.context is not None}
    names, parent = [], span.parent
    while parent is not None:
        above = by_id[parent.span_id]
        names.append(above.name)
        parent = above.parent
    return names


def _server_span(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.kind == SpanKind.SERVER and s.name == name]
    assert len(found) == 1, sorted(s.name for s in spans if s.kind == SpanKind.SERVER)
    return found[0]


def _no_user_text(spans: list[ReadableSpan]) -> None:
    for span in spans:
        for key, value in (span.attributes or {}).items():
            assert USER_TEXT not in str(value), f"{span.name}: {key} holds user text"
        assert USER_TEXT not in span.name


def _the_one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


def test_a_publish_is_one_connected_trace_and_its_migration_task_continues_a_trace(
    traced: Container, server: str, spans: InMemorySpanExporter, auth: TokenFactory
) -> None:
    headers = auth("workflows:admin")
    created = _call(server, headers, "POST", API, 201, name=USER_TEXT, definition=example("welcome-small"))
    wid = created["id"]
    _call(server, headers, "POST", f"{API}/{wid}/versions/1/publish", 200, message=USER_TEXT)
    waiting_contacts(traced, uuid.UUID(wid), uuid.UUID(created["version"]["id"]), 5)
    _call(server, headers, "POST", f"{API}/{wid}/versions", 201, definition=example("welcome-small-a"))
    spans.clear()

    _call(server, headers, "POST", f"{API}/{wid}/versions/2/publish", 200, message=USER_TEXT)

    finished = list(spans.get_finished_spans())
    request = _server_span(finished, "POST /api/v1/workflows/{workflow_id}/versions/{version}/publish")
    trace = _trace_of(finished, request)
    assert (request.attributes or {})[
        "http.route"
    ] == "/api/v1/workflows/{workflow_id}/versions/{version}/publish"
    assert (request.attributes or {})["http.status_code"] == 200
    publish = _the_one(trace, "version.publish")
    assert publish.parent is not None
    assert publish.parent.span_id == request.context.span_id
    assert dict(publish.attributes or {}) == {
        tracing.TENANT: "acme",
        tracing.WORKFLOW: wid,
        tracing.VERSION: 2,
    }
    for git_write in ("git.commit", "git.tag", "git.update_refs"):
        written = [s for s in trace if s.name == git_write]
        assert written, f"no {git_write} span"
        assert all("version.publish" in _ancestors(s, trace) for s in written)
    statements = [s for s in trace if "db.system" in (s.attributes or {})]
    assert any("version.publish" in _ancestors(s, trace) for s in statements)
    assert all(s.kind == SpanKind.CLIENT for s in statements)
    _no_user_text(finished)

    # A migration: the request enqueues, the consumer thread runs it from the SQLite queue.
    spans.clear()
    _call(server, headers, "POST", f"{API}/{wid}/versions/2/migrate", 202, from_versions=[1])
    task = _wait_for_span(spans, "task run_migration")
    finished = list(spans.get_finished_spans())
    request = _server_span(finished, "POST /api/v1/workflows/{workflow_id}/versions/{version}/migrate")
    trace = _trace_of(finished, request)
    assert task in trace
    assert task.kind == SpanKind.CONSUMER
    assert _ancestors(task, trace) == [request.name]  # enqueued after the commit, in the request
    assert _the_one(trace, "migration.start").attributes[tracing.VERSION] == 2  # type: ignore[index]
    batches = _the_one(trace, "migration.batches")
    assert _ancestors(batches, trace)[0] == "task run_migration"
    assert batches.attributes[tracing.TENANT] == "acme"  # type: ignore[index]
    assert any(
        "migration.batches" in _ancestors(s, trace) for s in trace if "db.system" in (s.attributes or {})
    )
    _no_user_text(finished)


def test_a_publish_s_webhook_delivery_continues_its_trace(
    traced: Container, server: str, spans: InMemorySpanExporter, auth: TokenFactory
) -> None:
    """The event written with the publish keeps the request's ``traceparent``; the delivery
    task runs in the request's trace and sends it on, so the receiver's trace continues ours."""
    headers = auth("workflows:admin")
    with receiving(Receiver()) as receiver:
        _call(
            server,
            headers,
            "POST",
            "/api/v1/admin/webhooks",
            201,
            url=receiver.url,
            event_types=["version.published"],
        )
        created = _call(
            server, headers, "POST", API, 201, name=USER_TEXT, definition=example("welcome-small")
        )
        spans.clear()
        _call(server, headers, "POST", f"{API}/{created['id']}/versions/1/publish", 200)
        task = _wait_for_span(spans, "task deliver_webhook")
        [delivered] = receiver.wait_for(1, 30)
    finished = list(spans.get_finished_spans())
    request = _server_span(finished, "POST /api/v1/workflows/{workflow_id}/versions/{version}/publish")
    trace = _trace_of(finished, request)
    assert task in trace
    assert _ancestors(task, trace) == [request.name]
    assert request.context is not None
    sent = delivered.headers["traceparent"].split("-")
    assert sent[1] == f"{request.context.trace_id:032x}"  # the request's trace, carried to the receiver
    assert json.loads(delivered.body)["type"] == "version.published"
    _no_user_text(finished)


def _wait_for_span(spans: InMemorySpanExporter, name: str) -> ReadableSpan:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [s for s in spans.get_finished_spans() if s.name == name]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no {name} span: {[s.name for s in spans.get_finished_spans()]}")


def test_a_caller_s_trace_context_is_continued_and_logged(
    traced: Container, spans: InMemorySpanExporter, auth: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A caller that sends ``traceparent`` gets its trace continued; a JSON log line written
    inside the request carries the trace's id; ``current_traceparent`` names the span."""
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    seen: list[str | None] = []
    app = create_app(container=traced)

    @app.get("/api/v1/_probe_traceparent")
    def probe() -> dict[str, str]:
        seen.append(tracing.current_traceparent())
        logging.getLogger("wfv.test").warning("inside")
        return {}

    with TestClient(app) as client, caplog.at_level(logging.WARNING, logger="wfv.test"):
        client.get(
            "/api/v1/_probe_traceparent", headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"}
        )
    request = next(s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER)
    assert request.context is not None
    assert f"{request.context.trace_id:032x}" == caller_trace
    assert request.parent is not None
    assert f"{request.parent.span_id:016x}" == "00f067aa0ba902b7"
    assert seen == [f"00-{caller_trace}-{request.context.span_id:016x}-01"]
    record = next(r for r in caplog.records if r.getMessage() == "inside")
    # What the JSON line of that record says, once the filter of a traced process stamped it
    # (caplog keeps the record as logged: the stamp comes from the live span, re-created here).
    assert "trace_ids" in logging_config(traced.settings)["filters"]
    with tracing.span("stamp"):
        TraceIdFilter().filter(record)
    line = json.loads(JsonLineFormatter().format(record))
    assert len(line["trace_id"]) == 32
    assert len(line["span_id"]) == 16


def test_traces_are_off_unless_an_endpoint_is_set(
    container: Container, auth: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """No ``WFV_OTLP_ENDPOINT`` (the default): no provider, no exporter, no tracing
    middleware, no listeners on the engine, no trace context in queued tasks."""
    assert container.settings.otlp_endpoint is None
    assert not tracing.configure_tracing(container.settings)
    assert not tracing.enabled()
    assert isinstance(tracing.tracer(), NoOpTracer)
    assert isinstance(container.store.tracer, NoOpTracer)
    assert not container.engine.dispatch.before_cursor_execute
    assert "trace_ids" not in logging_config(container.settings)["handlers"]["stderr"]["filters"]
    app = create_app(container=container)
    headers = auth("workflows:admin")
    with TestClient(app) as client:
        wid = client.post(
            API, json={"name": "w", "definition": example("welcome-small")}, headers=headers
        ).json()["id"]
        assert client.post(f"{API}/{wid}/versions/1/publish", headers=headers).status_code == 200
        assert tracing.current_traceparent() is None
        stack = client.app.middleware_stack  # type: ignore[attr-defined]
    assert isinstance(stack, RequestObserver)
    assert not stack.traced
    assert not tracing.enabled()

    QUEUED.clear()
    message = huey.serialize_task(remember_arguments.s())
    assert TRACE_CONTEXT not in huey.deserialize_task(message).kwargs
    remember_arguments()
    assert QUEUED == [{}]


def test_a_task_enqueued_inside_a_span_carries_its_context_and_runs_as_its_child(
    spans: InMemorySpanExporter,
) -> None:
    """The memory queue serialises the message too: the context rides as plain JSON, and
    is taken out before the task's function sees its arguments."""
    QUEUED.clear()
    with tracing.span("enqueuer") as parent:
        remember_arguments()
    assert QUEUED == [{}]
    task = _the_one(list(spans.get_finished_spans()), "task remember_arguments")
    assert task.parent is not None
    assert task.parent.span_id == parent.get_span_context().span_id
