"""Set-based SQL of migration reverts: what a migration moved (its journey rows, cause
``migration``), which of those can go back, and the batches that put them back.

An execution "has not moved since" iff its revision is still the one the migration's
journey row names. Of those, a pinned contact's stays (``pinned``), and one the migration
exited whose contact is in flight again on another execution stays too (``blocked``: one
live execution per contact). Every other one is ``restorable``: back to the row's
``from_*`` (version, action, status) through ``indexer.journey.moved``, a ``revert`` row
each.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from indexer import journey
from indexer.models import Execution, JourneyEvent, MigrationRevert, WorkflowVersion
from indexer.pagination import cursor_int, decode_cursor, encode_cursor
from indexer.pins import pinned

LIVE = ("active", "waiting")
Reason = str  # 'restorable' | 'moved_since' | 'pinned' | 'blocked'


def _moved_by(migration_id: uuid.UUID, lo: int | None = None, hi: int | None = None) -> ColumnElement[bool]:
    """The migration's journey rows (optionally the seq range ``(lo, hi]``): the partial
    index on ``cause_id`` finds them."""
    conditions = [JourneyEvent.cause_id == migration_id, JourneyEvent.cause == "migration"]
    if lo is not None:
        conditions.append(JourneyEvent.seq > lo)
    if hi is not None:
        conditions.append(JourneyEvent.seq <= hi)
    return and_(*conditions)


def _held_elsewhere() -> ColumnElement[bool]:
    """The execution is not live, and its contact is live on another execution of the
    workflow: putting it back live would make two (``uq_executions_one_live_per_contact``)."""
    other = aliased(Execution)
    return and_(
        Execution.status.not_in(LIVE),
        exists().where(
            other.workflow_id == Execution.workflow_id,
            other.contact_id == Execution.contact_id,
            other.status.in_(LIVE),
            other.id != Execution.id,
        ),
    )


def _blocked() -> ColumnElement[bool]:
    """The row's execution was live before the migration and is not live now (exited by
    it), and its contact is live again on another execution of the workflow."""
    return and_(JourneyEvent.from_status.in_(LIVE), _held_elsewhere())


def _reason() -> Any:
    """Why a journey row's execution can (or cannot) go back, as it reads now."""
    return case(
        (or_(Execution.id.is_(None), Execution.revision != JourneyEvent.revision), "moved_since"),
        (pinned(), "pinned"),
        (_blocked(), "blocked"),
        else_="restorable",
    )


def _joined(tenant_id: str, migration_id: uuid.UUID, lo: int | None, hi: int | None) -> Any:
    return (
        select()
        .select_from(JourneyEvent)
        .outerjoin(Execution, Execution.id == JourneyEvent.execution_id)
        .where(JourneyEvent.tenant_id == tenant_id, _moved_by(migration_id, lo, hi))
    )


def counts(
    session: Session, tenant_id: str, migration_id: uuid.UUID, *, lo: int | None = None, hi: int | None = None
) -> dict[Reason, int]:
    """How many of the migration's moves (in ``(lo, hi]``) are restorable, moved since,
    pinned or blocked: one GROUP BY."""
    reason = _reason().label("reason")
    query = _joined(tenant_id, migration_id, lo, hi).add_columns(reason, func.count()).group_by(reason)
    found = {"restorable": 0, "moved_since": 0, "pinned": 0, "blocked": 0}
    found.update({str(r): int(n) for r, n in session.execute(query)})
    return found


def boundary(session: Session, tenant_id: str, migration_id: uuid.UUID, after: int, limit: int) -> int | None:
    """The seq that closes the next batch of ``limit`` journey rows after ``after``, or
    None when fewer remain (the batch then runs to the end)."""
    query = (
        select(JourneyEvent.seq)
        .where(JourneyEvent.tenant_id == tenant_id, _moved_by(migration_id, after))
        .order_by(JourneyEvent.seq)
        .offset(limit - 1)
        .limit(1)
    )
    return session.scalars(query).first()


def last_seq(session: Session, tenant_id: str, migration_id: uuid.UUID) -> int | None:
    return session.scalar(
        select(func.max(JourneyEvent.seq)).where(JourneyEvent.tenant_id == tenant_id, _moved_by(migration_id))
    )


