"""The SQL of archival reports: report lines added in bulk by a run's batch, and read
back in keyset pages in the report's order (archived first, then kept rule by rule), so
a report of any size is read in bounded memory through the ``(run_id, outcome, rule,
id)`` index."""

import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy import Row, Table, func, insert, select, tuple_
from sqlalchemy.orm import Session

from indexer.models import ArchivalReportEntry

_CHUNK = 5000
_TABLE = cast("Table", ArchivalReportEntry.__table__)


class Position(NamedTuple):
    """Where a page ended: the next page starts after it."""

    outcome: str
    rule: str
    id: int


def add_entries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Report lines, one executemany per chunk (a batch of 500 workflows may hold tens of
    thousands of versions)."""
    for start in range(0, len(rows), _CHUNK):
        # Core, not the ORM's bulk path: no per-row object bookkeeping (a third of the cost).
        session.execute(insert(_TABLE), list(rows[start : start + _CHUNK]))


def page(
    session: Session, tenant_id: str, run_id: uuid.UUID, *, after: Position | None, limit: int
) -> Sequence[Row[Any]]:
    """The next ``limit`` lines of a run's report after ``after``, in report order (rows,
    not ORM objects: a report is read once, and objects cost several times as much)."""
    entry = ArchivalReportEntry
    query = (
        select(*_TABLE.columns)
        .where(entry.tenant_id == tenant_id, entry.run_id == run_id)
        .order_by(entry.outcome, entry.rule, entry.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(tuple_(entry.outcome, entry.rule, entry.id) > tuple(after))
    return session.execute(query).all()


def count(session: Session, tenant_id: str, run_id: uuid.UUID) -> int:
    query = select(func.count()).where(
        ArchivalReportEntry.tenant_id == tenant_id, ArchivalReportEntry.run_id == run_id
    )
    return int(session.scalar(query) or 0)
