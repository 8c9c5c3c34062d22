"""Resuming chained runners (a migration's, a revert's): each job enqueues its successor,
so a runner whose worker died leaves no job behind. A watchdog and a starting consumer find
the stalled ones and start each again as a new chain (a new generation: a job of the old
chain that survived exits when it runs, so one runner is never driven by two chains)."""

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from service.container import Container
from service.healing.scan import known_tenants
from tasks import runtime
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.chains")


@dataclass
class Chains:
    """One kind of chained runner: ``stalled`` finds a tenant's runners whose heartbeat is
    older than the given seconds, ``new_chain`` takes one over (None: it finished or was
    paused meanwhile), ``enqueue`` starts the new chain's first job."""

    what: str
    stalled: Callable[[Container, str, float], Iterable[uuid.UUID]]
    new_chain: Callable[[Container, str, uuid.UUID], int | None]
    enqueue: Callable[[str, str, int], object]
    _startup: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _resumed_at_startup: threading.Event = field(default_factory=threading.Event, repr=False)

    def resume(self, older_than_seconds: float) -> int:
        """Start every stalled runner again; returns how many."""
        container = runtime.container()
        resumed = 0
        for tenant in known_tenants(container):
            for key in self.stalled(container, tenant, older_than_seconds):
                generation = self.new_chain(container, tenant, key)
                if generation is None:
                    continue
                log.warning(
                    "resuming stalled %s %s of %s (generation %d)", self.what, key, tenant, generation
                )
                self.enqueue(tenant, str(key), generation)
                resumed += 1
        return resumed

    def resume_at_startup(self) -> None:
        """A consumer that starts (again) picks up the runners left running, once per
        process: Huey calls its start-up hooks in each worker thread, and a runner enqueued
        per thread would chain its twin for the rest of its work (harmless at the row lock,
        but each then waits in a queue twice as long; the chaos run saw it after a worker
        kill)."""
        if huey.immediate:
            return
        with self._startup:
            if not self._resumed_at_startup.is_set():
                self.resume(0)
                self._resumed_at_startup.set()
