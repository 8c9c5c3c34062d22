"""The faults of issue 25, one after the other in one run, and how long each took to heal.

Each fault is timed from the moment it ENDS (the process restarted, the server answering
again): the recovery of a kind of write is the time until its first acknowledgement after
that moment (for the killed API process, on that process's port); the recovery of the
migrations, the time until the migration started just before the fault (so one is always
running when it strikes) moved again. Progress is read from the database every 0.1 s by
:class:`Progress`, whose first successful read after the fault is the baseline: a move it
did not see counts as not yet happened, so the figure can only be longer than the truth.
"""

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from bench.chaos_load import Client, Ledger, Pool, Refused, content_hash
from bench.chaos_stack import ORG, ChaosStack
from indexer.models import VersionMigration
from schemas.migrations import TERMINAL
from service.transient import is_transient
from tests.e2e.helpers import free_port
from tests.factories import example, renamed

log = logging.getLogger("wfv.chaos")
MOVER_BATCH = 100


@dataclass
class Fault:
    name: str
    started: float
    ended: float  # when what was broken was back
    port: int | None = None  # the API process that was killed, if one was
    migration: str | None = None  # the migration running through the fault
    migration_back: float | None = None  # seconds from ``ended`` until it moved again
    healed: float | None = None  # crash point: seconds until a read showed the cut write
    note: str = ""


