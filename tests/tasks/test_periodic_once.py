"""Periodic tasks run once per tick across every consumer (``tasks/periodic.py``).

First two schedulers, each with its own Huey instance on one shared queue (Redis, or the
SQLite queue file), driven at chosen instants; then two real ``wfv worker`` processes
started together, whose every-minute tasks must each run once in that minute."""

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from tasks.periodic import ClaimingScheduler, create_consumer
from tests.e2e.helpers import WFV, running
from tests.tasks.conftest import REDIS_URL, _redis_or_skip, container_for


def _pair(kind: str, tmp_path: Path) -> list[Huey]:
    """Two consumers' Huey instances on one queue, each with the same periodic tasks."""
    if kind == "redis":
        _redis_or_skip()
        made: list[Huey] = [RedisHuey(name="wfv-periodic-test", url=REDIS_URL) for _ in range(2)]
    else:
        made = [SqliteHuey(name="wfv", filename=str(tmp_path / "queue.db")) for _ in range(2)]
    for huey in made:
        huey.periodic_task(crontab(minute="*/5"), name="every_five")(lambda: None)
        huey.periodic_task(crontab(minute="*"), name="every_minute")(lambda: None)
        huey.periodic_task(crontab(hour="3", minute="0"), name="daily")(lambda: None)
    return made


def _scheduler(huey: Huey) -> ClaimingScheduler:
    consumer: Consumer = create_consumer(huey, workers=1, periodic=True)
    scheduler: ClaimingScheduler = consumer._create_scheduler()
    return scheduler


@pytest.fixture(params=["sqlite", "redis"])
def queue_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[Huey]]:
    pair = _pair(str(request.param), tmp_path)
    yield pair
    pair[0].flush()


def test_each_due_task_is_enqueued_once_per_tick_by_two_schedulers(queue_pair: list[Huey]) -> None:
    first, second = (_scheduler(huey) for huey in queue_pair)
    ticks = [datetime(2026, 12, 1, 2, 55), datetime(2026, 12, 1, 2, 59), datetime(2026, 12, 1, 3, 0)]
    for tick in ticks:
        first.enqueue_periodic_tasks(tick)
        second.enqueue_periodic_tasks(tick.replace(second=40))  # the other consumer, later that minute
        first.enqueue_periodic_tasks(tick)  # the same tick again (a restarted consumer)
    pending = Counter(task.name for task in queue_pair[0].pending())
    assert pending == {"every_minute": 3, "every_five": 2, "daily": 1}


def test_claims_do_not_pile_up(queue_pair: list[Huey]) -> None:
    first, second = (_scheduler(huey) for huey in queue_pair)
    for minute in range(30):
        (first if minute % 2 else second).enqueue_periodic_tasks(datetime(2026, 12, 1, 4, minute))
    claims = sorted(str(key) for key in queue_pair[0].storage.result_items() if "wfv:periodic:" in str(key))
    # per task: its history and its last two claims
    assert claims == [
        "wfv:periodic:every_five",
        "wfv:periodic:every_five:202612010420",
        "wfv:periodic:every_five:202612010425",
        "wfv:periodic:every_minute",
        "wfv:periodic:every_minute:202612010428",
        "wfv:periodic:every_minute:202612010429",
    ]


def _executions(log: Path, task: str) -> int:
    """Huey logs ``Executing <module>.<task>: <id>`` once per run."""
    return sum(1 for line in log.read_text().splitlines() if "Executing" in line and f".{task}:" in line)


def _start_of_a_quiet_minute() -> None:
    """Leave 40 s of this minute for the test: both workers see the same tick."""
    second = datetime.now(UTC).second
    if second > 20:
        time.sleep(61 - second)


def test_two_real_workers_run_each_minute_task_once(queue_env: dict[str, str], tmp_path: Path) -> None:
    container_for(queue_env).close()  # migrated
    if queue_env["WFV_QUEUE"] == "redis":
        redis.Redis.from_url(REDIS_URL).flushdb()
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    # DEBUG: the lines about periodic tasks counted here are kept to DEBUG runs.
    env = queue_env | {"WFV_LOG_LEVEL": "DEBUG"}
    _start_of_a_quiet_minute()
    with running([WFV, "worker", "--workers", "1"], env, logs[0]):
        with running([WFV, "worker", "--workers", "1"], env, logs[1]):
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                text = "".join(log.read_text() for log in logs)
                if text.count("Executing tasks.") >= 2 and text.count("periodic") >= 2:
                    time.sleep(2)
                    break
                time.sleep(0.2)
    for task in ("sweep_drafts", "resume_stalled_migrations"):
        runs = sum(_executions(log, task) for log in logs)
        assert runs == 1, f"{task} ran {runs} times: " + "\n".join(log.read_text() for log in logs)
