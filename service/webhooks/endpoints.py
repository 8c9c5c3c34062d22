"""Tenants' endpoints, as admins manage them through the API: register (the secret is
answered once, then only kept sealed), list, read, delete; an endpoint's deliveries and
a manual redelivery. Everything is the caller's tenant's: another tenant's id is unknown."""

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from indexer import queries
from indexer import webhooks as rows
from indexer.models import WebhookDelivery, WebhookEndpoint
from schemas.webhooks import AttemptPublic, DeliveryPublic, WebhookCreate
from service.auth import Principal
from service.errors import Problem
from service.uow import UnitOfWork
from service.webhooks import urls
from service.webhooks.events import message_id, queue_after_commit
from service.webhooks.signing import new_secret

MAX_ENDPOINTS = 20  # per tenant: each event is written once per endpoint that wants it
ATTEMPTS_SHOWN = 20  # the newest attempts a delivery lists


class WebhookNotFound(Problem):
    status_code, title, slug = 404, "Webhook not found", "webhook-not-found"


class DeliveryNotFound(Problem):
    status_code, title, slug = 404, "Webhook delivery not found", "webhook-delivery-not-found"


class WebhookLimitReached(Problem):
    status_code, title, slug = 409, "Webhook limit reached", "webhook-limit-reached"


class DeliveryInProgress(Problem):
    status_code, title, slug = 409, "Webhook delivery in progress", "webhook-delivery-in-progress"


def rules_of(uow: UnitOfWork) -> urls.Rules:
    settings = uow.services.settings
    return urls.Rules(settings.webhook_allow_http, settings.webhook_allow_private_networks)


def register(uow: UnitOfWork, principal: Principal, request: WebhookCreate) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (``whsec_<base64>``), which is never shown again."""
    urls.check(request.url, rules_of(uow))
    tenant = principal.tenant_id
    if rows.count_endpoints(uow.session, tenant) >= MAX_ENDPOINTS:
        raise WebhookLimitReached(f"a tenant has at most {MAX_ENDPOINTS} webhook endpoints")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        tenant_id=tenant,
        url=request.url,
        event_types=list(request.event_types),
        description=request.description,
        created_by=principal.user_id,
        created_at=uow.services.clock(),
    )
    endpoint.secret = uow.services.webhook_seal.seal(secret, tenant, endpoint.id)
    uow.session.add(endpoint)
    uow.session.flush()
    _audit(uow, principal, "webhook_create", endpoint, event_types=endpoint.event_types)
    return endpoint, secret


def _audit(
    uow: UnitOfWork, principal: Principal, action: str, endpoint: WebhookEndpoint, **details: object
) -> None:
    """Who registered, deleted or redelivered what: the tenant's trail (the URL's host
    only: a URL may carry a path the receiver treats as a secret)."""
    queries.add_tenant_audit(
        uow.session,
        tenant_id=principal.tenant_id,
        action=action,
        actor_id=principal.user_id,
        at=uow.services.clock(),
        details={"endpoint_id": str(endpoint.id), "host": urlsplit(endpoint.url).hostname, **details},
    )


def find(uow: UnitOfWork, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = rows.get_endpoint(uow.session, principal.tenant_id, endpoint_id)
    if endpoint is None:
        raise WebhookNotFound(f"no webhook endpoint {endpoint_id}")
    return endpoint


def page(
    uow: UnitOfWork, principal: Principal, *, limit: int, cursor: str | None
) -> tuple[list[WebhookEndpoint], str | None]:
    found, next_cursor = rows.list_endpoints(uow.session, principal.tenant_id, limit=limit, cursor=cursor)
    return list(found), next_cursor


def delete(uow: UnitOfWork, principal: Principal, endpoint_id: uuid.UUID) -> None:
    """Delete softly: nothing more is sent to it, its open deliveries are cancelled, its
    record of deliveries stays (readable no more through the API)."""
    endpoint = find(uow, principal, endpoint_id)
    now = uow.services.clock()
    endpoint.deleted_at = now
    rows.cancel_open_deliveries(uow.session, principal.tenant_id, endpoint.id, now)
    _audit(uow, principal, "webhook_delete", endpoint)


def _public(delivery: WebhookDelivery, event_type: str, attempts: list[AttemptPublic]) -> DeliveryPublic:
    return DeliveryPublic(
        id=delivery.id,
        webhook_id=message_id(delivery.id),
        event_id=delivery.event_id,
        event_type=event_type,
        state=delivery.state,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
        created_at=delivery.created_at,
        finished_at=delivery.finished_at,
        attempt_log=attempts,
    )


def deliveries(
    uow: UnitOfWork, principal: Principal, endpoint_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[DeliveryPublic], str | None]:
    """The endpoint's deliveries, newest first, each with its newest attempts."""
    endpoint = find(uow, principal, endpoint_id)
    tenant = principal.tenant_id
    found, next_cursor = rows.list_deliveries(uow.session, tenant, endpoint.id, limit=limit, cursor=cursor)
    attempts = rows.newest_attempts(uow.session, tenant, [d.id for d, _ in found], ATTEMPTS_SHOWN)
    items = [
        _public(d, event_type, [AttemptPublic.model_validate(a) for a in attempts.get(d.id, [])])
        for d, event_type in found
    ]
    return items, next_cursor


def redeliver(
    uow: UnitOfWork, principal: Principal, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> DeliveryPublic:
    """Send a delivery again now, whatever became of it (delivered, failed, waiting for
    its next attempt), with the same ``webhook-id``; it is retried for another day."""
    endpoint = find(uow, principal, endpoint_id)
    tenant = principal.tenant_id
    delivery = rows.get_delivery(uow.session, tenant, delivery_id, lock=True)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        raise DeliveryNotFound(f"webhook endpoint {endpoint_id} has no delivery {delivery_id}")
    now = uow.services.clock()
    if delivery.state == "delivering" and delivery.lease_until is not None and delivery.lease_until > now:
        raise DeliveryInProgress("the delivery is being attempted right now: ask again in a moment")
    delivery.state, delivery.next_attempt_at, delivery.lease_until = "pending", now, None
    delivery.finished_at = None
    delivery.retry_until = now + timedelta(hours=uow.services.settings.webhook_retry_hours)
    event = rows.get_event(uow.session, tenant, delivery.event_id)
    assert event is not None
    queue_after_commit(uow, tenant, [delivery.id])
    uow.session.flush()
    _audit(uow, principal, "webhook_redeliver", endpoint, delivery_id=str(delivery.id))
    attempts = rows.newest_attempts(uow.session, tenant, [delivery.id], ATTEMPTS_SHOWN).get(delivery.id, [])
    return _public(delivery, event.event_type, [AttemptPublic.model_validate(a) for a in attempts])
