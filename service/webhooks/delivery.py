"""Delivering webhooks: one attempt per job, retried with backoff until a day is up.

An attempt claims its delivery first (``indexer.webhooks.claim``: one worker wins, the
others find it taken), for a lease long enough for the slowest attempt; a worker killed
mid-attempt leaves the claim to run out, and the delivery is due again. The request is
made outside any transaction. Its outcome is then recorded (every attempt: when, the
status, the latency, what went wrong) and decides the next step: delivered; due again
after the backoff (:func:`backoff`, queued with that delay); or, once the day is up,
failed. A claim that ran out and was taken by another worker records its attempt but
decides nothing (the newer claim does): at-least-once, and the stable ``webhook-id``
lets receivers drop a repeat.

The queue is a fast path, never the record: the sweep (``tasks/webhooks.py``) queues
whatever is due and was not queued (a lost enqueue, a queue restarted empty), and a
starting worker schedules every open delivery for when it is due.

Deliveries run by the wall clock (``Container.clock``), so tests can move time.
"""

import logging
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from indexer import webhooks as rows
from indexer.draft_seal import SealBroken
from service.container import Container
from service.webhooks import transport, urls
from service.webhooks.events import message_id
from service.webhooks.signing import body_of, signed_headers

log = logging.getLogger("wfv.webhooks")
MAX_INTERVAL_SECONDS = 3600.0  # retries are never further apart than an hour
JITTER = 0.25  # each delay is shortened by up to a quarter, at random
LEASE_MARGIN_SECONDS = 5.0
SWEEP_LIMIT = 500  # deliveries one sweep queues per tenant (the next sweep takes the rest)


def backoff(failures: int, base_seconds: float, rng: random.Random | None = None) -> timedelta:
    """How long after its ``failures``-th failed attempt a delivery is tried again:
    ``base · 2^(failures-1)``, capped at an hour, less up to a quarter at random so
    receivers that failed together are not all retried in the same instant."""
    raw = min(base_seconds * 2 ** min(failures - 1, 40), MAX_INTERVAL_SECONDS)
    draw = (rng or random).random()
    return timedelta(seconds=raw * (1 - JITTER * draw))


def lease_seconds(timeout_seconds: float) -> float:
    """A claim outlives the slowest attempt: connect, send and read each bounded by the
    timeout, plus a margin."""
    return 4 * timeout_seconds + LEASE_MARGIN_SECONDS


@dataclass(frozen=True)
class _Attempt:
    url: str
    secret: str
    rules: urls.Rules | None  # None: the operator's endpoint, not checked
    body: bytes
    event_type: str
    traceparent: str | None
    lease_until: datetime


def _claim(container: Container, tenant_id: str, delivery_id: uuid.UUID) -> _Attempt | str:
    """The claimed attempt, or why there is none ("not due", "cancelled")."""
    settings = container.settings
    now = container.clock()
    lease_until = now + timedelta(seconds=lease_seconds(settings.webhook_timeout_seconds))
    with container.uow(tenant_id, write=True) as uow:
        if not rows.claim(uow.session, tenant_id, delivery_id, now=now, lease_until=lease_until):
            return "not due"
        delivery = rows.get_delivery(uow.session, tenant_id, delivery_id)
        event = rows.get_event(uow.session, tenant_id, delivery.event_id) if delivery else None
        assert delivery is not None
        assert event is not None
        url, secret, rules = None, None, None
        if delivery.endpoint_id is None:
            url, secret = settings.migration_webhook_url, settings.webhook_secret
        else:
            endpoint = rows.endpoint_by_id(uow.session, tenant_id, delivery.endpoint_id)
            if endpoint is not None and endpoint.deleted_at is None:
                url = endpoint.url
                rules = urls.Rules(settings.webhook_allow_http, settings.webhook_allow_private_networks)
                try:
                    secret = container.webhook_seal.open(endpoint.secret, tenant_id, endpoint.id)
                except SealBroken:
                    # The key that sealed it was dropped from WFV_DRAFT_KEYS: never signable again.
                    log.error(
                        "webhook endpoint %s: its secret does not open with the draft keys", endpoint.id
                    )
                    delivery.state, delivery.finished_at = "failed", now
                    delivery.lease_until = delivery.next_attempt_at = None
                    delivery.last_error = "the endpoint's secret does not open (a draft key was dropped)"
                    uow.commit()
                    return "failed"
        if not url or not secret:
            # The endpoint was deleted (or the operator's URL unset) since: nothing to send.
            delivery.state, delivery.finished_at = "cancelled", now
            delivery.lease_until = delivery.next_attempt_at = None
            uow.commit()
            return "cancelled"
        attempt = _Attempt(
            url, secret, rules, body_of(event.payload), event.event_type, event.traceparent, lease_until
        )
        uow.commit()
    return attempt


