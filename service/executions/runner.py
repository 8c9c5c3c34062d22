"""The migration runner: batches of set-based moves, each its own transaction under the
migration's row lock, resumable from the stored cursor after any crash.

A pass walks each source version in id order (keyset ranges); a second pass (the sweep)
picks up executions that arrived or moved behind the cursor. Executions with no
counterpart are reported once (``fail``) or exited (``exit``). A gradual migration stops
at each step's quota and halts itself when too many executions of the current step (or
since the last resume) fail (``service.executions.window``).

One live runner chain per migration: each job carries the migration's ``generation`` it
was started for, and a start, a resume or the watchdog raises it before enqueueing a new
chain, so a job of an older chain still in the queue (scheduled before a pause, or
surviving a queue outage) exits without a batch. Two chains would each re-enqueue
themselves, and steps would come faster than ``interval_seconds``. A job that fires before
``next_step_at`` (a resume during the pause between steps) starts nothing either: its
chain is scheduled again for that time.
"""

import logging
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from indexer import migration_batches as batches
from indexer.journey_feed import Mark
from indexer.models import VersionMigration, Workflow
from indexer.queries import add_audit
from schemas.migrations import EXIT, step_quota
from schemas.webhooks import EventType
from service.clock import utcnow, utcnow_rounded_up
from service.compare.comparison import executions_changed
from service.container import Container
from service.executions import journal
from service.executions.window import close_window, halt_if_failing, open_window
from service.journeys import feed
from service.ops import metrics, tracing
from service.uow import UnitOfWork
from service.webhooks.events import Event, emit

log = logging.getLogger("wfv.migrations")
Outcome = Literal["more", "done", "wait", "stopped", "stale"]


def _apply(
    uow: UnitOfWork, migration: VersionMigration, source: uuid.UUID, scope: batches.Scope, now: datetime
) -> None:
    """Move the scope's mapped executions, then apply the unmapped policy to the rest."""
    effective: dict[str, str | None] = migration.options["effective"][str(source)]
    mapping = {p: t for p, t in effective.items() if t is not None and t != EXIT}
    executions_changed(uow, migration.tenant_id, migration.workflow_id)
    migration.migrated += batches.move(
        uow.session,
        scope,
        target_id=migration.target_version_id,
        mapping=mapping,
        migration_id=migration.id,
        at=now,
        sweep=migration.sweep > 0,
        journal=journal.kept(uow),
    )
    _handle_unmapped(uow, migration, scope, list(mapping), now)
    # Pinned contacts stay where they are: one item each, counted with the skipped.
    migration.skipped += batches.report_pinned(uow.session, scope, migration_id=migration.id, at=now)


def _handle_unmapped(
    uow: UnitOfWork, migration: VersionMigration, scope: batches.Scope, mapped: list[str], now: datetime
) -> None:
    session, policy = uow.session, migration.options["unmapped"]
    if policy == EXIT:
        batches.report(
            session,
            scope,
            mapped=mapped,
            migration_id=migration.id,
            outcome="exited",
            reason="no counterpart in the target: exited by policy",
            at=now,
        )
        migration.skipped += batches.exit_unmapped(
            session, scope, mapped=mapped, migration_id=migration.id, at=now, journal=journal.kept(uow)
        )
    else:
        migration.failed += batches.report(
            session,
            scope,
            mapped=mapped,
            migration_id=migration.id,
            outcome="failed",
            reason="no counterpart in the target version",
            at=now,
        )


def _batch_limit(migration: VersionMigration) -> int | None:
    """Rows the next batch may take; None when a gradual step's quota is used up."""
    limit = int(migration.options["batch_size"])
    if migration.strategy != "gradual":
        return limit
    quota = step_quota(migration.total, float(migration.options["step_percent"]), migration.step)
    if quota >= migration.total:
        return limit  # the last step: run until the passes are done, sweep included
    left = quota - (migration.migrated + migration.failed + migration.skipped)
    return min(limit, left) if left > 0 else None


