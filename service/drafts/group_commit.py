"""Group commit: writes from many requests, one transaction per batch, by one thread.

A transaction's fixed costs (BEGIN, the locks it takes, COMMIT, PostgreSQL's WAL flush,
SQLite's single write lock) dwarf one small write. When many requests write at once,
each waiting for its own transaction makes them queue on those costs; here they queue
for a place in the next batch instead, and each is answered once the batch holding it
has committed, so an acknowledgement still means durable. One thread per process also
stops the GIL being handed between a thread per request and the event loop.
"""

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger("wfv.group_commit")

P = TypeVar("P")
R = TypeVar("R")

# Every item of a batch gets either its result or the exception that is its answer.
BatchHandler = Callable[[list[P]], list[R | Exception]]


class Closed(RuntimeError):
    """The writer was shut down before this item was written."""


class GroupCommit(Generic[P, R]):
    """``future = writer.submit(item)``; ``handler(items)`` writes each batch."""

    def __init__(self, handler: BatchHandler[P, R], *, name: str, max_batch: int = 32) -> None:
        self._handler = handler
        self._name = name
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[P, Future[R]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.batches_written = 0  # batches and items handled, for tests and the curious
        self.items_written = 0

    def submit(self, item: P) -> Future[R]:
        future: Future[R] = Future()
        with self._lock:
            if self._closed:
                raise Closed(f"{self._name} is shut down")
            if self._thread is None or not self._thread.is_alive():
                # Started on first use (a server forks its processes after building the
                # app), and again should it ever have died.
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._queue.put((item, future))
        return future

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    following = self._queue.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    stopping = True
                    break
                batch.append(following)
            self._write(batch)

    def _write(self, batch: list[tuple[P, Future[R]]]) -> None:
        # A request that gave up before its turn is dropped: nobody waits for its answer.
        live = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            outcomes = self._handler([item for item, _ in live])
            if len(outcomes) != len(live):
                raise RuntimeError(f"{self._name}: {len(outcomes)} outcomes for {len(live)} items")
        except Exception as exc:
            log.exception("%s: a batch of %d failed", self._name, len(live))
            outcomes = [exc] * len(live)
        except BaseException as exc:
            # The thread is going down: the next submit starts another, and nobody is left
            # waiting on an answer that never comes.
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None
            for _, future in live:
                future.set_exception(Closed(f"{self._name} stopped: {exc!r}"))
            raise
        self.batches_written += 1
        self.items_written += len(live)
        for (_, future), outcome in zip(live, outcomes, strict=True):
            if isinstance(outcome, Exception):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
