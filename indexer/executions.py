"""Queries over the executions index: enrolment, position reports, lists and counts."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Row, String, Uuid, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

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


def insert_executions(session: Session, rows: list[dict[str, Any]]) -> None:
    """New executions, never a Python loop of single inserts. On PostgreSQL one INSERT of
    the whole batch from arrays, one per column: a batch of 10,000 went 1.4x as fast as
    through the driver's pipelined executemany, which is what SQLAlchemy makes of a list of
    rows (``bench/enrolment.py``). Elsewhere, or for rows with other columns, statements
    of 1,000 rows."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and all(row.keys() == _NEW_KEYS for row in rows):
        columns = {f"new_{name}": [row[name] for row in rows] for name in _NEW_COLUMNS}
        session.connection().execute(_INSERT_FROM_ARRAYS, columns)
        return
    for chunk in _chunks(rows):
        session.execute(insert(Execution), list(chunk))


# The columns an enrolment writes, each bound as one array.
_NEW_TYPES: dict[str, Any] = {
    "id": Uuid,
    "tenant_id": String,
    "workflow_id": Uuid,
    "version_id": Uuid,
    "contact_id": String,
    "current_action_id": String,
    "status": String,
    "enrolled_at": DateTime(timezone=True),
    "updated_at": DateTime(timezone=True),
}
_NEW_COLUMNS = tuple(_NEW_TYPES)
_NEW_KEYS = set(_NEW_COLUMNS)
_NEW = (
    func.unnest(*(bindparam(f"new_{name}", type_=ARRAY(kind)) for name, kind in _NEW_TYPES.items()))
    .table_valued(*_NEW_COLUMNS, name="new")
    .render_derived()
)
_INSERT_FROM_ARRAYS = insert(Execution).from_select(
    _NEW_COLUMNS, select(*(_NEW.c[name] for name in _NEW_COLUMNS))
)


# What a position report needs of each execution it names: read as plain rows, not as
# ORM objects (building 10,000 of those took a tenth of a batch's time).
LockedExecution = Row[tuple[uuid.UUID, str, str, uuid.UUID]]
_LOCKED = select(Execution.id, Execution.contact_id, Execution.status, Execution.version_id)


def lock_executions(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    ids: Sequence[uuid.UUID],
    contacts: Sequence[str],
) -> list[LockedExecution]:
    """The executions a batch of position reports names (``id``, ``contact_id``, ``status``,
    ``version_id``), row-locked (a migration batch touching the same rows waits, then
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


def apply_moves(session: Session, moves: list[dict[str, Any]], at: datetime) -> int:
    """Compare-and-set on the version each move was validated against; returns rows moved.

    On PostgreSQL the whole batch is one ``UPDATE ... FROM unnest(arrays)``: 10,000
    single-row UPDATEs, even pipelined, took 1.7x as long (``bench/enrolment.py``). Not
    when the batch names an execution twice: a join updates a row once, where the moves
    apply one after the other (the last one stays, each is counted)."""
    if not moves:
        return 0
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres and len({move["b_id"] for move in moves}) == len(moves):
        arrays = {
            "ids": [move["b_id"] for move in moves],
            "versions": [move["b_version"] for move in moves],
            "actions": [move["b_action"] for move in moves],
            "statuses": [move["b_status"] for move in moves],
            "at": at,
        }
        return int(session.connection().execute(_MOVES_FROM_ARRAYS, arrays).rowcount)
    statement = (
        update(Execution)
        .where(Execution.id == bindparam("b_id"), Execution.version_id == bindparam("b_version"))
        .values(current_action_id=bindparam("b_action"), status=bindparam("b_status"), updated_at=at)
    )
    moved = 0
    for chunk in _chunks(moves):
        result = session.connection().execute(statement, list(chunk))
        moved += result.rowcount
    return moved


_MOVED = (
    func.unnest(
        bindparam("ids", type_=ARRAY(Uuid)),
        bindparam("versions", type_=ARRAY(Uuid)),
        bindparam("actions", type_=ARRAY(String)),
        bindparam("statuses", type_=ARRAY(String)),
    )
    .table_valued("id", "version", "action", "status", name="moves")
    .render_derived()
)
_MOVES_FROM_ARRAYS = (
    update(Execution)
    .where(Execution.id == _MOVED.c.id, Execution.version_id == _MOVED.c.version)
    .values(current_action_id=_MOVED.c.action, status=_MOVED.c.status, updated_at=bindparam("at"))
)


def list_executions(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    *,
    version_id: uuid.UUID | None,
    status: str | None,
    action: str | None,
    migration_id: uuid.UUID | None = None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Execution], str | None]:
    query = select(Execution).where(Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id)
    if migration_id is not None:
        query = query.where(Execution.last_migration_id == migration_id)
    if version_id is not None:
        query = query.where(Execution.version_id == version_id)
    if status is not None:
        query = query.where(Execution.status == status)
    if action is not None:
        query = query.where(Execution.current_action_id == action)
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
