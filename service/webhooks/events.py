"""Events into the outbox, in the caller's transaction.

A use case that changes something a subscriber may care about calls :func:`emit` inside
its unit of work: the event row and one delivery row per endpoint that wants it are
written with the change, so a change that rolls back sends nothing and one that commits
cannot lose its event (a worker killed, a queue lost: the sweep finds the delivery).
After the commit each delivery is handed to the queue (``service.jobs``).

Nothing is written when no endpoint wants the event: the outbox holds deliveries to make,
not a log of every change (the audit log is that).
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from indexer import webhooks as rows
from schemas.timestamps import rfc3339
from schemas.webhooks import EventType
from service.ops import tracing
from service.uow import UnitOfWork

log = logging.getLogger("wfv.webhooks")
# What the operator's endpoint of the environment (WFV_MIGRATION_WEBHOOK_URL) receives,
# from every tenant.
OPERATOR_EVENTS: frozenset[str] = frozenset({"migration.completed"})


@dataclass(frozen=True)
class Event:
    type: EventType
    workflow_id: uuid.UUID
    data: dict[str, Any]
    at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def payload(self, tenant_id: str) -> dict[str, Any]:
        """The body every endpoint receives (docs/webhooks.md)."""
        return {
            "id": f"evt_{self.id.hex}",
            "type": self.type,
            "timestamp": rfc3339(self.at),
            "tenant_id": tenant_id,
            "workflow_id": str(self.workflow_id),
            "data": self.data,
        }


def message_id(delivery_id: uuid.UUID) -> str:
    """The ``webhook-id`` of every attempt of a delivery: one per (event, endpoint)."""
    return f"msg_{delivery_id.hex}"


def emit(uow: UnitOfWork, tenant_id: str, *events: Event) -> None:
    """Write ``events`` (of one tenant) to the outbox with a delivery for each endpoint
    that subscribed to its type; the deliveries are queued once the unit commits."""
    emit_all(uow, tenant_id, events)


def emit_all(uow: UnitOfWork, tenant_id: str, events: Sequence[Event]) -> None:
    if not events:
        return
    endpoints = rows.subscribed_endpoints(uow.session, tenant_id)
    operator = bool(uow.services.settings.migration_webhook_url)
    retry_for = timedelta(hours=uow.services.settings.webhook_retry_hours)
    # Deliveries run by the wall clock (``Container.clock``), which tests move.
    now = uow.services.clock()
    event_rows: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    delivery_ids: list[uuid.UUID] = []
    for event in events:
        wanted: list[uuid.UUID | None] = [e for e, types in endpoints if event.type in types]
        if operator and event.type in OPERATOR_EVENTS:
            wanted.append(None)
        if not wanted:
            continue
        event_rows.append(
            {
                "id": event.id,
                "tenant_id": tenant_id,
                "event_type": event.type,
                "workflow_id": event.workflow_id,
                "payload": event.payload(tenant_id),
                "traceparent": tracing.current_traceparent(),  # None unless tracing is on
                "created_at": now,
            }
        )
        ids = [uuid.uuid4() for _ in wanted]
        deliveries += [
            {
                "id": delivery_id,
                "tenant_id": tenant_id,
                "event_id": event.id,
                "endpoint_id": endpoint_id,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "retry_until": now + retry_for,
                "created_at": now,
            }
            for delivery_id, endpoint_id in zip(ids, wanted, strict=True)
        ]
        delivery_ids += ids
    if not event_rows:
        return
    rows.add_events(uow.session, event_rows)
    rows.add_deliveries(uow.session, deliveries)
    queue_after_commit(uow, tenant_id, delivery_ids)


def queue_after_commit(uow: UnitOfWork, tenant_id: str, delivery_ids: list[uuid.UUID]) -> None:
    """Hand each delivery to the queue once the unit commits. One that cannot be queued
    (no queue, the queue away) stays due in the database: the sweep sends it."""
    jobs = uow.services.jobs

    def enqueue() -> None:
        failed = 0
        for delivery_id in delivery_ids:
            try:
                jobs.deliver_webhook(tenant_id, delivery_id)
            except Exception as exc:
                failed += 1
                last = exc
        if failed:
            log.warning(
                "%d webhook delivery(ies) not queued, left to the sweep: %s", failed, type(last).__name__
            )

    uow.after_commit("queue webhook deliveries", enqueue)
