"""What ``wfv serve`` keeps to DEBUG: Huey's per-tick lines about periodic tasks and its
start-up listing; a task someone asked for still shows at INFO. And ``/`` leads to the UI."""

import logging
from pathlib import Path

from fastapi.testclient import TestClient
from huey import MemoryHuey, crontab

from service.ops.logs import PeriodicTaskChatter, logging_config
from service.settings import Settings


def _records(level: str) -> tuple[list[logging.LogRecord], list[logging.LogRecord]]:
    """Huey's "Executing" line for a periodic task and for an ordinary one, through the
    filter ``wfv serve`` configures at ``level``."""
    huey = MemoryHuey("quiet", immediate=False)
    periodic = huey.periodic_task(crontab(minute="*"), name="every_minute")(lambda: None)
    ordinary = huey.task(name="asked_for")(lambda: None)
    config = logging_config(Settings(log_level=level, _env_file=None))
    spec = dict(config["filters"]["periodic_chatter"])
    chatter = spec.pop("()")(**spec)
    assert isinstance(chatter, PeriodicTaskChatter)
    passed = []
    for task in (periodic.s(), ordinary.s()):
        record = logging.LogRecord("huey", logging.INFO, __file__, 1, "Executing %s", (task,), None)
        if chatter.filter(record):
            passed.append(record)
    return passed, [r for r in passed if r.levelno == logging.DEBUG]


def test_periodic_task_lines_are_debug_lines() -> None:
    passed, demoted = _records("INFO")
    assert [r.getMessage().split(":")[0] for r in passed] == ["Executing tests.cli.test_quiet_logs.asked_for"]
    assert demoted == []
    passed, demoted = _records("DEBUG")
    assert [r.getMessage().split(":")[0] for r in passed] == [
        "Executing tests.cli.test_quiet_logs.every_minute",
        "Executing tests.cli.test_quiet_logs.asked_for",
    ]
    assert [(r.levelname, r.getMessage().split(":")[0]) for r in demoted] == [
        ("DEBUG", "Executing tests.cli.test_quiet_logs.every_minute")
    ]


def test_the_consumers_own_logger_speaks_up_only_for_warnings(tmp_path: Path) -> None:
    quiet = logging_config(Settings(data_dir=tmp_path, _env_file=None))["loggers"]["huey.consumer"]
    loud = logging_config(Settings(data_dir=tmp_path, log_level="DEBUG", _env_file=None))["loggers"]
    assert quiet["level"] == "WARNING"
    assert loud["huey.consumer"]["level"] == "DEBUG"


def test_the_bare_address_redirects_to_the_ui(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (307, "/ui/")
    assert client.head("/", follow_redirects=False).status_code == 307
    assert "/" not in client.get("/openapi.json").json()["paths"]
