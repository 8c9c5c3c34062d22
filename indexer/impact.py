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

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
)
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


def _pinned(tenant_id: str) -> ColumnElement[bool]:
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
    """Live executions of one version per position: (not pinned, pinned), the same counts
    as ``position_counts`` for one source (the compare view's). One statement, built once
    and run as Core, of two GROUP BYs: every live execution per position (index-only, on
    the executions' (workflow, version, status, action) index), and the pinned ones per
    position from the workflow's pins joined to their executions (usually a few), rather
    than a correlated EXISTS per execution, which reads every row for its contact id."""
    parameters = {"tenant_id": tenant_id, "workflow_id": workflow_id, "version_id": version_id}
    every: dict[str | None, int] = {}
    held: dict[str | None, int] = {}
    for pinned, action, count in session.connection().execute(_VERSION_COUNTS, parameters):
        (held if pinned else every)[action] = int(count)
    return {action: (count - held.get(action, 0), held.get(action, 0)) for action, count in every.items()}


_ONE_VERSION_LIVE = (  # Scope.reach() of one source version
    Execution.tenant_id == bindparam("tenant_id"),
    Execution.workflow_id == bindparam("workflow_id"),
    Execution.version_id == bindparam("version_id"),
    Execution.status.in_(LIVE),
)
_VERSION_COUNTS = union_all(
    select(literal(0).label("pinned"), Execution.current_action_id, func.count())
    .where(*_ONE_VERSION_LIVE)
    .group_by(Execution.current_action_id),
    # The pins' primary key is (workflow, contact): at most one pin per execution.
    select(literal(1), Execution.current_action_id, func.count())
    .select_from(Pin)
    .join(Execution, and_(Execution.workflow_id == Pin.workflow_id, Execution.contact_id == Pin.contact_id))
    .where(Pin.tenant_id == bindparam("tenant_id"), Pin.workflow_id == bindparam("workflow_id"))
    .where(*_ONE_VERSION_LIVE)
    .group_by(Execution.current_action_id),
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
