"""Write access to the queue is not code execution: messages are typed JSON, and a pickle
someone writes into Redis is refused by a real ``wfv worker`` (a redis-server of the test's
own), while the real messages around it still run."""

import os
import pickle
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from huey.constants import EmptyData
from huey.registry import Message
from huey.utils import ChordConfig, Error

from service.settings import Settings
from tasks.queue import build_huey
from tasks.serializer import JsonSerializer, UnsafeQueueMessage
from tests.e2e.helpers import WFV, running, wfv_env
from tests.redis_support import own_redis


class _Payload:
    """What an attacker pickles: unpickling it runs ``os.mkdir(marker)``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def _message(name: str, *args: Any, **fields: Any) -> Message:
    base = {"id": str(uuid.uuid4()), "name": name, "retries": 0, "retry_delay": 0, "args": args, "kwargs": {}}
    return Message(**(base | fields))


def test_messages_results_and_errors_round_trip() -> None:
    serializer = JsonSerializer()
    eta = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    # A migration runner job carries its chain's generation (an int) since revision 0013.
    follow_up = _message("tasks.migrations.run_migration", "acme", str(uuid.uuid4()), 3)
    message = _message(
        "tasks.migrations.run_migration",
        "acme",
        "m-1",
        2,
        eta=eta,
        expires=timedelta(minutes=5),
        on_complete=follow_up,
        chord_config=ChordConfig("c", 2, 0, None),
    )
    assert serializer.deserialize(serializer.serialize(message)) == message
    assert serializer.deserialize(serializer.serialize(message)).args == ("acme", "m-1", 2)
    result = {"written": 3, "dropped": 0, "nested": [1, (2, "x")], "id": uuid.UUID(int=7)}
    assert serializer.deserialize(serializer.serialize(result)) == result
    error = Error({"error": "ValueError('x')", "retries": 0, "traceback": "..."})
    assert serializer.deserialize(serializer.serialize(error)) == error
    assert serializer.serialize(("m-1",)).startswith(b"{")  # JSON on the wire, not a pickle


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", object(), {"__wfv__": "tuple"}, {1: "int key"}])
def test_values_without_a_declared_type_are_refused_at_enqueue(value: Any) -> None:
    with pytest.raises(TypeError):
        JsonSerializer().serialize(_message("tasks.drafts.flush_drafts", value))


def test_the_test_queue_checks_arguments_as_the_real_ones_do() -> None:
    huey = build_huey(Settings(queue="memory", _env_file=None))

    def takes(value: Any) -> None:
        return None

    task = huey.task()(takes)
    task("a string goes")
    with pytest.raises(TypeError):
        task({1, 2})


def test_a_pickle_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_message("tasks.drafts.flush_drafts", _Payload(marker)))
    with pytest.raises(UnsafeQueueMessage, match="never pickles"):
        JsonSerializer().deserialize(crafted)
    for forged in (b'{"__wfv__": "pickle", "v": "gASV"}', b'{"__wfv__": "message", "v": {"evil": 1}}'):
        with pytest.raises(UnsafeQueueMessage):
            JsonSerializer().deserialize(forged)
    assert not marker.exists()


def test_a_real_worker_refuses_a_pickle_written_into_redis(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with own_redis(tmp_path) as server:
        settings = Settings(queue="redis", redis_url=server.url, data_dir=tmp_path / "var", _env_file=None)
        queue = build_huey(settings)
        # What anyone with Redis access can do: push bytes onto the list the workers pop.
        queue.storage.enqueue(pickle.dumps(_message("tasks.drafts.flush_drafts", _Payload(marker))))
        honest = _message("tasks.git_upkeep.upkeep_now")
        queue.storage.enqueue(queue.serializer.serialize(honest))
        env = wfv_env(tmp_path / "var", WFV_QUEUE="redis", WFV_REDIS_URL=server.url)
        log = tmp_path / "worker.log"
        with running([WFV, "worker", "--workers", "1", "--no-periodic"], env, log):
            deadline = time.monotonic() + 30
            while queue.storage.peek_data(honest.id) is EmptyData and not marker.exists():
                assert time.monotonic() < deadline, f"the worker never ran the honest task: {log.read_text()}"
                time.sleep(0.1)
        assert not marker.exists(), "unpickling the queue entry ran the attacker's code"
        outcome = queue.serializer.deserialize(queue.storage.peek_data(honest.id))
        assert outcome["repositories"] == 0  # the message after the pickle ran, JSON in and out
        assert queue.pending_count() == 0
    assert "only messages wfv wrote are read, never pickles" in log.read_text()
