"""Log lines for ``wfv serve`` and ``wfv worker``: one JSON object per line (production's
default, what log shippers parse) or plain text (development's), each with the request id.

One ``logging.config.dictConfig`` serves both the process itself and uvicorn, which
re-applies it in every worker process it starts (so it names classes, not instances).
"""

import logging
import logging.config
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

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


class JsonLineFormatter(JsonFormatter):
    """``{"time", "level", "logger", "message", "request_id", "pid", ...extras}``."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message", "request_id", "process"],
            rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
            timestamp="time",
            # uvicorn's copy of its message with terminal colours.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )

    def add_fields(
        self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_record, record, message_dict)
        fields = dict(log_record)
        log_record.clear()
        log_record["time"] = fields.pop("time")  # first, where a reader looks for it
        log_record.update(fields)


def logging_config(settings: Settings) -> dict[str, Any]:
    """The dictConfig for ``settings`` (``WFV_LOG_FORMAT``, ``WFV_LOG_LEVEL``)."""
    json_lines = settings.resolved_log_format == "json"
    formatter: dict[str, Any] = {"()": JsonLineFormatter} if json_lines else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter, "placeholder": None if json_lines else "-"}},
        "formatters": {"wfv": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "wfv",
                "filters": ["request_id"],
            }
        },
        # uvicorn's own lines go through the same handler; its access log is replaced by
        # ours (``wfv.access``, written by service/observe.py with the route template).
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
        "root": {"level": settings.log_level, "handlers": ["stderr"]},
    }


def configure_logging(settings: Settings) -> dict[str, Any]:
    """Configure this process; returns the config for uvicorn to apply in its workers."""
    config = logging_config(settings)
    logging.config.dictConfig(config)
    return config
