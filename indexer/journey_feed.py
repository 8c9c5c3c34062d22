"""The change feed's reads: the journey rows of what wfv itself moved (cause ``migration``
or ``revert``), a tenant's, in commit order after a cursor.

Commit order, not insert order. On PostgreSQL ``seq`` is drawn at INSERT: a transaction
that drew seq 9 may commit after one that drew 10, and a cursor at 10 would skip 9 for
good. So each row keeps its transaction's id (``xid``, a column DEFAULT, revision 0018)
and the feed serves only rows whose transaction is below the reading snapshot's ``xmin``
(every transaction below it has committed or aborted: nothing can appear there later),
ordered by ``(xid, seq)``; the cursor is the last ``(xid, seq)`` served. A transaction
still running holds back the rows after it, and they are delivered once it ends. On
SQLite one writer holds the write lock to its commit, so ``seq`` is commit order and the
cursor is ``seq`` (``xid`` NULL; the cursor keeps a 0 in its place).

Both walk the partial index ``(tenant_id, xid, seq) WHERE cause IN ('migration',
'revert')``: the condition is written as the index's own SQL text, which both planners
need to see to use a partial index.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnClause,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from indexer.models import FEED_CAUSES, JourneyEvent, WorkflowVersion
from indexer.pagination import cursor_int, decode_cursor, encode_cursor
from schemas.journeys import ExecutionChange

# The snapshot's horizon: every transaction with a smaller id has ended.
_HORIZON: ColumnClause[Any] = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_CURRENT: ColumnClause[Any] = literal_column("pg_current_xact_id()::text::bigint")
_FROM = aliased(WorkflowVersion, name="from_version")


class Change(NamedTuple):
    """One change as the feed reads it: these columns of its journey row, then its
    version's number and the one it came from. A plain tuple, read through the
    connection: a page is a thousand rows read once, and building ORM objects, or reading
    a SQLAlchemy ``Row`` by name (about 1.4 us a name), took most of a page's time in
    Python (``bench/engine.py``)."""

    execution_id: uuid.UUID
    workflow_id: uuid.UUID
    contact_id: str
    from_version_id: uuid.UUID | None
    version_id: uuid.UUID
    from_action_id: str | None
    action_id: str | None
    from_status: str | None
    status: str
    revision: int
    cause: str
    cause_id: uuid.UUID | None
    at: datetime
    xid: int | None
    seq: int
    version_number: int
    from_version_number: int | None


_COLUMNS = Change._fields[:-2]  # the journey row's; the versions' numbers are joined
_ITEM_FIELDS = tuple(ExecutionChange.model_fields)  # an answer's item, in its order
_RFC3339 = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'  # schemas.timestamps' one form, in to_char's words


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def cursor_of(xid: int | None, seq: int) -> str:
    """The cursor just past a change (opaque: ``[xid, seq]``, xid 0 on SQLite)."""
    return encode_cursor(xid or 0, seq)


def parse_cursor(cursor: str) -> tuple[int, int]:
    """``(xid, seq)`` of a cursor this service issued (InvalidCursor, a 400, otherwise)."""
    xid, seq = decode_cursor(cursor, cursor_int, cursor_int)
    return xid, seq


def _picked(*, postgres: bool, after: bool, workflow: bool) -> Any:
    """The page's journey rows, picked on the feed's index in commit order; the values are
    bound at execution (``tenant_id``, ``workflow_id``, ``after_xid``, ``after_seq``,
    ``limit``)."""
    feed = text(FEED_CAUSES)
    query = select(*(JourneyEvent.__table__.c[name] for name in _COLUMNS)).where(
        JourneyEvent.tenant_id == bindparam("tenant_id"), feed
    )
    if workflow:
        query = query.where(JourneyEvent.workflow_id == bindparam("workflow_id"))
    if postgres:
        query = query.where(JourneyEvent.xid < _HORIZON)
        if after:
            position = tuple_(bindparam("after_xid"), bindparam("after_seq"))
            query = query.where(tuple_(JourneyEvent.xid, JourneyEvent.seq) > position)
        query = query.order_by(JourneyEvent.xid, JourneyEvent.seq)
    else:
        query = query.where(JourneyEvent.xid.is_(None))
        if after:
            query = query.where(JourneyEvent.seq > bindparam("after_seq"))
        query = query.order_by(JourneyEvent.seq)
    return query.limit(bindparam("limit")).subquery("picked")


def _values(
    tenant_id: str, after: tuple[int, int] | None, workflow_id: uuid.UUID | None, limit: int
) -> dict[str, Any]:
    values: dict[str, Any] = {"tenant_id": tenant_id, "limit": limit}
    if workflow_id is not None:
        values["workflow_id"] = workflow_id
    if after is not None:
        values["after_xid"], values["after_seq"] = after
    return values


def _page_plan(session: Session) -> None:
    """PostgreSQL, for the read's own transaction only (a feed read is one short query):

    - merge the partitions' index scans, each already in ``(xid, seq)`` order, up to the
      limit, never sort what is left (``enable_sort``). The planner judges ``(xid, seq) >
      (x, s)`` by ``xid > x`` alone: inside one large transaction (a migration batch of
      50,000) it expects a row or two, and chose to sort every remaining row of the
      partitions for each page, so a page cost what was left to read (200 ms against
      1 ms at 100,000 rows left);
    - keep the prepared statement's generic plan (``plan_cache_mode``): planning the
      partitioned read again for each page cost about a millisecond, a tenth of a page.

    Not for :func:`changes`, whose final ORDER BY needs a sort (it serves SQLite, and on
    PostgreSQL only the tests' reference answer)."""
    if _postgres(session):
        session.execute(
            text(
                "SELECT set_config('enable_sort', 'off', true),"
                " set_config('plan_cache_mode', 'force_generic_plan', true)"
            )
        )


@cache
def _changes_statement(*, postgres: bool, after: bool, workflow: bool) -> Any:
    picked = _picked(postgres=postgres, after=after, workflow=workflow)
    return (
        select(
            *picked.c,
            WorkflowVersion.version_number.label("version_number"),
            _FROM.version_number.label("from_version_number"),
        )
        .join(WorkflowVersion, WorkflowVersion.id == picked.c.version_id)
        .outerjoin(_FROM, _FROM.id == picked.c.from_version_id)
        .order_by(func.coalesce(picked.c.xid, 0), picked.c.seq)
    )


def changes(
    session: Session,
    tenant_id: str,
    *,
    after: tuple[int, int] | None,
    workflow_id: uuid.UUID | None,
    limit: int,
) -> list[Change]:
    """Up to ``limit`` changes after the cursor, in commit order, with their versions'
    numbers (joined once the page is picked on the feed's index)."""
    statement = _changes_statement(
        postgres=_postgres(session), after=after is not None, workflow=workflow_id is not None
    )
    found = session.connection().execute(statement, _values(tenant_id, after, workflow_id, limit))
    return [Change._make(row) for row in found]


@cache
def _rendered_statement(*, after: bool, workflow: bool) -> Any:
    """The page as its answer's JSON (:func:`rendered`), built once for each shape: built
    for each page, the statement cost about a millisecond of Python, a tenth of a page.

    Each item is the whole row of a one-row LATERAL subquery, so ``json_agg`` writes it
    with the row's own column names (40% cheaper than ``json_build_object`` with seventeen
    name-value pairs); the last cursor comes from the largest ``(xid, seq)``, not from a
    second ordered aggregate (each one sorts the page again)."""
    picked = _picked(postgres=True, after=after, workflow=workflow)
    cursor = func.rtrim(
        func.translate(
            func.encode(
                func.convert_to(
                    literal("[") + cast(picked.c.xid, Text) + "," + cast(picked.c.seq, Text) + "]", "UTF8"
                ),
                "base64",
            ),
            text("E'+/\\n'"),
            "-_",
        ),
        "=",
    )
    fields: list[Any] = []
    for name in _ITEM_FIELDS:
        if name == "version_number":
            value: Any = WorkflowVersion.version_number
        elif name == "from_version_number":
            value = _FROM.version_number
        elif name == "at":
            value = func.to_char(func.timezone("UTC", picked.c.at), _RFC3339)
        elif name == "cursor":
            value = cursor
        else:
            value = picked.c[name]
        fields.append(value.label(name))
    item = select(*fields).correlate(picked, WorkflowVersion, _FROM).lateral("item")
    in_order: Any = aggregate_order_by(literal_column(item.name), picked.c.xid, picked.c.seq)
    return (
        select(
            func.count(),
            func.coalesce(cast(func.json_agg(in_order), Text), "[]"),
            func.max(postgresql.array((picked.c.xid, picked.c.seq))),
        )
        .select_from(picked)
        .join(WorkflowVersion, WorkflowVersion.id == picked.c.version_id)
        .outerjoin(_FROM, _FROM.id == picked.c.from_version_id)
        .join(item, true())
    )


def rendered(
    session: Session,
    tenant_id: str,
    *,
    after: tuple[int, int] | None,
    workflow_id: uuid.UUID | None,
    limit: int,
) -> tuple[int, str, str | None]:
    """PostgreSQL only: the same page as :func:`changes`, written as the JSON array of the
    answer's items by the database itself (with each change's cursor and its time in the
    API's one form), and the last change's cursor. An engine reads the feed a thousand
    changes a page: converting each row's seventeen values into Python objects, then
    models, then JSON again cost three quarters of a page, and the feed read at a fifth
    of a raw SELECT of the same rows (``bench/engine.py``). Returns (count, items, last)."""
    _page_plan(session)
    statement = _rendered_statement(after=after is not None, workflow=workflow_id is not None)
    values = _values(tenant_id, after, workflow_id, limit)
    count, items, last = session.connection().execute(statement, values).one()
    return int(count), str(items), cursor_of(*last) if last else None


# --- one batch's share of the feed (for its ``executions.moved`` event) -------------------


@dataclass(frozen=True)
class Mark:
    """Where the feed stood when a batch began. PostgreSQL: the batch's transaction id
    (its rows are exactly those of that ``xid``; read once, so the query below binds it as
    a value the index can seek, which the volatile ``pg_current_xact_id()`` is not).
    SQLite: the newest ``seq`` (the batch holds the one write lock, so its rows are
    exactly those after it)."""

    xid: int | None
    seq: int


@dataclass(frozen=True)
class Written:
    """A batch's changes in the feed: how many, and the cursors around them (``after``:
    ask the feed from there to get the first; ``last``: the cursor of the last)."""

    count: int
    after: str
    last: str


def mark(session: Session) -> Mark:
    if _postgres(session):
        return Mark(int(session.execute(select(_CURRENT)).scalar_one()), 0)
    return Mark(None, int(session.scalar(select(func.coalesce(func.max(JourneyEvent.seq), 0))) or 0))


def written(session: Session, tenant_id: str, cause_id: uuid.UUID, since: Mark) -> Written | None:
    """The changes of ``cause_id`` written since ``since`` by the batch that took it (on
    the feed's index: this transaction's rows on PostgreSQL, the newer seqs on SQLite);
    None if none."""
    mine: Any
    if since.xid is not None:
        mine = JourneyEvent.xid == since.xid
    else:
        mine = and_(JourneyEvent.xid.is_(None), JourneyEvent.seq > since.seq)
    query = select(func.count(), func.min(JourneyEvent.seq), func.max(JourneyEvent.seq)).where(
        JourneyEvent.tenant_id == tenant_id, text(FEED_CAUSES), mine, JourneyEvent.cause_id == cause_id
    )
    count, first, last = session.execute(query).one()
    if not count:
        return None
    xid = since.xid or 0
    return Written(int(count), encode_cursor(xid, int(first) - 1), encode_cursor(xid, int(last)))