def _range_batch(uow: UnitOfWork, migration: VersionMigration, limit: int, now: datetime) -> bool:
    """One keyset batch; True when every pass over every source is done."""
    sources = [uuid.UUID(s) for s in migration.source_version_ids]
    source = sources[migration.source_index]
    lo = uuid.UUID(migration.cursor) if migration.cursor else None
    base = batches.Scope(migration.tenant_id, migration.workflow_id, [source], lo=lo)
    hi = batches.boundary(uow.session, base, limit, migration.id, sweep=migration.sweep > 0)
    _apply(
        uow,
        migration,
        source,
        batches.Scope(migration.tenant_id, migration.workflow_id, [source], lo=lo, hi=hi),
        now,
    )
    if hi is not None:
        migration.cursor = str(hi)
        return False
    migration.cursor, migration.source_index = None, migration.source_index + 1
    if migration.source_index < len(sources):
        return False
    if migration.sweep == 0:
        migration.sweep, migration.source_index = 1, 0
        return False
    return True


def _manual_batch(uow: UnitOfWork, migration: VersionMigration, limit: int, now: datetime) -> bool:
    listed: list[str] = migration.options["execution_ids"]
    start = int(migration.cursor or 0)
    chunk = [uuid.UUID(i) for i in listed[start : start + limit]]
    sources = [uuid.UUID(s) for s in migration.source_version_ids]
    before = migration.migrated + migration.failed + migration.skipped
    for source in sources:
        _apply(
            uow,
            migration,
            source,
            batches.Scope(migration.tenant_id, migration.workflow_id, [source], ids=chunk),
            now,
        )
    # Listed executions that had finished or moved away by their turn.
    migration.skipped += len(chunk) - (migration.migrated + migration.failed + migration.skipped - before)
    migration.cursor = str(start + len(chunk))
    return start + len(chunk) >= len(listed)


def _finish(uow: UnitOfWork, migration: VersionMigration, now: datetime) -> None:
    processed = migration.migrated + migration.failed + migration.skipped
    if processed < migration.total:
        # Finished or left before their turn (or, listed by hand, never found on a source).
        migration.skipped += migration.total - processed
    migration.total = max(migration.total, migration.migrated + migration.failed + migration.skipped)
    migration.status, migration.finished_at = "completed", now
    close_window(migration, now)
    counts = {"migrated": migration.migrated, "failed": migration.failed, "skipped": migration.skipped}
    _audit(uow, migration, "migration_complete", counts, now)
    # To the tenant's endpoints and to the operator's (WFV_MIGRATION_WEBHOOK_URL), if set.
    _emit(uow, migration, "migration.completed", {"total": migration.total, **counts}, now)


def _emit(
    uow: UnitOfWork,
    migration: VersionMigration,
    event_type: EventType,
    details: dict[str, Any],
    now: datetime,
) -> None:
    data = {
        "migration_id": str(migration.id),
        "target_version_id": str(migration.target_version_id),
        **details,
    }
    emit(uow, migration.tenant_id, Event(event_type, migration.workflow_id, data, now))


def _announce_moves(uow: UnitOfWork, migration: VersionMigration, since: Mark, now: datetime) -> None:
    """``executions.moved`` for this batch's moves and exits, if it made any."""
    data = {"migration_id": str(migration.id), "target_version_id": str(migration.target_version_id)}
    feed.announce(
        uow,
        migration.tenant_id,
        migration.workflow_id,
        since,
        cause="migration",
        cause_id=migration.id,
        data=data,
        at=now,
    )


def _halted(uow: UnitOfWork, migration: VersionMigration, halt: dict[str, Any], now: datetime) -> None:
    """The halt's audit entry: which step, which share, which threshold; and its event."""
    _audit(uow, migration, "migration_halt", halt, now)
    counts = {"migrated": migration.migrated, "failed": migration.failed, "skipped": migration.skipped}
    _emit(uow, migration, "migration.halted", {"total": migration.total, **counts, "halt": halt}, now)


