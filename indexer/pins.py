"""Pins: contacts held on the version they are on. Set-based statements only: a call pins
or unpins up to 10,000 contacts in a few statements, never one statement per contact.

``not_pinned`` is the condition every mover adds (migration batches, and through them a
rollout's migrate-back; reverts), so a pinned contact's execution is never moved."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, literal, not_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from indexer.models import Execution, Pin
from indexer.pagination import decode_cursor, encode_cursor
from schemas.pins import contact_cursor

LIVE = ("active", "waiting")
_CHUNK = 1000


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def pinned() -> ColumnElement[bool]:
    """True for an execution whose contact is pinned on its workflow (correlated on
    ``executions``: the pins' primary key answers it)."""
    return exists().where(Pin.workflow_id == Execution.workflow_id, Pin.contact_id == Execution.contact_id)


def not_pinned() -> ColumnElement[bool]:
    return not_(pinned())


def _insert(session: Session) -> Any:
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(Pin)


def pin(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    contacts: Sequence[str],
    *,
    by: str,
    at: datetime,
) -> int:
    """Pin each contact to the version of its live execution, or to none when it has
    none; a contact already pinned stays as it was. Returns how many were pinned now.

    Per chunk two statements: an INSERT ... SELECT from the live executions, then the
    remaining contacts with no version, both ON CONFLICT DO NOTHING (the second conflicts
    with every contact the first pinned, or that was pinned before)."""
    added = 0
    for chunk in _chunks(contacts):
        from_live = select(
            Execution.workflow_id,
            Execution.contact_id,
            literal(tenant_id),
            Execution.version_id,
            literal(by),
            literal(at),
        ).where(
            Execution.tenant_id == tenant_id,
            Execution.workflow_id == workflow_id,
            Execution.contact_id.in_(chunk),
            Execution.status.in_(LIVE),
        )
        columns = ["workflow_id", "contact_id", "tenant_id", "version_id", "pinned_by", "pinned_at"]
        statement = (
            _insert(session)
            .from_select(columns, from_live)
            .on_conflict_do_nothing()
            .returning(Pin.contact_id)
        )
        # RETURNING, because drivers report no rowcount for INSERT ... SELECT (psycopg: -1).
        added += len(session.connection().execute(statement).all())
        rest = [
            {
                "workflow_id": workflow_id,
                "contact_id": contact,
                "tenant_id": tenant_id,
                "version_id": None,
                "pinned_by": by,
                "pinned_at": at,
            }
            for contact in chunk
        ]
        statement = _insert(session).values(rest).on_conflict_do_nothing().returning(Pin.contact_id)
        added += len(session.connection().execute(statement).all())
    return added


def unpin(session: Session, tenant_id: str, workflow_id: uuid.UUID, contacts: Sequence[str]) -> int:
    """Remove these contacts' pins (those not pinned are no error); returns how many."""
    removed = 0
    for chunk in _chunks(contacts):
        statement = (
            delete(Pin)
            .where(Pin.tenant_id == tenant_id, Pin.workflow_id == workflow_id, Pin.contact_id.in_(chunk))
            .returning(Pin.contact_id)
        )
        removed += len(session.connection().execute(statement).all())
    return removed


def list_pins(
    session: Session, tenant_id: str, workflow_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[Sequence[Pin], str | None]:
    """A workflow's pins in contact order, one page (keyset on the primary key)."""
    query = select(Pin).where(Pin.tenant_id == tenant_id, Pin.workflow_id == workflow_id)
    if cursor:
        (after,) = decode_cursor(cursor, contact_cursor)
        query = query.where(Pin.contact_id > after)
    rows = session.scalars(query.order_by(Pin.contact_id).limit(limit + 1)).all()
    page = rows[:limit]
    return page, encode_cursor(page[-1].contact_id) if len(rows) > limit else None