@dataclass
class Progress:
    """(time, {migration id: (status, migrated)}) every 0.1 s, reads that failed skipped."""

    stack: ChaosStack
    samples: list[tuple[float, dict[str, tuple[str, int]]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="chaos-progress", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def read(self) -> dict[str, tuple[str, int]] | None:
        try:
            with self.stack.stack.container.uow(ORG) as uow:
                rows = uow.session.scalars(select(VersionMigration))
                return {str(m.id): (m.status, m.migrated) for m in rows}
        except Exception as exc:
            if is_transient(exc):
                return None
            raise

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            found = self.read()
            if found is not None:
                with self._lock:
                    self.samples.append((time.monotonic(), found))

    def latest(self, migration_id: str) -> tuple[str, int] | None:
        with self._lock:
            for _, found in reversed(self.samples):
                if migration_id in found:
                    return found[migration_id]
        return None

    def moved_again(self, migration_id: str, since: float, within: float = 30) -> float | None:
        """Seconds from ``since`` until ``migration_id`` moved past the first reading taken
        after ``since`` (or ended); None when it did not within ``within`` seconds."""
        deadline = since + within
        baseline: int | None = None
        while time.monotonic() < deadline:
            with self._lock:
                later = [(t, f[migration_id]) for t, f in self.samples if t >= since and migration_id in f]
            for at, (status, migrated) in later:
                if baseline is None:
                    baseline = migrated
                    if status in TERMINAL:
                        return at - since
                elif migrated > baseline or status in TERMINAL:
                    return at - since
            time.sleep(0.05)
        return None


@dataclass
class Faults:
    """Runs the faults on ``stack`` while ``ledger``'s clients keep writing."""

    stack: ChaosStack
    ledger: Ledger
    pool: Pool
    progress: Progress
    movers: list[uuid.UUID]
    seed: int
    done: list[Fault] = field(default_factory=list)
    started: dict[str, str] = field(default_factory=dict)  # the faults' migrations: workflow

    def __post_init__(self) -> None:
        ports = self.stack.ports
        self.driver = Client("driver", self.stack.stack, ports, self.ledger, random.Random(self.seed))

    # --- the faults --------------------------------------------------------------------

    def api_killed(self) -> Fault:
        api = self.stack.apis[0]
        started = time.monotonic()
        api.kill()
        time.sleep(0.5)  # clients keep coming at the dead port
        api.start(timeout=60)
        return Fault("API process SIGKILLed, restarted", started, time.monotonic(), port=self.stack.ports[0])

    def worker_killed(self) -> Fault:
        worker = self.stack.worker
        assert worker is not None
        migration = self._mover()
        started = time.monotonic()
        worker.kill()
        time.sleep(1.0)
        worker.start(timeout=60)
        return self._timed(
            Fault("worker SIGKILLed mid-migration, restarted", started, time.monotonic(), migration=migration)
        )

    def postgres_fast_restart(self) -> Fault:
        migration = self._mover()
        started = time.monotonic()
        self.stack.cluster.stop()  # pg_ctl stop -m fast, then start: pg_ctl restart -m fast
        self.stack.cluster.start()
        return self._timed(
            Fault("PostgreSQL restart -m fast", started, time.monotonic(), migration=migration)
        )

    def postgres_stopped(self) -> Fault:
        migration = self._mover()
        started = time.monotonic()
        self.stack.cluster.crash()  # pg_ctl stop -m immediate
        time.sleep(5)
        self.stack.cluster.start()
        return self._timed(
            Fault("PostgreSQL stop -m immediate, 5 s", started, time.monotonic(), migration=migration)
        )

    def redis_killed(self) -> Fault:
        migration = self._mover()
        started = time.monotonic()
        self.stack.redis.kill()
        time.sleep(3)
        self.stack.redis.start()  # append-only: back with its data
        return self._timed(Fault("Redis SIGKILLed, 3 s", started, time.monotonic(), migration=migration))

    def crash_point(self) -> Fault:
        """A third API process armed to SIGKILL itself between the ref move and the
        database commit (``WFV_TEST_CRASH_POINTS``; development, which production refuses):
        one version created through it is in git, not in the index, never acknowledged.
        The figure: until a read through the other processes shows it (healed by read)."""
        port = free_port()
        armed = {"WFV_ENVIRONMENT": "development", "WFV_TEST_CRASH_POINTS": json.dumps(["refs-moved"])}
        process = self.stack.stack.serve(name="serve-crash", port=port, env=armed)
        workflow_id = self.pool.pick(self.driver.rng)
        assert workflow_id is not None
        client = Client("driver", self.stack.stack, [port], self.ledger, self.driver.rng)
        cut = renamed(example("welcome-small"), f"cut at refs-moved {uuid.uuid4()}")
        started = time.monotonic()
        try:
            path = f"/workflows/{workflow_id}/versions"
            body = {"definition": cut}
            client.call("create_version", "POST", path, json=body, workflow_id=workflow_id)
            note = "the armed process ANSWERED: the crash point was not reached"
        except Refused:
            note = ""
        finally:
            client.close()
        assert process.process is not None
        process.process.wait(timeout=10)
        ended = time.monotonic()
        fault = Fault("crash point refs-moved (API process)", started, ended, note=note)
        fault.healed = self._healed(workflow_id, content_hash(cut), ended)
        return fault

    # --- helpers -----------------------------------------------------------------------

    def _healed(self, workflow_id: str, content: str, since: float) -> float | None:
        """Seconds until a read lists a version whose definition the cut write sent."""
        while time.monotonic() < since + 15:
            try:
                listed = self.driver.call(
                    "list",
                    "GET",
                    f"/workflows/{workflow_id}/versions",
                    params={"limit": 200},
                    workflow_id=workflow_id,
                )["items"]
            except Refused:
                listed = []
            for version in listed:
                detail = self._detail(workflow_id, version["version_number"])
                if detail is not None and content_hash(detail) == content:
                    return time.monotonic() - since
            time.sleep(0.1)
        return None

    def _detail(self, workflow_id: str, number: int) -> dict[str, object] | None:
        try:
            body = self.driver.call(
                "read", "GET", f"/workflows/{workflow_id}/versions/{number}", workflow_id=workflow_id
            )
        except Refused:
            return None
        definition: dict[str, object] = body["definition"]
        return definition

    def _mover(self) -> str | None:
        """Start the next mover's migration and wait until it has moved a batch."""
        if not self.movers:
            return None
        workflow_id = self.movers.pop(0)
        path = f"/workflows/{workflow_id}/versions/2/migrate"
        request = {"from_versions": [1], "batch_size": MOVER_BATCH}
        for _ in range(50):
            try:
                body = self.driver.call(
                    "migrate_immediate", "POST", path, json=request, workflow_id=str(workflow_id)
                )
                break
            except Refused:
                time.sleep(0.2)
        else:
            return None
        migration_id = str(body["id"])
        self.started[migration_id] = str(workflow_id)
        self.driver.wrote("migrate_immediate", str(workflow_id), version_id=None, migration_id=migration_id)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            seen = self.progress.latest(migration_id)
            if seen is not None and seen[1] > 0:
                break
            time.sleep(0.05)
        return migration_id

    def _timed(self, fault: Fault) -> Fault:
        if fault.migration is None:
            return fault
        seen = self.progress.latest(fault.migration)
        if seen is not None and seen[0] in TERMINAL:
            fault.note = f"its migration was {seen[0]} before the fault ended"
            return fault
        fault.migration_back = self.progress.moved_again(fault.migration, fault.ended)
        self._cancel(fault.migration)
        return fault

    def _cancel(self, migration_id: str) -> None:
        """Cancel a fault's migration once its recovery is measured (what it moved stays
        moved), so the next fault's does not share the worker with every earlier one."""
        for mover, workflow_id in self.started.items():
            if mover == migration_id:
                path = f"/workflows/{workflow_id}/migrations/{migration_id}/cancel"
                try:
                    self.driver.call("migrate_cancel", "POST", path, workflow_id=workflow_id)
                except Refused:
                    return  # completed meanwhile (409), or refused: it ends on its own
                self.driver.wrote("migrate_cancel", workflow_id, migration_id=migration_id)

    def run(self, seconds: float, started: float, names: list[str]) -> None:
        """The faults ``names`` (methods of this class) spread evenly over ``seconds`` of
        load, recovery between them."""
        faults: list[Callable[[], Fault]] = [getattr(self, name) for name in names]
        slot = seconds / (len(faults) + 1)
        for n, fault in enumerate(faults):
            pause = started + slot * (n + 1) - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            log.info("fault %d: %s", n + 1, fault.__name__)
            self.done.append(fault())
        self.driver.close()
