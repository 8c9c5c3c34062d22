"""A Redis queue that comes back empty is noticed by the consumers' schedulers: exactly
one of them runs the queue-back hooks (migrations resume), a consumer that just started
runs none (start-up resumes the same work), and a queue that kept its data runs none."""

from pathlib import Path

import pytest
import redis
from huey.storage import RedisStorage
from sqlalchemy.exc import OperationalError

from service.settings import Settings
from tasks import queue
from tests.redis_support import own_redis


def test_one_consumer_notices_the_queue_came_back_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fired: list[str] = []
    monkeypatch.setattr(queue, "_queue_back", [lambda: fired.append("resume")])
    with own_redis(tmp_path) as server:
        settings = Settings(queue="redis", redis_url=server.url, _env_file=None)
        first, second = queue.build_huey(settings), queue.build_huey(settings)
        assert isinstance(first.storage, RedisStorage)
        first.read_schedule()
        second.read_schedule()
        first.read_schedule()
        assert fired == []  # the marker was there all along
        server.client().flushall()  # what a restart without persistence leaves
        late = queue.build_huey(settings)
        second.read_schedule()
        first.read_schedule()
        late.read_schedule()
        assert fired == ["resume"]  # once, by the consumer that put the marker back


def test_a_queue_that_kept_its_jobs_still_wakes_the_hooks_when_it_answers_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis with persistence comes back with the marker: no loss to see, yet every job that
    could not be enqueued meanwhile (a migration started then) is missing. The scheduler
    that failed to read runs the hooks once, at its first read that succeeds."""
    fired: list[str] = []
    monkeypatch.setattr(queue, "_queue_back", [lambda: fired.append("resume")])
    with own_redis(tmp_path, appendonly=True) as server:
        settings = Settings(queue="redis", redis_url=server.url, _env_file=None)
        consumer = queue.build_huey(settings)
        consumer.read_schedule()
        server.kill()
        with pytest.raises(redis.ConnectionError):
            consumer.read_schedule()
        assert fired == []
        server.start()
        assert server.client().hexists("huey.results.wfv", "wfv:queue-marker")  # it survived the kill
        consumer.read_schedule()
        assert fired == ["resume"]
        consumer.read_schedule()
        assert fired == ["resume"]  # once per outage


def test_a_hook_that_failed_on_an_outage_runs_again_next_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hooks resume migrations from the database, which may still be away when the
    queue is back: they run again each second until they succeed; a bug is not retried."""
    calls: list[str] = []

    def resume() -> None:
        calls.append("resume")
        if calls.count("resume") < 3:
            raise OperationalError("SELECT 1", {}, Exception("the database is restarting"))

    def broken() -> None:
        calls.append("broken")
        raise ValueError("a bug")

    monkeypatch.setattr(queue, "_queue_back", [resume, broken])
    with own_redis(tmp_path) as server:
        consumer = queue.build_huey(Settings(queue="redis", redis_url=server.url, _env_file=None))
        consumer.read_schedule()
        server.client().flushall()
        for _ in range(5):
            consumer.read_schedule()
    assert calls == ["resume", "broken", "resume", "broken", "resume", "broken"]
