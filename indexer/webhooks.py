"""Queries of event webhooks: endpoints, the outbox, deliveries and their attempts.

Claiming a due delivery is safe with any number of workers: one UPDATE whose WHERE says
"still due", over rows a ``FOR UPDATE SKIP LOCKED`` subquery picked (PostgreSQL: a row
another worker is claiming is skipped, not waited for; SQLite, which renders no FOR
UPDATE, has one writer at a time, and the UPDATE's own condition decides). The claimer
knows it won from the row count.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from indexer.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from indexer.pagination import cursor_time, cursor_uuid, decode_cursor, encode_cursor

OPEN_STATES = ("pending", "delivering")


def count_endpoints(session: Session, tenant_id: str) -> int:
    query = select(func.count()).where(
        WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.deleted_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def get_endpoint(session: Session, tenant_id: str, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
    """The tenant's endpoint (never a deleted one)."""
    return session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id,
            WebhookEndpoint.tenant_id == tenant_id,
            WebhookEndpoint.deleted_at.is_(None),
        )
    ).one_or_none()


def list_endpoints(
    session: Session, tenant_id: str, *, limit: int, cursor: str | None
) -> tuple[Sequence[WebhookEndpoint], str | None]:
    """Newest first, deleted ones left out."""
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.deleted_at.is_(None)
    )
    if cursor:
        created, last_id = decode_cursor(cursor, cursor_time, cursor_uuid)
        query = query.where(tuple_(WebhookEndpoint.created_at, WebhookEndpoint.id) < (created, last_id))
    query = query.order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id.desc()).limit(limit + 1)
    rows = session.scalars(query).all()
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page and more else None
    return page, encode_cursor(last.created_at.isoformat(), str(last.id)) if last else None


# Built once: every event asks (each publish, rollback, migration step).
_SUBSCRIBED = select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
    WebhookEndpoint.tenant_id == bindparam("tenant_id"), WebhookEndpoint.deleted_at.is_(None)
)


def subscribed_endpoints(session: Session, tenant_id: str) -> list[tuple[uuid.UUID, list[str]]]:
    """(id, event types) of the tenant's live endpoints: a handful, filtered by the caller."""
    rows = session.execute(_SUBSCRIBED, {"tenant_id": tenant_id})
    return [(endpoint_id, list(types)) for endpoint_id, types in rows]


def cancel_open_deliveries(session: Session, tenant_id: str, endpoint_id: uuid.UUID, at: datetime) -> int:
    """A deleted endpoint's deliveries not yet finished: cancelled (none is attempted again)."""
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.tenant_id == tenant_id,
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.state.in_(OPEN_STATES),
        )
        .values(state="cancelled", finished_at=at, next_attempt_at=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def add_events(session: Session, events: Iterable[dict[str, Any]]) -> None:
    rows = list(events)
    if rows:
        session.execute(insert(WebhookEvent), rows)


def add_deliveries(session: Session, deliveries: Iterable[dict[str, Any]]) -> None:
    rows = list(deliveries)
    if rows:
        session.execute(insert(WebhookDelivery), rows)


def _due(now: datetime) -> Any:
    return or_(
        and_(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now),
        and_(WebhookDelivery.state == "delivering", WebhookDelivery.lease_until <= now),
    )


def claim(
    session: Session, tenant_id: str, delivery_id: uuid.UUID, *, now: datetime, lease_until: datetime
) -> bool:
    """Take the delivery for one attempt if it is due (pending and its time has come, or
    claimed by a worker whose lease ran out); False when another worker has it, or it is
    not due, or finished."""
    pick = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.tenant_id == tenant_id, _due(now))
        .with_for_update(skip_locked=True)
    )
    result = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(pick), WebhookDelivery.tenant_id == tenant_id, _due(now))
        .values(state="delivering", lease_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def due_deliveries(session: Session, tenant_id: str, now: datetime, limit: int) -> list[uuid.UUID]:
    """Deliveries of the tenant due now (the sweep enqueues each; its job claims it)."""
    query = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.tenant_id == tenant_id, _due(now))
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def open_deliveries(session: Session, tenant_id: str, limit: int) -> list[tuple[uuid.UUID, datetime | None]]:
    """(id, when due) of every delivery not finished: a starting worker schedules each."""
    rows = session.execute(
        select(
            WebhookDelivery.id,
            func.coalesce(WebhookDelivery.lease_until, WebhookDelivery.next_attempt_at),
        )
        .where(WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.state.in_(OPEN_STATES))
        .limit(limit)
    )
    return [(delivery_id, due) for delivery_id, due in rows]


def get_delivery(
    session: Session, tenant_id: str, delivery_id: uuid.UUID, *, lock: bool = False
) -> WebhookDelivery | None:
    query = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.tenant_id == tenant_id
    )
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def get_event(session: Session, tenant_id: str, event_id: uuid.UUID) -> WebhookEvent | None:
    return session.scalars(
        select(WebhookEvent).where(WebhookEvent.id == event_id, WebhookEvent.tenant_id == tenant_id)
    ).one_or_none()


def endpoint_by_id(session: Session, tenant_id: str, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
    """The endpoint a delivery names, deleted or not (a deleted one is not delivered to)."""
    return session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.tenant_id == tenant_id
        )
    ).one_or_none()


def add_attempt(session: Session, attempt: dict[str, Any]) -> None:
    session.execute(insert(WebhookAttempt), [attempt])


def list_deliveries(
    session: Session, tenant_id: str, endpoint_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[tuple[WebhookDelivery, str]], str | None]:
    """The endpoint's deliveries with their event's type, newest first."""
    query = (
        select(WebhookDelivery, WebhookEvent.event_type)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.endpoint_id == endpoint_id)
    )
    if cursor:
        created, last_id = decode_cursor(cursor, cursor_time, cursor_uuid)
        query = query.where(tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < (created, last_id))
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit + 1)
    rows = [(delivery, event_type) for delivery, event_type in session.execute(query)]
    page, more = rows[:limit], len(rows) > limit
    last = page[-1][0] if page and more else None
    return page, encode_cursor(last.created_at.isoformat(), str(last.id)) if last else None


def newest_attempts(
    session: Session, tenant_id: str, delivery_ids: Sequence[uuid.UUID], per_delivery: int
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    """The newest ``per_delivery`` attempts of each delivery, newest first."""
    if not delivery_ids:
        return {}
    rank = (
        func.row_number()
        .over(partition_by=WebhookAttempt.delivery_id, order_by=WebhookAttempt.id.desc())
        .label("rank")
    )
    ranked = (
        select(WebhookAttempt.id, rank)
        .where(WebhookAttempt.tenant_id == tenant_id, WebhookAttempt.delivery_id.in_(delivery_ids))
        .subquery()
    )
    query = (
        select(WebhookAttempt)
        .join(ranked, ranked.c.id == WebhookAttempt.id)
        .where(ranked.c.rank <= per_delivery)
        .order_by(WebhookAttempt.id.desc())
    )
    found: dict[uuid.UUID, list[WebhookAttempt]] = {}
    for attempt in session.scalars(query):
        found.setdefault(attempt.delivery_id, []).append(attempt)
    return found


def attempts_of(session: Session, tenant_id: str, delivery_id: uuid.UUID) -> list[WebhookAttempt]:
    """Every attempt of one delivery, oldest first (tests and the docs' examples)."""
    return list(
        session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.tenant_id == tenant_id, WebhookAttempt.delivery_id == delivery_id)
            .order_by(WebhookAttempt.id)
        )
    )
