"""The Huey instance, pointed by the settings at start-up: Redis in production, SQLite
embedded, memory (immediate) in unit tests. ``huey_consumer tasks.queue.huey`` finds it here.

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

Traces cross the queue: a task enqueued inside a span (a request's, another task's)
carries the W3C trace context in its message, and runs in a span that is that span's
child (``service.ops.tracing``), in whichever process consumes it.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

from service.ops import tracing
from service.ops.data_dir import prepare_data_dir
from service.settings import Settings
from service.transient import is_transient
from tasks.serializer import JsonSerializer

log = logging.getLogger("wfv.tasks.queue")
_queue_back: list[Callable[[], None]] = []
_MARKER = "wfv:queue-marker"
_first_use = threading.Lock()
# Enqueueing from a request must not hang on a Redis that stopped answering; the blocking
# read of the consumer waits 1 s at a time, well inside the socket timeout.
_REDIS_TIMEOUTS = {"socket_timeout": 5, "socket_connect_timeout": 2}
# The keyword argument a task's message carries the trace context in; taken out again
# before the task's function is called, by every consumer, tracing or not.
TRACE_CONTEXT = "_wfv_trace"


def on_queue_back(hook: Callable[[], None]) -> Callable[[], None]:
    """Register ``hook`` to run in a consumer when the queue turns out to have lost its jobs."""
    _queue_back.append(hook)
    return hook


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


class Queue(Huey):  # type: ignore[misc]
    """The one Huey instance every task registers on, built unconfigured at import: which
    queue it talks to is chosen at start-up by :meth:`configure` from the process's settings
    (``wfv serve``, ``wfv worker`` and the tests call it through ``tasks.runtime``); a process
    that enqueues before anyone configured it (``wfv serve --processes N``'s API workers)
    configures it from the environment on first use.

    On Redis the scheduler (the only caller of ``read_schedule``: one thread per consumer,
    once a second) checks the marker. ``put_if_empty`` lets one consumer alone put it back
    and run the hooks; one that never saw it (just started) runs none, since start-up
    resumes the same work. A failed read (the queue unreachable) makes the first read that
    succeeds run the hooks; so does a hook that failed on an outage, until it succeeds.

    In memory (the tests) it runs each task at once, after serialising it: an argument the
    real queues would refuse (tasks/serializer.py) fails in tests too."""

    _storage: Any = None
    _watched = False
    _seen_marker = False
    _hooks_due: str | None = None

    def __init__(self) -> None:
        # JSON, never pickle: write access to Redis must not be code execution in the workers.
        super().__init__("wfv", store_intermediate_errors=False, serializer=JsonSerializer())

    def configure(self, settings: Settings) -> "Queue":
        """Point the queue at what ``settings`` name: Redis, the embedded SQLite file, or
        memory (immediate). Called once per process at start-up, before any consumer runs."""
        kind = settings.resolved_queue
        self._watched = kind == "redis"
        self._seen_marker, self._hooks_due = False, None
        self._immediate = kind == "memory"
        if kind == "redis":
            if not settings.redis_url:
                raise ValueError("WFV_QUEUE=redis needs WFV_REDIS_URL")
            pool = redis.ConnectionPool.from_url(settings.redis_url, **_REDIS_TIMEOUTS)
            self.storage_class = RedisStorage
            self.storage_kwargs: dict[str, Any] = {"connection_pool": pool}
        elif kind == "sqlite":
            prepare_data_dir(settings.data_dir)
            self.storage_class = SqliteStorage
            self.storage_kwargs = {"filename": str(settings.data_dir / "queue.db")}
        self._storage = self.create_storage()
        return self

    def create_storage(self) -> Any:
        if self.storage_class is None and not self._immediate:
            return None  # at import: :meth:`configure` chooses
        return super().create_storage()

    @property
    def storage(self) -> Any:
        if self._storage is None:
            self._configure_from_environment()
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._storage = value

    @property
    def immediate(self) -> bool:
        if self._storage is None:
            self._configure_from_environment()
        return bool(self._immediate)

    @immediate.setter
    def immediate(self, value: bool) -> None:
        if self._immediate != value:
            self._immediate = value
            self._storage = self.create_storage()

    def _configure_from_environment(self) -> None:
        with _first_use:
            if self._storage is None:
                self.configure(Settings())

    def enqueue(self, task: Any) -> Any:
        _carry_trace(task)
        if self.immediate:
            self.serialize_task(task)
        return super().enqueue(task)

    def add_schedule(self, task: Any) -> Any:
        _carry_trace(task)  # a retry after a delay is scheduled, not enqueued
        return super().add_schedule(task)

    def _execute(self, task: Any, timestamp: datetime) -> Any:
        """Run the task, in the span its message asks for (taken out of its arguments
        here: only a task that runs now, not one put back for later, loses it)."""
        carrier = task.kwargs.pop(TRACE_CONTEXT, None)
        with tracing.task_span(task.name, carrier if isinstance(carrier, dict) else None):
            return super()._execute(task, timestamp)

    def read_schedule(self, timestamp: datetime | None = None) -> Any:
        if not self._watched:
            return super().read_schedule(timestamp)
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


def _carry_trace(task: Any) -> None:
    """Put the current span's trace context in ``task``'s message (one it already has is
    kept: a task scheduled for later keeps its enqueuer's)."""
    if TRACE_CONTEXT not in task.kwargs:
        carrier = tracing.outgoing()
        if carrier is not None:
            task.kwargs[TRACE_CONTEXT] = carrier


def build_huey(settings: Settings) -> Queue:
    """A queue of its own, configured from ``settings`` (tests compare two consumers)."""
    return Queue().configure(settings)


huey = Queue()
