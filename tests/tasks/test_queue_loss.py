"""A Redis queue that comes back empty is noticed by the consumers' schedulers: exactly
one of them runs the queue-back hooks (migrations resume), a consumer that just started
runs none (start-up resumes the same work), and a queue that kept its data runs none."""

from pathlib import Path

import pytest

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
        assert isinstance(first, queue.WatchedRedisHuey)
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
