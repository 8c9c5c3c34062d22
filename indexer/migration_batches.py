"""Set-based SQL for moving executions between versions: one statement per batch and
outcome, never a loop of single-row updates.

A batch is a scope of rows: a keyset range ``(lo, hi]`` of execution ids on one source
version, or an explicit id list (manual migrations). Every statement re-checks version,
status and position in its WHERE clause, so an execution the engine moved meanwhile is
neither lost nor mapped twice (PostgreSQL re-evaluates the clause on a row it waited for).
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, insert, literal, not_, or_, select
from sqlalchemy.orm import Session

from indexer import journey
from indexer.models import Execution, MigrationItem, VersionMigration
from indexer.pins import not_pinned, pinned
from schemas.migrations import TERMINAL

LIVE = ("active", "waiting")


@dataclass(frozen=True)
class Scope:
    """The rows one batch may touch."""

    tenant_id: str
    workflow_id: uuid.UUID
    source_ids: Sequence[uuid.UUID]
    lo: uuid.UUID | None = None
    hi: uuid.UUID | None = None
    ids: Sequence[uuid.UUID] | None = None

    def clause(self) -> ColumnElement[bool]:
        """The rows a batch moves, exits or reports as unmapped: a pinned contact's are
        never among them (``report_pinned`` lists those)."""
        return and_(self.reach(), not_pinned())

    def reach(self) -> ColumnElement[bool]:
        """The scope's live executions, pinned or not."""
        conditions = [
            Execution.tenant_id == self.tenant_id,
            Execution.workflow_id == self.workflow_id,
            Execution.version_id.in_(self.source_ids),
            Execution.status.in_(LIVE),
        ]
        if self.ids is not None:
            conditions.append(Execution.id.in_(self.ids))
        if self.lo is not None:
            conditions.append(Execution.id > self.lo)
        if self.hi is not None:
            conditions.append(Execution.id <= self.hi)
        return and_(*conditions)


def plan_counts(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    source_ids: Sequence[uuid.UUID],
    ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, str | None, int]]:
    """Live executions per (source version, position): a GROUP BY on the index, not a loop.
    ``ids`` narrows the count to a manual migration's listed executions (in chunks that
    every database takes as parameters), so its dry run plans exactly what it would move."""
    chunks = [None] if ids is None else [ids[start : start + 1000] for start in range(0, len(ids), 1000)]
    counts: Counter[tuple[uuid.UUID, str | None]] = Counter()
    for chunk in chunks:
        scope = Scope(tenant_id, workflow_id, source_ids, ids=chunk)
        rows = session.execute(
            select(Execution.version_id, Execution.current_action_id, func.count())
            .where(scope.clause())
            .group_by(Execution.version_id, Execution.current_action_id)
        )
        counts.update({(version, action): int(count) for version, action, count in rows})
    return [(version, action, count) for (version, action), count in counts.items()]


def live_listed(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    source_ids: Sequence[uuid.UUID],
    *,
    ids: Sequence[uuid.UUID],
    contacts: Sequence[str],
) -> set[uuid.UUID]:
    """Which of a manual migration's listed executions (by id or by contact) are live on
    a source version, in chunks that every database takes as parameters. Pinned ones
    included: the runner reports them as pinned."""
    base = select(Execution.id).where(Scope(tenant_id, workflow_id, source_ids).reach())
    found: set[uuid.UUID] = set()
    for start in range(0, max(len(ids), len(contacts)), 1000):
        if ids[start : start + 1000]:
            found.update(session.scalars(base.where(Execution.id.in_(ids[start : start + 1000]))))
        if contacts[start : start + 1000]:
            found.update(
                session.scalars(base.where(Execution.contact_id.in_(contacts[start : start + 1000])))
            )
    return found


def boundary(
    session: Session, scope: Scope, limit: int, migration_id: uuid.UUID, *, sweep: bool
) -> uuid.UUID | None:
    """The id that closes the next batch of ``limit`` rows after ``scope.lo``, or None when
    fewer remain (the batch then runs to the end). A sweep skips rows already reported."""
    query = select(Execution.id).where(scope.clause())
    if sweep:
        query = query.where(not_(_reported(migration_id)))
    return session.scalars(query.order_by(Execution.id).offset(limit - 1).limit(1)).first()


def _reported(migration_id: uuid.UUID) -> ColumnElement[bool]:
    return exists().where(
        MigrationItem.migration_id == migration_id, MigrationItem.execution_id == Execution.id
    )


def move(
    session: Session,
    scope: Scope,
    *,
    target_id: uuid.UUID,
    mapping: dict[str, str],
    migration_id: uuid.UUID,
    at: datetime,
    sweep: bool = False,
    journal: bool = True,
) -> int:
    """Move the scope's executions at mapped positions to the target version, each with
    its journey row. In a sweep, an execution already reported stays reported (the engine
    may have moved it since): each execution has one outcome per migration."""
    if not mapping:
        return 0
    condition = and_(scope.clause(), Execution.current_action_id.in_(list(mapping)))
    if sweep:
        condition = and_(condition, not_(_reported(migration_id)))
    values = {
        "version_id": target_id,
        "current_action_id": case(mapping, value=Execution.current_action_id),
        "last_migration_id": migration_id,
    }
    return journey.moved(
        session, condition, values, cause="migration", cause_id=migration_id, at=at, journal=journal
    )


