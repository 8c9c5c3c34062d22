"""SQL spans: OpenTelemetry's SQLAlchemy listeners on one engine, given the tracer of the
process (``service.ops.tracing``, which calls this only when traces are on).

Its ``EngineTracer`` and not its instrumentor: the instrumentor also wraps
``create_engine`` for the whole process, while only the service's engine is traced here
(and derived ones: ``execution_options`` engines share its listeners). A span holds the
statement with its placeholders, never the parameters; a failed statement is recorded by
its exception's type alone, since a database's message can quote a row's values (a
check constraint's failing row).
"""

from typing import Any

from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeter
from opentelemetry.trace import Status, StatusCode, Tracer
from sqlalchemy import Engine, event


def trace_statements(engine: Engine, tracer: Tracer) -> None:
    usage = NoOpMeter("wfv").create_up_down_counter("db.client.connections.usage")
    EngineTracer(tracer, engine, usage)  # type: ignore[no-untyped-call]
    # Ahead of the library's own handler, which would keep the database's message.
    event.listen(engine, "handle_error", _statement_failed, insert=True)


def _statement_failed(context: Any) -> None:
    execution = context.execution_context
    span = getattr(execution, "_otel_span", None)
    if span is None:
        return
    execution._otel_span = None  # the library's handler finds nothing left to end
    if span.is_recording():
        kind = type(context.original_exception).__name__
        span.set_attribute("error.type", kind)
        span.set_status(Status(StatusCode.ERROR, kind))
    span.end()