def lock_batch(session: Session, tenant_id: str, migration_id: uuid.UUID, lo: int, hi: int | None) -> None:
    """Lock the batch's executions (PostgreSQL; SQLite has one writer): the engine's
    reports wait, so the counts and the restore read the same rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    query = (
        select(Execution.id)
        .join(JourneyEvent, Execution.id == JourneyEvent.execution_id)
        .where(JourneyEvent.tenant_id == tenant_id, _moved_by(migration_id, lo, hi))
        .with_for_update(of=Execution)
    )
    session.execute(query).all()


def restore(
    session: Session,
    tenant_id: str,
    migration_id: uuid.UUID,
    revert_id: uuid.UUID,
    *,
    lo: int,
    hi: int | None,
    at: datetime,
    journal: bool,
) -> int:
    """Put back every restorable execution of the batch: one INSERT ... SELECT of its
    ``revert`` journey rows and one UPDATE (``indexer.journey.moved``), each a join of the
    executions with the batch's journey rows (``UPDATE ... FROM`` on both databases), so
    each row is read once by its seq range. A migration moves only live executions, so
    "blocked" is ``_held_elsewhere`` here."""
    moved_row = aliased(JourneyEvent, name="moved_row")
    conditions = [
        moved_row.tenant_id == tenant_id,
        moved_row.cause_id == migration_id,
        moved_row.cause == "migration",
        moved_row.seq > lo,
        Execution.id == moved_row.execution_id,
        Execution.revision == moved_row.revision,
        Execution.tenant_id == tenant_id,
        not_(pinned()),
        not_(_held_elsewhere()),
    ]
    if hi is not None:
        conditions.append(moved_row.seq <= hi)
    values = {
        "version_id": moved_row.from_version_id,
        "current_action_id": moved_row.from_action_id,
        "status": moved_row.from_status,
        "last_migration_id": None,
    }
    return journey.moved(
        session, and_(*conditions), values, cause="revert", cause_id=revert_id, at=at, journal=journal
    )


Other = tuple[Any, ...]  # seq, execution id, contact, reason, version number, action, status


def others(
    session: Session,
    tenant_id: str,
    migration_id: uuid.UUID,
    *,
    revert_id: uuid.UUID | None,
    upto: int | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Other], str | None]:
    """The migration's moves not put back, in journey order, each with its reason as it
    reads now and where its execution is now (version number, action, status): with a
    ``revert_id``, those (up to seq ``upto``) with no revert row of it; without (the dry
    run), those not restorable."""
    reason = _reason()
    query = (
        _joined(tenant_id, migration_id, None, upto)
        .outerjoin(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
        .add_columns(
            JourneyEvent.seq,
            JourneyEvent.execution_id,
            JourneyEvent.contact_id,
            reason,
            WorkflowVersion.version_number,
            Execution.current_action_id,
            Execution.status,
        )
    )
    if revert_id is None:
        query = query.where(reason != "restorable")
    else:
        reverted = aliased(JourneyEvent)
        query = query.where(
            not_(
                exists().where(
                    reverted.cause_id == revert_id,
                    reverted.execution_id == JourneyEvent.execution_id,
                    reverted.cause == "revert",
                )
            )
        )
    if cursor:
        (after,) = decode_cursor(cursor, cursor_int)
        query = query.where(JourneyEvent.seq > after)
    rows: Sequence[Any] = session.execute(query.order_by(JourneyEvent.seq).limit(limit + 1)).all()
    page = [tuple(row) for row in rows[:limit]]
    return page, encode_cursor(page[-1][0]) if len(rows) > limit else None


def get_revert(
    session: Session, tenant_id: str, migration_id: uuid.UUID, *, lock: bool = False
) -> MigrationRevert | None:
    """The migration's newest revert (a failed one may be followed by another)."""
    query = (
        select(MigrationRevert)
        .where(MigrationRevert.tenant_id == tenant_id, MigrationRevert.migration_id == migration_id)
        .order_by(MigrationRevert.created_at.desc(), MigrationRevert.id)
        .limit(1)
    )
    return session.scalars(query.with_for_update() if lock else query).first()


def lock_revert(session: Session, tenant_id: str, revert_id: uuid.UUID) -> MigrationRevert | None:
    """The revert row, locked: one batch of a revert at a time, on any worker."""
    return session.scalars(
        select(MigrationRevert)
        .where(MigrationRevert.tenant_id == tenant_id, MigrationRevert.id == revert_id)
        .with_for_update()
    ).one_or_none()


def queued_or_running(session: Session, tenant_id: str) -> Sequence[MigrationRevert]:
    """The tenant's reverts a runner owes work (the watch for stalled runners)."""
    return session.scalars(
        select(MigrationRevert).where(
            MigrationRevert.tenant_id == tenant_id, MigrationRevert.status.in_(("queued", "running"))
        )
    ).all()