def _unmapped(mapped: Sequence[str]) -> ColumnElement[bool]:
    return or_(Execution.current_action_id.is_(None), Execution.current_action_id.not_in(list(mapped)))


def report(
    session: Session,
    scope: Scope,
    *,
    mapped: Sequence[str],
    migration_id: uuid.UUID,
    outcome: str,
    reason: str,
    at: datetime,
) -> int:
    """Write an item row for each scope execution at an unmapped position (once each)."""
    where = (scope.clause(), _unmapped(mapped))
    return _insert_items(
        session, scope, where, migration_id=migration_id, outcome=outcome, reason=reason, at=at
    )


def _insert_items(
    session: Session,
    scope: Scope,
    where: Sequence[ColumnElement[bool]],
    *,
    migration_id: uuid.UUID,
    outcome: str,
    reason: str,
    at: datetime,
) -> int:
    """One item for each execution ``where`` picks that the migration has not reported
    yet (each execution has one outcome per migration)."""
    rows = select(
        literal(scope.tenant_id),
        Execution.workflow_id,
        literal(migration_id),
        Execution.id,
        Execution.contact_id,
        Execution.version_id,
        Execution.current_action_id,
        literal(outcome),
        literal(reason),
        literal(at),
    ).where(*where, not_(_reported(migration_id)))
    statement = (
        insert(MigrationItem)
        .from_select(
            [
                "tenant_id",
                "workflow_id",
                "migration_id",
                "execution_id",
                "contact_id",
                "from_version_id",
                "from_action_id",
                "outcome",
                "reason",
                "created_at",
            ],
            rows,
        )
        .returning(MigrationItem.id)
    )
    # RETURNING, because drivers report no rowcount for INSERT ... SELECT (psycopg: -1).
    return len(session.connection().execute(statement).all())


PINNED_REASON = "pinned to its version"


def report_pinned(session: Session, scope: Scope, *, migration_id: uuid.UUID, at: datetime) -> int:
    """Write a ``pinned`` item for each of the scope's executions whose contact is pinned
    (once each per migration): the batch left them where they are."""
    where = (scope.reach(), pinned())
    return _insert_items(
        session, scope, where, migration_id=migration_id, outcome="pinned", reason=PINNED_REASON, at=at
    )


def exit_unmapped(
    session: Session,
    scope: Scope,
    *,
    mapped: Sequence[str],
    migration_id: uuid.UUID,
    at: datetime,
    journal: bool = True,
) -> int:
    """The ``exit`` policy: executions with no counterpart leave the workflow (a journey
    row each, so a revert can bring them back)."""
    values = {"status": "exited", "last_migration_id": migration_id}
    return journey.moved(
        session,
        and_(scope.clause(), _unmapped(mapped)),
        values,
        cause="migration",
        cause_id=migration_id,
        at=at,
        journal=journal,
    )


def lock_migration(session: Session, tenant_id: str, migration_id: uuid.UUID) -> VersionMigration | None:
    """The migration row, locked: one batch of a migration at a time, on any worker."""
    return session.scalars(
        select(VersionMigration)
        .where(VersionMigration.tenant_id == tenant_id, VersionMigration.id == migration_id)
        .with_for_update()
    ).one_or_none()


def newest_migrations(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, limit: int
) -> Sequence[VersionMigration]:
    """A workflow's migrations, newest first."""
    return session.scalars(
        select(VersionMigration)
        .where(VersionMigration.tenant_id == tenant_id, VersionMigration.workflow_id == workflow_id)
        .order_by(VersionMigration.created_at.desc())
        .limit(limit)
    ).all()


def get_migration(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, migration_id: uuid.UUID, *, lock: bool
) -> VersionMigration | None:
    """One migration of the workflow, row-locked when ``lock`` (pause, resume, cancel)."""
    query = select(VersionMigration).where(
        VersionMigration.tenant_id == tenant_id,
        VersionMigration.workflow_id == workflow_id,
        VersionMigration.id == migration_id,
    )
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def _unfinished(tenant_id: str, workflow_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(
        VersionMigration.tenant_id == tenant_id,
        VersionMigration.workflow_id == workflow_id,
        VersionMigration.status.not_in(TERMINAL),
    )


def unfinished_migrations(
    session: Session, tenant_id: str, workflow_id: uuid.UUID
) -> Sequence[VersionMigration]:
    """The workflow's migrations not yet completed, cancelled or failed."""
    return session.scalars(select(VersionMigration).where(_unfinished(tenant_id, workflow_id))).all()


def an_unfinished_migration(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> uuid.UUID | None:
    """The id of one unfinished migration of the workflow, if it has any (a delete waits)."""
    return session.scalars(select(VersionMigration.id).where(_unfinished(tenant_id, workflow_id))).first()


def queued_or_running(session: Session, tenant_id: str) -> Sequence[VersionMigration]:
    """The tenant's migrations a runner owes work (the watch for stalled runners)."""
    return session.scalars(
        select(VersionMigration).where(
            VersionMigration.tenant_id == tenant_id, VersionMigration.status.in_(("queued", "running"))
        )
    ).all()
