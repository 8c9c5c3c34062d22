"""Log lines for ``wfv serve`` and ``wfv worker``: one JSON object per line (production's
default, what log shippers parse) or plain text (development's), each with the request id,
and, when traces are on and the line is logged inside a recorded span, a JSON line with the
span's ``trace_id`` and ``span_id`` (the trace a line belongs to, in the tracing backend).

One ``logging.config.dictConfig`` serves both the process itself and uvicorn, which
re-applies it in every worker process it starts (so it names classes, not instances).
"""

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any

from huey.api import PeriodicTask

from service.ops.tracing import current_ids
from service.request_context import current_request_id
from service.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request it was logged in (or ``placeholder``)."""

    def __init__(self, placeholder: str | None = None) -> None:
        super().__init__()
        self.placeholder = placeholder

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or self.placeholder
        return True


class TraceIdFilter(logging.Filter):
    """Stamps a record logged inside a recorded span with its trace and span ids (JSON
    lines show them as ``trace_id`` and ``span_id``). Installed only when traces are on."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current_ids()
        if ids is not None:
            record.trace_id, record.span_id = ids
        return True


# What a text log line may not hold as is: C0 and C1 controls (a line feed would start a
# forged line, an escape sequence would rewrite the terminal), DEL, the Unicode line and
# paragraph separators, and lone surrogates (which the stream could not even encode).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as its escape (``\\n``, ``\\u001b``)."""
    return _UNSAFE.sub(_escape, text)


class TextLineFormatter(logging.Formatter):
    """Plain text, one line per record whatever the message holds: a request path with
    ``%0a`` in it (logged before any authentication) cannot forge a line. A traceback's own
    lines follow indented, and their control characters are escaped too."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        extra = []
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            extra.append(record.exc_text)
        if record.stack_info:
            extra.append(self.formatStack(record.stack_info))
        for block in extra:
            line += "".join(f"\n    {escape_controls(part)}" for part in block.splitlines())
        return line


class JsonLineFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", "pid", ...extras}``.

    Written here, not taken from a library: it runs once per request (the access log), and
    this plain dict-and-dumps costs a third of what python-json-logger's did (measured).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class PeriodicTaskChatter(logging.Filter):
    """Huey's own INFO lines about a periodic task ("Executing …", "… executed in …"): a
    few per minute whether anything happened or not, so they count as DEBUG. Dropped,
    unless the log level is DEBUG, where they are shown as DEBUG lines."""

    def __init__(self, show: bool = False) -> None:
        super().__init__()
        self.show = show

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.levelno != logging.INFO or not args or not isinstance(args[0], PeriodicTask):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return self.show


# A record's own attributes; anything else on it came from ``extra=`` and is logged.
# (``color_message`` is uvicorn's copy of its message with terminal colours.)
_STANDARD = frozenset(
    {*vars(logging.makeLogRecord({})), "message", "asctime", "request_id", "color_message", "taskName"}
)


def logging_config(settings: Settings) -> dict[str, Any]:
    """The dictConfig for ``settings`` (``WFV_LOG_FORMAT``, ``WFV_LOG_LEVEL``)."""
    json_lines = settings.resolved_log_format == "json"
    debug = settings.log_level == "DEBUG"
    # The trace of a line, when traces are on (else not even looked for).
    traced = ["trace_ids"] if settings.otlp_endpoint else []
    formatter: dict[str, Any] = (
        {"()": JsonLineFormatter} if json_lines else {"()": TextLineFormatter, "fmt": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter, "placeholder": None if json_lines else "-"},
            "trace_ids": {"()": TraceIdFilter},
            "periodic_chatter": {"()": PeriodicTaskChatter, "show": debug},
        },
        "formatters": {"wfv": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "wfv",
                "filters": ["request_id", *traced],
            }
        },
        # uvicorn's own lines go through the same handler; its access log is replaced by
        # ours (``wfv.access``, written by service/api/observe.py with the route template).
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            # Huey's consumer lists every task it knows at start and says when it stops: DEBUG.
            "huey.consumer": {"level": "DEBUG" if debug else "WARNING"},
            "huey": {"filters": ["periodic_chatter"]},
        },
        "root": {"level": settings.log_level, "handlers": ["stderr"]},
    }


def configure_logging(settings: Settings) -> dict[str, Any]:
    """Configure this process; returns the config for uvicorn to apply in its workers."""
    config = logging_config(settings)
    logging.config.dictConfig(config)
    return config
