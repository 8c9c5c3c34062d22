"""Queries over the executions index: enrolment, position reports, lists and counts."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from indexer import journey
from indexer.models import Execution, MigrationItem, WorkflowVersion
from indexer.pagination import cursor_int, cursor_uuid, decode_cursor, encode_cursor

LIVE = ("active", "waiting")
_CHUNK = 1000


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def contacts_with_executions(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, contact_ids: Sequence[str], *, live_only: bool
) -> set[str]:
    """Which of these contacts already run on the workflow (or ever did)."""
    found: set[str] = set()
    for chunk in _chunks(contact_ids):
        query = select(Execution.contact_id).where(
            Execution.tenant_id == tenant_id,
            Execution.workflow_id == workflow_id,
            Execution.contact_id.in_(chunk),
        )
        if live_only:
            query = query.where(Execution.status.in_(LIVE))
        found.update(session.scalars(query))
    return found


def a_live_execution(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> uuid.UUID | None:
    """The id of one contact's execution still in flight on the workflow, if any (a delete waits)."""
    query = select(Execution.id).where(
        Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id, Execution.status.in_(LIVE)
    )
    return session.scalars(query.limit(1)).first()


def insert_executions(session: Session, rows: list[dict[str, Any]], *, journal: bool = True) -> None:
    """New executions and (with ``journal``) their first journey rows
    (``indexer.journey.enrolled``: set-based, never a loop of single inserts)."""
    journey.enrolled(session, rows, journal=journal)


# What a position report needs of each execution it names: read as plain rows, not as
# ORM objects (building 10,000 of those took a tenth of a batch's time).
LockedExecution = Row[tuple[uuid.UUID, str, str, uuid.UUID, str | None, int, str, uuid.UUID]]
_LOCKED = select(
    Execution.id,
    Execution.contact_id,
    Execution.status,
    Execution.version_id,
    Execution.current_action_id,
    Execution.revision,
    Execution.tenant_id,
    Execution.workflow_id,
)


def lock_executions(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    ids: Sequence[uuid.UUID],
    contacts: Sequence[str],
) -> list[LockedExecution]:
    """The executions a batch of position reports names (where each is, its revision, and
    what its journey row needs), row-locked (a migration batch touching the same rows waits, then
    re-checks its conditions)."""
    found: list[LockedExecution] = []
    base = _LOCKED.where(Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id)
    for chunk in _chunks(ids):
        found.extend(session.execute(base.where(Execution.id.in_(chunk)).with_for_update()))
    for chunk in _chunks(contacts):
        found.extend(
            session.execute(
                base.where(Execution.contact_id.in_(chunk), Execution.status.in_(LIVE)).with_for_update()
            )
        )
    return found


def list_executions(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    version_id: uuid.UUID | None,
    status: str | None,
    action: str | None,
    migration_id: uuid.UUID | None = None,
    contact_id: str | None = None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Execution], str | None]:
    """One page in id order. A contact's executions come from the (workflow_id, contact_id)
    index: a workflow id belongs to one tenant, so the tenant test is a check on those rows."""
    query = select(Execution).where(Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id)
    if migration_id is not None:
        query = query.where(Execution.last_migration_id == migration_id)
    if version_id is not None:
        query = query.where(Execution.version_id == version_id)
    if status is not None:
        query = query.where(Execution.status == status)
    if action is not None:
        query = query.where(Execution.current_action_id == action)
    if contact_id is not None:
        query = query.where(Execution.contact_id == contact_id)
    if cursor:
        (after,) = decode_cursor(cursor, cursor_uuid)
        query = query.where(Execution.id > after)
    rows = session.scalars(query.order_by(Execution.id).limit(limit + 1)).all()
    page = rows[:limit]
    return page, encode_cursor(str(page[-1].id)) if len(rows) > limit else None


def summary(
    session: Session, tenant_id: str, workflow_id: uuid.UUID
) -> list[tuple[uuid.UUID, int, str | None, str, int]]:
    """Counts per version x action x status."""
    rows = session.execute(
        select(
            Execution.version_id,
            WorkflowVersion.version_number,
            Execution.current_action_id,
            Execution.status,
            func.count(),
        )
        .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
        .where(Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id)
        .group_by(
            Execution.version_id,
            WorkflowVersion.version_number,
            Execution.current_action_id,
            Execution.status,
        )
        .order_by(WorkflowVersion.version_number.desc(), Execution.current_action_id, Execution.status)
    )
    return [(v, n, a, s, int(c)) for v, n, a, s, c in rows]


def live_count(session: Session, tenant_id: str, workflow_id: uuid.UUID, version_id: uuid.UUID) -> int:
    """Active and waiting executions of one version: shown with every version read, the
    API's most frequent request, so a statement built once and run as Core."""
    parameters = {"tenant_id": tenant_id, "workflow_id": workflow_id, "version_id": version_id}
    return int(session.connection().execute(_LIVE_COUNT, parameters).scalar_one())


_LIVE_COUNT = select(func.count()).where(
    Execution.tenant_id == bindparam("tenant_id"),
    Execution.workflow_id == bindparam("workflow_id"),
    Execution.version_id == bindparam("version_id"),
    Execution.status.in_(LIVE),
)


def list_items(
    session: Session,
    tenant_id: str,
    migration_id: uuid.UUID,
    *,
    outcome: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[MigrationItem], str | None]:
    """A migration's per-execution outcomes (failed, exited, skipped), in order."""
    query = select(MigrationItem).where(
        MigrationItem.tenant_id == tenant_id, MigrationItem.migration_id == migration_id
    )
    if outcome is not None:
        query = query.where(MigrationItem.outcome == outcome)
    if cursor:
        (after,) = decode_cursor(cursor, cursor_int)
        query = query.where(MigrationItem.id > after)
    rows = session.scalars(query.order_by(MigrationItem.id).limit(limit + 1)).all()
    page = rows[:limit]
    return page, encode_cursor(page[-1].id) if len(rows) > limit else None
