"""The SQL of the impact preview, set-based: one GROUP BY for the counts of every
position (pinned apart), one keyset page for the contacts of a bucket.

Which positions make up a bucket is decided in Python from the two documents (a few
dozen actions); the database only counts and lists executions at those positions, so
100,000 live contacts cost one scan of the executions index, never a row at a time.
"""

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, exists, false, func, not_, or_, select
from sqlalchemy.orm import Session

from indexer.migration_batches import LIVE, Scope
from indexer.models import Execution, Pin
from indexer.pagination import cursor_uuid, decode_cursor, encode_cursor

# Positions per source version: action ids, None for executions at no action.
Positions = Mapping[uuid.UUID, Sequence[str | None]]


@dataclass(frozen=True)
class ImpactRow:
    """One execution of a bucket's page; ``updated_at`` is its last change of position."""

    execution_id: uuid.UUID
    contact_id: str
    version_id: uuid.UUID
    action_id: str | None
    updated_at: datetime


def _pinned(tenant_id: str | BindParameter[str]) -> ColumnElement[bool]:
    """The execution's contact is pinned in its workflow (the pins' primary key)."""
    return exists().where(
        Pin.tenant_id == tenant_id,
        Pin.workflow_id == Execution.workflow_id,
        Pin.contact_id == Execution.contact_id,
    )


def position_counts(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    source_ids: Sequence[uuid.UUID],
    ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, str | None, bool, int]]:
    """Live executions per (source version, position, pinned or not): one GROUP BY.
    ``ids`` narrows it to a manual migration's listed executions (in chunks that every
    database takes as parameters), as ``migration_batches.plan_counts`` does."""
    chunks = [None] if ids is None else [ids[start : start + 1000] for start in range(0, len(ids), 1000)]
    pinned = _pinned(tenant_id).label("pinned")
    counts: Counter[tuple[uuid.UUID, str | None, bool]] = Counter()
    for chunk in chunks:
        scope = Scope(tenant_id, workflow_id, source_ids, ids=chunk)
        rows = session.execute(
            select(Execution.version_id, Execution.current_action_id, pinned, func.count())
            .where(scope.reach())
            .group_by(Execution.version_id, Execution.current_action_id, pinned)
        )
        counts.update({(version, action, bool(pin)): int(count) for version, action, pin, count in rows})
    return [(version, action, pin, count) for (version, action, pin), count in counts.items()]


def version_counts(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, version_id: uuid.UUID
) -> dict[str | None, tuple[int, int]]:
    """Live executions of one version per position: (not pinned, pinned), from the same
    GROUP BY as ``position_counts`` (the compare view's counts). The statement is built
    once and run as Core: a cold compare's cost is mostly this read."""
    parameters = {"tenant_id": tenant_id, "workflow_id": workflow_id, "version_id": version_id}
    found: dict[str | None, tuple[int, int]] = {}
    for action, pin, count in session.connection().execute(_VERSION_COUNTS, parameters):
        free, held = found.get(action, (0, 0))
        found[action] = (free, held + int(count)) if pin else (free + int(count), held)
    return found


_VERSION_PINNED = _pinned(bindparam("tenant_id")).label("pinned")
_VERSION_COUNTS = (
    select(Execution.current_action_id, _VERSION_PINNED, func.count())
    .where(  # Scope.reach() of one source version
        Execution.tenant_id == bindparam("tenant_id"),
        Execution.workflow_id == bindparam("workflow_id"),
        Execution.version_id == bindparam("version_id"),
        Execution.status.in_(LIVE),
    )
    .group_by(Execution.current_action_id, _VERSION_PINNED)
)


def _at(positions: Positions) -> ColumnElement[bool]:
    """Executions at one of ``positions`` (a null position is ``IS NULL``)."""
    either = []
    for version_id, actions in positions.items():
        named = [a for a in actions if a is not None]
        at = [Execution.current_action_id.in_(named)] if named else []
        if None in actions:
            at.append(Execution.current_action_id.is_(None))
        if at:
            either.append(and_(Execution.version_id == version_id, or_(*at)))
    return or_(*either) if either else false()


def bucket_page(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    source_ids: Sequence[uuid.UUID],
    *,
    positions: Positions | None,
    pinned: bool,
    limit: int,
    cursor: str | None,
) -> tuple[list[ImpactRow], str | None]:
    """One page of a bucket, in execution id order (keyset): live executions of the
    sources at ``positions`` (None: at any) whose contact is pinned, or is not."""
    pin = _pinned(tenant_id)
    columns = (Execution.contact_id, Execution.version_id, Execution.current_action_id, Execution.updated_at)
    query = select(Execution.id, *columns).where(Scope(tenant_id, workflow_id, source_ids).reach())
    query = query.where(pin if pinned else not_(pin))
    if positions is not None:
        query = query.where(_at(positions))
    if cursor:
        (after,) = decode_cursor(cursor, cursor_uuid)
        query = query.where(Execution.id > after)
    rows = session.execute(query.order_by(Execution.id).limit(limit + 1)).all()
    page = [ImpactRow(*row) for row in rows[:limit]]
    return page, encode_cursor(str(page[-1].execution_id)) if len(rows) > limit else None