def fail_migration(
    container: Container, tenant_id: str, migration_id: uuid.UUID, *, generation: int, error: BaseException
) -> bool:
    """A runner job met an error that is no outage (trying again would meet it again): the
    migration ends ``failed``, what it moved stays moved, and ``migration.failed`` is sent.
    False when the migration is no longer this chain's to end. The reason names the error's
    type only (its text may carry anything)."""
    with container.uow(tenant_id, write=True) as uow:
        migration = batches.lock_migration(uow.session, tenant_id, migration_id)
        if migration is None or migration.status not in ("queued", "running"):
            return False
        if migration.generation != generation:
            return False
        now = utcnow()
        close_window(migration, now)
        reason = f"the runner failed: {type(error).__name__}"
        migration.status, migration.status_reason, migration.finished_at = "failed", reason, now
        counts = {"migrated": migration.migrated, "failed": migration.failed, "skipped": migration.skipped}
        _audit(uow, migration, "migration_fail", {"reason": reason, **counts}, now)
        _emit(uow, migration, "migration.failed", {"total": migration.total, **counts, "reason": reason}, now)
        uow.commit()
    return True


def _audit(
    uow: UnitOfWork, migration: VersionMigration, action: str, details: dict[str, Any], now: datetime
) -> None:
    """An entry of the migration's own (completion, halt), by whoever started it."""
    workflow = uow.session.get(Workflow, migration.workflow_id)
    assert workflow is not None
    add_audit(
        uow.session,
        workflow=workflow,
        version_id=migration.target_version_id,
        action=action,
        actor_id=migration.created_by,
        at=now,
        details={"migration_id": str(migration.id), **details},
    )
    log.warning("migration %s %s", migration.id, migration.status_reason)


def _step(uow: UnitOfWork, migration: VersionMigration, now: datetime) -> Outcome:
    if migration.status == "queued":
        migration.status, migration.started_at = "running", now
    limit = _batch_limit(migration)
    if limit is None:
        close_window(migration, now)
        migration.step += 1
        rest = timedelta(seconds=float(migration.options["interval_seconds"]))
        migration.next_step_at = utcnow_rounded_up() + rest  # never before the step's end + rest
        return "wait"
    if migration.window_started_at is None and migration.strategy == "gradual":
        log.info(
            "migration %s opens a window in step %d (generation %d)",
            migration.id,
            migration.step,
            migration.generation,
        )
    open_window(migration, now)
    since = feed.mark(uow)
    if migration.strategy == "manual":
        done = _manual_batch(uow, migration, limit, now)
    else:
        done = _range_batch(uow, migration, limit, now)
    _announce_moves(uow, migration, since, now)
    if done:
        _finish(uow, migration, now)
        return "done"
    halt = halt_if_failing(migration, now)
    if halt is None:
        return "more"
    _halted(uow, migration, halt, now)
    return "stopped"


@tracing.use_case("migration.batches")
def run_batches(
    container: Container,
    tenant_id: str,
    migration_id: uuid.UUID,
    *,
    generation: int,
    budget_seconds: float = 2.0,
) -> Outcome:
    """Run batches until done, stopped, a gradual step's end, or the time budget is spent
    (then the caller enqueues the rest, so one migration never hogs a worker).

    ``stale`` when ``generation`` is no longer the migration's (checked before every
    batch, under the row lock: a resume may start a new chain between two batches);
    ``wait`` at once when the next gradual step is not due yet."""
    deadline = time.monotonic() + budget_seconds
    while True:
        started = time.perf_counter()
        with container.uow(tenant_id, write=True) as uow:
            migration = batches.lock_migration(uow.session, tenant_id, migration_id)
            if migration is None or migration.status not in ("queued", "running"):
                return "stopped"
            if migration.generation != generation:
                log.info(
                    "migration %s: a runner of generation %d exits, it is not the live chain (%d)",
                    migration_id,
                    generation,
                    migration.generation,
                )
                return "stale"
            now = utcnow()
            if migration.next_step_at is not None and now < migration.next_step_at:
                return "wait"  # early: the step starts when its pause is over
            moved_before = migration.migrated
            outcome = _step(uow, migration, now)
            migration.heartbeat_at = now
            uow.commit()
        metrics.migration_batch(migration.migrated - moved_before, time.perf_counter() - started)
        if outcome != "more" or time.monotonic() > deadline:
            return outcome


