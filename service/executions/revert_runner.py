"""The revert runner: batches of the migration's journey rows in ``seq`` order, each
batch one transaction under the revert's row lock (restore, count, advance the cursor,
beat), resumable from the cursor after any crash, as the migration runner is.

Idempotent: a batch re-run after a crash before its commit starts from the same cursor;
one that committed is not re-run (the cursor moved in its transaction), and an execution
already put back has a new revision, so it could never be restored twice anyway.

One live chain per revert: each job carries the ``generation`` it was started for; the
watchdog and a consumer starting raise it before enqueueing a new chain, and a job of an
older chain exits."""

import logging
import time
import uuid
from datetime import datetime
from typing import Any, Literal

from indexer import reverts as revert_rows
from indexer.models import MigrationRevert, VersionMigration, Workflow
from indexer.queries import add_audit
from service.clock import utcnow
from service.compare.comparison import executions_changed
from service.container import Container
from service.executions import journal
from service.journeys import feed
from service.ops import tracing
from service.uow import UnitOfWork
from service.webhooks.events import Event, emit

log = logging.getLogger("wfv.reverts")
Outcome = Literal["more", "done", "stopped", "stale"]
BATCH = 10_000  # journey rows a batch (a transaction) reads: the migration bench's batch


def _audit(
    uow: UnitOfWork, revert: MigrationRevert, action: str, details: dict[str, Any], now: datetime
) -> None:
    workflow = uow.session.get(Workflow, revert.workflow_id)
    migration = uow.session.get(VersionMigration, revert.migration_id)
    assert workflow is not None
    assert migration is not None
    add_audit(
        uow.session,
        workflow=workflow,
        version_id=migration.target_version_id,
        action=action,
        actor_id=revert.created_by,
        at=now,
        details={"migration_id": str(revert.migration_id), "revert_id": str(revert.id), **details},
    )


def _counts(revert: MigrationRevert) -> dict[str, int]:
    return {
        "total": revert.total,
        "restored": revert.restored,
        "moved_since": revert.moved_since,
        "pinned": revert.pinned,
        "blocked": revert.blocked,
    }


def _batch(uow: UnitOfWork, revert: MigrationRevert, limit: int, now: datetime) -> bool:
    """One batch; True when it was the last."""
    session, tenant = uow.session, revert.tenant_id
    lo = revert.cursor
    hi = revert_rows.boundary(session, tenant, revert.migration_id, lo, limit)
    end = hi if hi is not None else revert_rows.last_seq(session, tenant, revert.migration_id)
    if end is None or end <= lo:
        return True
    revert_rows.lock_batch(session, tenant, revert.migration_id, lo, end)
    counts = revert_rows.counts(session, tenant, revert.migration_id, lo=lo, hi=end)
    executions_changed(uow, tenant, revert.workflow_id)
    restored = revert_rows.restore(
        session,
        tenant,
        revert.migration_id,
        revert.id,
        lo=lo,
        hi=end,
        at=now,
        journal=journal.kept(uow),
    )
    revert.restored += restored
    revert.moved_since += counts["moved_since"]
    revert.pinned += counts["pinned"]
    revert.blocked += counts["blocked"]
    revert.cursor = end
    return hi is None


@tracing.use_case("revert.batches")
def run_batches(
    container: Container,
    tenant_id: str,
    revert_id: uuid.UUID,
    *,
    generation: int,
    batch_size: int = BATCH,
    budget_seconds: float = 2.0,
) -> Outcome:
    """Batches until done or the time budget is spent (at least one), then the caller
    enqueues the rest, as the migration runner does (a revert never hogs a worker);
    ``stale`` when ``generation`` is no longer the revert's."""
    deadline = time.monotonic() + budget_seconds
    while True:
        with container.uow(tenant_id, write=True) as uow:
            revert = revert_rows.lock_revert(uow.session, tenant_id, revert_id)
            if revert is None or revert.status not in ("queued", "running"):
                return "stopped"
            if revert.generation != generation:
                return "stale"
            now = utcnow()
            if revert.status == "queued":
                revert.status, revert.started_at = "running", now
            since = feed.mark(uow)
            done = _batch(uow, revert, batch_size, now)
            ids = {"revert_id": str(revert.id), "migration_id": str(revert.migration_id)}
            feed.announce(
                uow,
                tenant_id,
                revert.workflow_id,
                since,
                cause="revert",
                cause_id=revert.id,
                data=ids,
                at=now,
            )
            revert.heartbeat_at = now
            if done:
                revert.status, revert.finished_at = "completed", now
                _audit(uow, revert, "migration_revert_complete", _counts(revert), now)
                data = {
                    "migration_id": str(revert.migration_id),
                    "revert_id": str(revert.id),
                    **_counts(revert),
                }
                emit(uow, tenant_id, Event("migration.reverted", revert.workflow_id, data, now))
                log.warning("revert %s of migration %s completed", revert.id, revert.migration_id)
            uow.commit()
        if done:
            return "done"
        if time.monotonic() > deadline:
            return "more"


def fail_revert(
    container: Container, tenant_id: str, revert_id: uuid.UUID, *, generation: int, error: BaseException
) -> bool:
    """A runner job met an error that is no outage: the revert ends ``failed`` (what it
    put back stays back; a new revert of the migration may be started)."""
    with container.uow(tenant_id, write=True) as uow:
        revert = revert_rows.lock_revert(uow.session, tenant_id, revert_id)
        if revert is None or revert.status not in ("queued", "running") or revert.generation != generation:
            return False
        now = utcnow()
        revert.status, revert.finished_at = "failed", now
        _audit(uow, revert, "migration_revert_fail", {"reason": type(error).__name__, **_counts(revert)}, now)
        uow.commit()
    return True


def new_chain(container: Container, tenant_id: str, revert_id: uuid.UUID) -> int | None:
    """Raise the revert's generation for a chain about to be enqueued; None when it is no
    longer queued or running."""
    with container.uow(tenant_id, write=True) as uow:
        revert = revert_rows.lock_revert(uow.session, tenant_id, revert_id)
        if revert is None or revert.status not in ("queued", "running"):
            return None
        revert.generation += 1
        generation = revert.generation
        uow.commit()
        return generation


def stalled(container: Container, tenant_id: str, older_than_seconds: float) -> list[uuid.UUID]:
    """Queued or running reverts whose runner stopped beating (its worker died)."""
    now = utcnow().timestamp()
    with container.uow(tenant_id) as uow:
        return [
            r.id
            for r in revert_rows.queued_or_running(uow.session, tenant_id)
            if r.heartbeat_at is None or r.heartbeat_at.timestamp() + older_than_seconds <= now
        ]
