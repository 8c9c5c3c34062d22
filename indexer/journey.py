"""Every change of an execution's position, kept: the writes of ``execution_journey``.

A journey row is written by the same statements (on PostgreSQL, the same statement) as
the change it records, in the same transaction, so the history and the position never
disagree, whatever path moved the execution:

- enrolment (``enrolled``): the new executions and their first rows;
- the engine's position reports (``reported``): rows locked first, so the ``from_*`` of
  each row is what the report replaced;
- set-based moves (``moved``: migrations, their exits, reverts): the executions matching
  a condition go to new values, and each row says where it was before.

Every change bumps ``executions.revision``; the row carries the revision after it, so a
later reader knows whether the execution moved since (``revision`` differs).

``journal=False`` (WFV_JOURNEY_RETENTION_DAYS=0) writes the positions alone.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    String,
    Uuid,
    any_,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from indexer.models import Execution, JourneyEvent

_CHUNK = 1000

# The columns of a journey row, in the order every INSERT ... SELECT here names them.
COLUMNS = (
    "tenant_id",
    "workflow_id",
    "execution_id",
    "contact_id",
    "at",
    "version_id",
    "action_id",
    "status",
    "revision",
    "cause",
    "cause_id",
    "from_version_id",
    "from_action_id",
    "from_status",
)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# --- enrolment ---------------------------------------------------------------------------

# The columns an enrolment writes, each bound as one array on PostgreSQL.
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
NEW_COLUMNS = tuple(_NEW_TYPES)
_NEW = (
    func.unnest(*(bindparam(f"new_{name}", type_=ARRAY(kind)) for name, kind in _NEW_TYPES.items()))
    .table_valued(*NEW_COLUMNS, name="new")
    .render_derived()
)
_INSERT_NEW = insert(Execution).from_select(NEW_COLUMNS, select(*(_NEW.c[name] for name in NEW_COLUMNS)))


def _enrolment_rows(inserted: Any) -> Any:
    """The journey rows of just-inserted executions (a CTE or table with their columns)."""
    return select(
        inserted.c.tenant_id,
        inserted.c.workflow_id,
        inserted.c.id,
        inserted.c.contact_id,
        inserted.c.enrolled_at,
        inserted.c.version_id,
        inserted.c.current_action_id,
        inserted.c.status,
        inserted.c.revision,
        literal("enrolment"),
        literal(None, Uuid),
        literal(None, Uuid),
        literal(None, String),
        literal(None, String),
    )


_NEW_RETURNING = _INSERT_NEW.returning(
    Execution.tenant_id,
    Execution.workflow_id,
    Execution.id,
    Execution.contact_id,
    Execution.enrolled_at,
    Execution.version_id,
    Execution.current_action_id,
    Execution.status,
    Execution.revision,
).cte("inserted")
_ENROL_AND_LOG = insert(JourneyEvent).from_select(COLUMNS, _enrolment_rows(_NEW_RETURNING))


def enrolled(session: Session, rows: list[dict[str, Any]], *, journal: bool) -> None:
    """New executions (every key of ``NEW_COLUMNS``) and, with ``journal``, their first
    journey rows. On PostgreSQL one statement from arrays, one per column (a batch of
    10,000 went 1.4x as fast as the driver's pipelined executemany, ``bench/enrolment.py``),
    its journey rows inserted by the same statement from its RETURNING; elsewhere
    statements of 1,000 rows."""
    if not rows:
        return
    if _postgres(session) and all(row.keys() == set(NEW_COLUMNS) for row in rows):
        columns = {f"new_{name}": [row[name] for row in rows] for name in NEW_COLUMNS}
        session.connection().execute(_ENROL_AND_LOG if journal else _INSERT_NEW, columns)
        return
    for chunk in _chunks(rows):
        session.execute(insert(Execution), list(chunk))
    if journal:
        _insert_rows(
            session,
            [
                {
                    "tenant_id": row["tenant_id"],
                    "workflow_id": row["workflow_id"],
                    "execution_id": row["id"],
                    "contact_id": row["contact_id"],
                    "at": row["enrolled_at"],
                    "version_id": row["version_id"],
                    "action_id": row["current_action_id"],
                    "status": row["status"],
                    "revision": row.get("revision", 1),
                    "cause": "enrolment",
                    "cause_id": None,
                    "from_version_id": None,
                    "from_action_id": None,
                    "from_status": None,
                }
                for row in rows
            ],
        )


def _insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(JourneyEvent), list(chunk))


# --- the engine's position reports ---------------------------------------------------------


class Before(NamedTuple):
    """An execution as a report found it (its journey row's ``from_*`` and the rest)."""

    id: uuid.UUID
    tenant_id: str
    workflow_id: uuid.UUID
    contact_id: str
    version_id: uuid.UUID
    current_action_id: str | None
    status: str
    revision: int


_REPORTED = (
    func.unnest(
        bindparam("ids", type_=ARRAY(Uuid)),
        bindparam("versions", type_=ARRAY(Uuid)),
        bindparam("actions", type_=ARRAY(String)),
        bindparam("statuses", type_=ARRAY(String)),
        bindparam("from_actions", type_=ARRAY(String)),
        bindparam("from_statuses", type_=ARRAY(String)),
    )
    .table_valued("id", "version", "action", "status", "from_action", "from_status", name="moves")
    .render_derived()
)
_REPORT = (
    update(Execution)
    .where(Execution.id == _REPORTED.c.id, Execution.version_id == _REPORTED.c.version)
    .values(
        current_action_id=_REPORTED.c.action,
        status=_REPORTED.c.status,
        updated_at=bindparam("at"),
        revision=Execution.revision + 1,
    )
)
_REPORT_RETURNING = _REPORT.returning(
    Execution.tenant_id,
    Execution.workflow_id,
    Execution.id,
    Execution.contact_id,
    Execution.version_id,
    Execution.current_action_id,
    Execution.status,
    Execution.revision,
    _REPORTED.c.from_action,
    _REPORTED.c.from_status,
).cte("reported")
_REPORT_LOGGED = (
    insert(JourneyEvent)
    .from_select(
        COLUMNS,
        select(
            _REPORT_RETURNING.c.tenant_id,
            _REPORT_RETURNING.c.workflow_id,
            _REPORT_RETURNING.c.id,
            _REPORT_RETURNING.c.contact_id,
            bindparam("at", type_=DateTime(timezone=True)),
            _REPORT_RETURNING.c.version_id,
            _REPORT_RETURNING.c.current_action_id,
            _REPORT_RETURNING.c.status,
            _REPORT_RETURNING.c.revision,
            literal("engine"),
            literal(None, Uuid),
            _REPORT_RETURNING.c.version_id,
            _REPORT_RETURNING.c.from_action,
            _REPORT_RETURNING.c.from_status,
        ),
    )
    .returning(JourneyEvent.seq)
    .cte("logged")
)
_REPORT_AND_LOG = select(func.count()).select_from(_REPORT_LOGGED)
_ONE_REPORT = (
    update(Execution)
    .where(Execution.id == bindparam("b_id"), Execution.version_id == bindparam("b_version"))
    .values(
        current_action_id=bindparam("b_action"),
        status=bindparam("b_status"),
        updated_at=bindparam("b_at"),
        revision=Execution.revision + 1,
    )
)


def reported(session: Session, moves: Sequence[Mapping[str, Any]], at: datetime, *, journal: bool) -> int:
    """Apply position reports to executions the caller locked; returns rows moved.

    Each move names ``execution`` (a ``Before``: the locked row as the move found it),
    ``action`` and ``status``. The
    update is a compare-and-set on the version the move was validated against.

    On PostgreSQL, when no execution is named twice, the batch is one statement: an
    ``UPDATE ... FROM unnest(arrays)`` (10,000 single-row UPDATEs, even pipelined, took 1.7x
    as long, ``bench/enrolment.py``) whose RETURNING feeds the journey's INSERT. Otherwise
    the moves apply one after the other (the last one stays, each is counted and kept)."""
    if not moves:
        return 0
    executions = [move["execution"] for move in moves]
    if _postgres(session) and len({e.id for e in executions}) == len(executions):
        arrays = {
            "ids": [e.id for e in executions],
            "versions": [e.version_id for e in executions],
            "actions": [move["action"] for move in moves],
            "statuses": [move["status"] for move in moves],
            "from_actions": [e.current_action_id for e in executions],
            "from_statuses": [e.status for e in executions],
            "at": at,
        }
        if journal:
            return int(session.connection().execute(_REPORT_AND_LOG, arrays).scalar_one())
        return int(session.connection().execute(_REPORT, arrays).rowcount)
    moved = 0
    parameters = [
        {
            "b_id": e.id,
            "b_version": e.version_id,
            "b_action": m["action"],
            "b_status": m["status"],
            "b_at": at,
        }
        for e, m in zip(executions, moves, strict=True)
    ]
    for chunk in _chunks(parameters):
        moved += session.connection().execute(_ONE_REPORT, list(chunk)).rowcount
    if journal:
        _insert_rows(session, _reported_rows(moves, at))
    return moved


def _reported_rows(moves: Sequence[Mapping[str, Any]], at: datetime) -> list[dict[str, Any]]:
    """The journey rows of reports applied one after the other: each starts where the one
    before it (for the same execution) left it."""
    now: dict[uuid.UUID, tuple[str | None, str, int]] = {}
    rows = []
    for move in moves:
        e = move["execution"]
        action, status, revision = now.get(e.id, (e.current_action_id, e.status, e.revision))
        now[e.id] = (move["action"], move["status"], revision + 1)
        rows.append(
            {
                "tenant_id": e.tenant_id,
                "workflow_id": e.workflow_id,
                "execution_id": e.id,
                "contact_id": e.contact_id,
                "at": at,
                "version_id": e.version_id,
                "action_id": move["action"],
                "status": move["status"],
                "revision": revision + 1,
                "cause": "engine",
                "cause_id": None,
                "from_version_id": e.version_id,
                "from_action_id": action,
                "from_status": status,
            }
        )
    return rows


# --- set-based moves (migrations, exits, reverts) ------------------------------------------


def moved(
    session: Session,
    condition: ColumnElement[bool],
    values: Mapping[str, Any],
    *,
    cause: str,
    cause_id: uuid.UUID,
    at: datetime,
    journal: bool,
) -> int:
    """Move every execution matching ``condition`` to ``values`` (Execution column name ->
    value or SQL expression over the row before: ``version_id``, ``current_action_id``,
    ``status``, ``last_migration_id``); returns how many moved.

    With ``journal``, first one ``INSERT ... SELECT`` of their journey rows, the row before
    giving ``from_*`` and the values' expressions giving the rest, then the ``UPDATE``. On
    PostgreSQL the SELECT locks the rows it reads (``FOR UPDATE``: a report waiting on one
    applies after this transaction, re-checked), and the UPDATE moves exactly the rows the
    INSERT logged (their ids, returned by it, as one array): each statement reads its own
    snapshot, and with the condition alone the UPDATE also met a row an engine's report
    had moved *into* the condition between the two (moved 66, logged 65: a migration
    failed in the race test). SQLite has one writer at a time. Both counts must agree, or
    the transaction is refused rather than keep a history that disagrees."""
    after = {
        "version_id": values.get("version_id", Execution.version_id),
        "current_action_id": values.get("current_action_id", Execution.current_action_id),
        "status": values.get("status", Execution.status),
    }
    statement = (
        update(Execution)
        .where(condition)
        .values(**values, updated_at=at, revision=Execution.revision + 1)
        .execution_options(synchronize_session=False)
    )
    if not journal:
        return int(session.connection().execute(statement).rowcount)
    rows = select(
        Execution.tenant_id,
        Execution.workflow_id,
        Execution.id,
        Execution.contact_id,
        literal(at, DateTime(timezone=True)),
        _as(after["version_id"], Uuid),
        _as(after["current_action_id"], String),
        _as(after["status"], String),
        Execution.revision + literal(1, Integer),
        literal(cause),
        literal(cause_id, Uuid),
        Execution.version_id,
        Execution.current_action_id,
        Execution.status,
    ).where(condition)
    postgres = _postgres(session)
    if postgres:
        rows = rows.with_for_update(of=Execution)
    logged = insert(JourneyEvent).from_select(COLUMNS, rows).returning(JourneyEvent.execution_id)
    # RETURNING, because drivers report no rowcount for INSERT ... SELECT (psycopg: -1).
    ids = list(session.connection().execute(logged).scalars())
    written = len(ids)
    if postgres:
        statement = statement.where(Execution.id == any_(bindparam("logged_ids", ids, type_=ARRAY(Uuid))))
    count = int(session.connection().execute(statement).rowcount)
    if count != written:
        raise RuntimeError(f"{cause} {cause_id}: moved {count} executions but logged {written}")
    return count


def _as(value: Any, kind: Any) -> Any:
    """A value or an SQL expression, as a column of a SELECT."""
    sql = isinstance(value, ColumnElement) or hasattr(value, "__clause_element__")
    return value if sql else literal(value, kind)
