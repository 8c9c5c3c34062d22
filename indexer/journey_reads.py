"""Reads of the journey (``execution_journey``): one execution's events oldest first, a
contact's position at an instant, and the expiry of what is older than the retention.

Every read names its tenant and workflow (row-level security is the second wall on
PostgreSQL). The two reads each walk one index of the table:

- a journey page, ``(execution_id, at, seq)``, keyset-paginated on ``(at, seq)`` (``at``
  alone is not unique: a batch writes many rows in one second);
- as-of, ``(workflow_id, contact_id, at, seq)``: the newest row at or before the instant,
  ``ORDER BY at DESC, seq DESC LIMIT 1``. On PostgreSQL the condition ``at <= T`` prunes
  the day partitions after T, and each partition left answers with a backward scan of its
  own copy of that index, so the cost grows with the partitions kept (one index descent
  each), never with the rows. (Not an ordered ``Append``: PostgreSQL merges instead while
  the default partition may hold rows of any time, and it always may.)

The version's number and commit come from ``workflow_versions``, whose rows outlive a
deleted or archived version (a deleted workflow keeps its rows too), so every event
names the version it was on.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from indexer.models import Execution, JourneyEvent, WorkflowVersion
from indexer.pagination import cursor_int, cursor_time, decode_cursor, encode_cursor

_FROM = aliased(WorkflowVersion, name="from_version")

# One event with the numbers a reader wants: (JourneyEvent, version_number, commit_sha,
# from_version_number).
EventRow = Row[JourneyEvent, int, str, int | None]


def _with_versions(events: Select[Any]) -> tuple[Any, Any]:
    """The events ``events`` picks (ordered and limited there, on the journey's own index),
    joined to their versions only then: (the statement, the event entity to order it by)."""
    picked = events.subquery("picked")
    event = aliased(JourneyEvent, picked)
    statement = (
        select(event, WorkflowVersion.version_number, WorkflowVersion.commit_sha, _FROM.version_number)
        .join(WorkflowVersion, WorkflowVersion.id == event.version_id)
        .outerjoin(_FROM, _FROM.id == event.from_version_id)
    )
    return statement, event


def execution_exists(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, execution_id: uuid.UUID
) -> bool:
    """Is this the tenant's execution of this workflow (a journey of another is a 404)?"""
    query = select(Execution.id).where(
        Execution.tenant_id == tenant_id, Execution.workflow_id == workflow_id, Execution.id == execution_id
    )
    return session.scalars(query).first() is not None


def _cursor_moment(part: Any) -> datetime:
    """A cursor's time: the offset it was written with (a naive one is no cursor of ours)."""
    moment = cursor_time(part)
    if moment.tzinfo is None:
        raise ValueError("a cursor time has an offset")
    return moment


def journey_page(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    execution_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[EventRow], str | None]:
    """One page of an execution's events, oldest first, and the cursor of the next."""
    query = select(JourneyEvent).where(
        JourneyEvent.tenant_id == tenant_id,
        JourneyEvent.workflow_id == workflow_id,
        JourneyEvent.execution_id == execution_id,
    )
    if cursor:
        at, seq = decode_cursor(cursor, _cursor_moment, cursor_int)
        query = query.where(tuple_(JourneyEvent.at, JourneyEvent.seq) > tuple_(at, seq))
    statement, event = _with_versions(query.order_by(JourneyEvent.at, JourneyEvent.seq).limit(limit + 1))
    rows = list(session.execute(statement.order_by(event.at, event.seq)))
    page = rows[:limit]
    if len(rows) <= limit:
        return page, None
    last: JourneyEvent = page[-1][0]
    return page, encode_cursor(last.at.isoformat(), last.seq)


# As-of is asked once per support lookup and by engines in bulk: its statement is built
# once, with bound parameters (building it per call, subquery and aliases, was 1.7 ms of a
# 3.7 ms answer; the SQL itself takes 0.2 ms).
_NEWEST = (
    select(JourneyEvent)
    .where(
        JourneyEvent.tenant_id == bindparam("tenant_id"),
        JourneyEvent.workflow_id == bindparam("workflow_id"),
        JourneyEvent.contact_id == bindparam("contact_id"),
        JourneyEvent.at <= bindparam("at", type_=JourneyEvent.at.type),
    )
    .order_by(JourneyEvent.at.desc(), JourneyEvent.seq.desc())
    .limit(1)
)
_AS_OF, _ = _with_versions(_NEWEST)


def as_of_statement(tenant_id: str, workflow_id: uuid.UUID, contact_id: str, at: datetime) -> Any:
    """The contact's newest event at or before ``at`` (the statement, its values bound:
    tests EXPLAIN it)."""
    return _AS_OF.params(tenant_id=tenant_id, workflow_id=workflow_id, contact_id=contact_id, at=at)


def as_of(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, contact_id: str, at: datetime
) -> EventRow | None:
    """The contact's newest event at or before ``at``, of whichever of its executions
    (a contact that re-entered has several): where it was then. None before its first."""
    values = {"tenant_id": tenant_id, "workflow_id": workflow_id, "contact_id": contact_id, "at": at}
    found: EventRow | None = session.execute(_AS_OF, values).first()
    return found


# Partitions made ahead of today by each run (the migration made a week's worth).
AHEAD_DAYS = 7


def cutoff(keep_days: int, now: datetime) -> datetime:
    """Where the kept journey starts: midnight UTC ``keep_days`` days before ``now``'s day,
    the PostgreSQL function's cutoff (it drops whole days), so both databases keep the same
    rows. ``keep_days`` 0 keeps today's alone (the function never drops today's partition)."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=keep_days)


def expire(session: Session, keep_days: int, now: datetime) -> int:
    """Forget every tenant's journey before :func:`cutoff`; returns what went: partitions
    dropped on PostgreSQL, rows deleted on SQLite.

    PostgreSQL: ``wfv_journey_partitions`` (revision 0017), a ``SECURITY DEFINER``
    function of the schema owner, since the service's role may neither drop a partition nor
    delete a row (and sees none outside a tenant): it makes the partitions of the days
    ahead, drops those wholly before the cutoff and deletes the default partition's rows
    before it, by the database's clock. SQLite: one DELETE before the cutoff by ``now``
    (a scan, once a day: no index leads with ``at``)."""
    if session.get_bind().dialect.name == "postgresql":
        dropped = session.execute(
            text("SELECT wfv_journey_partitions(:keep, :ahead)"), {"keep": keep_days, "ahead": AHEAD_DAYS}
        ).scalar_one()
        return int(dropped)
    result = session.execute(delete(JourneyEvent).where(JourneyEvent.at < cutoff(keep_days, now)))
    return int(result.rowcount)  # type: ignore[attr-defined]