def seconds_to_next_step(container: Container, tenant_id: str, migration_id: uuid.UUID) -> float:
    """How long a gradual migration still rests before its next step (0 when it is due)."""
    with container.uow(tenant_id) as uow:
        migration = uow.session.get(VersionMigration, migration_id)
        if migration is None or migration.next_step_at is None:
            return 0.0
        return max(0.0, (migration.next_step_at - utcnow()).total_seconds())


def new_chain(container: Container, tenant_id: str, migration_id: uuid.UUID) -> int | None:
    """Raise the migration's generation for a chain about to be enqueued (the watchdog,
    a consumer starting, the queue coming back); None when it is no longer running. Any
    chain still alive then exits at its next job."""
    with container.uow(tenant_id, write=True) as uow:
        migration = batches.lock_migration(uow.session, tenant_id, migration_id)
        if migration is None or migration.status not in ("queued", "running"):
            return None
        migration.generation += 1
        generation = migration.generation
        uow.commit()
        return generation


def adopt(container: Container, tenant_id: str, migration_id: uuid.UUID) -> int | None:
    """The generation a job queued before generations existed (it carries none) runs as:
    it is accepted only while no chain was started since the upgrade (the row is still
    at 0), and claims the migration (1), so a second such job - the same migration
    chained twice before the upgrade - exits; None when it must exit."""
    with container.uow(tenant_id, write=True) as uow:
        migration = batches.lock_migration(uow.session, tenant_id, migration_id)
        if migration is None or migration.generation != 0:
            log.info(
                "migration %s: a runner from before generations exits, another chain is live", migration_id
            )
            return None
        migration.generation = 1
        uow.commit()
        return 1


def stalled(container: Container, tenant_id: str, older_than_seconds: float) -> list[uuid.UUID]:
    """Running migrations of a tenant whose runner stopped beating (its worker died).

    A gradual migration resting between steps is not stalled until its pause is over: its
    next step is scheduled, and a runner woken early (at start-up, when the queue comes
    back) would start that step at once, cutting short the pause meant to watch the last."""
    now = utcnow().timestamp()
    with container.uow(tenant_id) as uow:
        rows = batches.queued_or_running(uow.session, tenant_id)
        return [
            m.id
            for m in rows
            # ``<=``: the clock of record has whole seconds, so a runner killed in the second
            # a new consumer starts beat "now"; with ``<`` the start-up resume (which looks
            # once) skipped it and the migration sat running until the minute watchdog.
            if m.heartbeat_at is None
            or m.heartbeat_at.timestamp() + _rest_seconds(m) + older_than_seconds <= now
        ]


def _rest_seconds(migration: VersionMigration) -> float:
    """The pause a gradual migration takes after a step, if it is taking one now: its
    executions processed are exactly the last step's quota (the step count moves on as the
    pause starts, before the next step's first batch)."""
    if migration.strategy != "gradual" or migration.step <= 1:
        return 0.0
    processed = migration.migrated + migration.failed + migration.skipped
    last = step_quota(migration.total, float(migration.options["step_percent"]), migration.step - 1)
    return float(migration.options["interval_seconds"]) if processed <= last else 0.0
