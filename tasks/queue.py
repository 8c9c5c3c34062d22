"""The Huey instance, chosen by the settings: Redis in production, SQLite embedded,
memory (immediate) in unit tests. ``huey_consumer tasks.queue.huey`` finds it here.

A Redis queue can come back empty (a restart without persistence, a flush, a failover to
an empty replica): every job it held is gone, the successors that running migrations
enqueue for themselves included. Loss is detected by what it loses: the consumers keep a
marker in the queue, and the scheduler, which reads the queue every second, finding it
gone runs the :func:`on_queue_back` hooks (the migrations resume) instead of leaving the
work to the minute watchdog.

A queue that kept its data (Redis with persistence, a replica) still missed every job
that could not be enqueued while it was away: a migration started then is recorded with
no job. So a scheduler whose read failed runs the same hooks at its first read that
succeeds again: the watchdog wakes on reconnection too.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from service.ops.data_dir import prepare_data_dir
from service.settings import Settings
from service.transient import is_transient
from tasks.serializer import JsonSerializer

log = logging.getLogger("wfv.tasks.queue")
_queue_back: list[Callable[[], None]] = []
_MARKER = "wfv:queue-marker"
# Enqueueing from a request must not hang on a Redis that stopped answering; the blocking
# read of the consumer waits 1 s at a time, well inside the socket timeout.
_REDIS_TIMEOUTS = {"socket_timeout": 5, "socket_connect_timeout": 2}


def on_queue_back(hook: Callable[[], None]) -> Callable[[], None]:
    """Register ``hook`` to run in a consumer when the queue turns out to have lost its jobs."""
    _queue_back.append(hook)
    return hook


class WatchedRedisHuey(RedisHuey):  # type: ignore[misc]
    """RedisHuey whose scheduler (the only caller of ``read_schedule``: one thread per
    consumer, once a second) checks the marker. ``put_if_empty`` lets one consumer alone
    put it back and run the hooks; one that never saw it (just started) runs none, since
    start-up resumes the same work. A failed read (the queue unreachable) makes the first
    read that succeeds run the hooks; so does a hook that failed on an outage, until it
    succeeds."""

    _seen_marker = False
    _hooks_due: str | None = None

    def read_schedule(self, timestamp: datetime | None = None) -> Any:
        try:
            found = super().read_schedule(timestamp)
            lost = self.storage.put_if_empty(_MARKER, b"1") and self._seen_marker
        except Exception:
            self._hooks_due = "the queue answers again after an outage"
            raise
        if lost:
            self._hooks_due = "the queue lost its jobs (restarted empty?)"
        self._seen_marker = True
        if self._hooks_due is not None:
            log.warning("%s: resuming the work it carried", self._hooks_due)
            self._hooks_due = _run_queue_back_hooks(self._hooks_due)
        return found


def _run_queue_back_hooks(reason: str) -> str | None:
    """Run every hook; ``reason`` back if one failed on an outage (run them all next time)."""
    again = None
    for hook in list(_queue_back):
        name = getattr(hook, "__name__", hook)
        try:
            hook()
        except Exception as exc:
            if not is_transient(exc):
                log.exception("queue-back hook %s failed", name)
                continue
            log.warning("queue-back hook %s failed on an outage, run again next second: %s", name, exc)
            again = reason
    return again


class CheckedMemoryHuey(MemoryHuey):  # type: ignore[misc]
    """Immediate mode runs a task without serialising it; this one serialises it first, so
    an argument the real queues would refuse (tasks/serializer.py) fails in tests too."""

    def enqueue(self, task: Any) -> Any:
        self.serialize_task(task)
        return super().enqueue(task)


def build_huey(settings: Settings) -> Huey:
    kind = settings.resolved_queue
    # JSON, never pickle: write access to Redis must not be code execution in the workers.
    common = {"name": "wfv", "store_intermediate_errors": False, "serializer": JsonSerializer()}
    if kind == "redis":
        if not settings.redis_url:
            raise ValueError("WFV_QUEUE=redis needs WFV_REDIS_URL")
        pool = redis.ConnectionPool.from_url(settings.redis_url, **_REDIS_TIMEOUTS)
        return WatchedRedisHuey(connection_pool=pool, **common)
    if kind == "sqlite":
        prepare_data_dir(settings.data_dir)
        return SqliteHuey(filename=str(settings.data_dir / "queue.db"), **common)
    return CheckedMemoryHuey(immediate=True, **common)


huey = build_huey(Settings())