def deliver(container: Container, tenant_id: str, delivery_id: uuid.UUID) -> str:
    """One attempt, if the delivery is due; its state after it (or why none was made)."""
    claimed = _claim(container, tenant_id, delivery_id)
    if isinstance(claimed, str):
        return claimed
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "wfv-webhooks",
        "X-Wfv-Event": claimed.event_type,
        # Signed at the real time of sending: receivers judge the timestamp by their clock.
        **signed_headers(
            claimed.secret, claimed.body, message_id=message_id(delivery_id), at=datetime.now(UTC)
        ),
    }
    if claimed.traceparent:
        headers["traceparent"] = claimed.traceparent
    answer = transport.post(
        claimed.url,
        claimed.body,
        headers,
        timeout=container.settings.webhook_timeout_seconds,
        rules=claimed.rules,
    )
    return _record(container, tenant_id, delivery_id, claimed.lease_until, answer)


def _record(
    container: Container,
    tenant_id: str,
    delivery_id: uuid.UUID,
    lease_until: datetime,
    answer: transport.Answer,
) -> str:
    now = container.clock()
    settings = container.settings
    with container.uow(tenant_id, write=True) as uow:
        rows.add_attempt(
            uow.session,
            {
                "tenant_id": tenant_id,
                "delivery_id": delivery_id,
                "attempted_at": now,
                "status_code": answer.status_code,
                "latency_ms": answer.latency_ms,
                "error": answer.error[:300] if answer.error else None,
            },
        )
        delivery = rows.get_delivery(uow.session, tenant_id, delivery_id, lock=True)
        assert delivery is not None
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = answer.status_code, answer.error
        if delivery.state != "delivering" or delivery.lease_until != lease_until:
            # Cancelled, redelivered or claimed again meanwhile: that decides, not this.
            uow.commit()
            log.info("webhook delivery %s: attempt recorded, the delivery moved on meanwhile", delivery_id)
            return delivery.state
        delivery.lease_until = None
        if answer.delivered:
            delivery.state, delivery.finished_at, delivery.next_attempt_at = "delivered", now, None
        elif now >= delivery.retry_until:
            delivery.state, delivery.finished_at, delivery.next_attempt_at = "failed", now, None
        else:
            delay = backoff(delivery.attempts, settings.webhook_retry_base_seconds)
            delivery.state, delivery.next_attempt_at = "pending", min(now + delay, delivery.retry_until)
        state, due, attempts = delivery.state, delivery.next_attempt_at, delivery.attempts
        uow.commit()
    if state == "failed":
        log.warning(
            "webhook delivery %s given up after %d attempt(s): %s", delivery_id, attempts, answer.error
        )
    elif state == "pending" and due is not None:
        log.info(
            "webhook delivery %s attempt %d failed (%s); again at %s",
            delivery_id,
            attempts,
            answer.error,
            due,
        )
        _queue(container, tenant_id, delivery_id, max((due - now).total_seconds(), 0.0))
    return state


def _queue(container: Container, tenant_id: str, delivery_id: uuid.UUID, delay: float) -> None:
    try:
        container.jobs.deliver_webhook(tenant_id, delivery_id, delay=delay or None)
    except Exception as exc:  # the sweep queues it when it is due
        log.warning("webhook delivery %s not queued, left to the sweep: %s", delivery_id, type(exc).__name__)


def sweep(container: Container, tenants: Iterable[str]) -> int:
    """Queue every delivery that is due now (its own job may be lost); returns how many."""
    queued = 0
    now = container.clock()
    for tenant_id in tenants:
        with container.uow(tenant_id) as uow:
            due = rows.due_deliveries(uow.session, tenant_id, now, SWEEP_LIMIT)
        for delivery_id in due:
            _queue(container, tenant_id, delivery_id, 0.0)
        queued += len(due)
    return queued


def schedule_open(container: Container, tenants: Iterable[str]) -> int:
    """Queue every open delivery for when it is due (a worker starting: the jobs a killed
    worker held, or a queue lost, are gone, and the minute sweep may be far)."""
    scheduled = 0
    now = container.clock()
    for tenant_id in tenants:
        with container.uow(tenant_id) as uow:
            found = rows.open_deliveries(uow.session, tenant_id, SWEEP_LIMIT)
        for delivery_id, due in found:
            _queue(container, tenant_id, delivery_id, max(((due or now) - now).total_seconds(), 0.0))
        scheduled += len(found)
    return scheduled
