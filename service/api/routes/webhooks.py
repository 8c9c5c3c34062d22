"""Webhook routes (admin, the caller's tenant): endpoints, their deliveries, redelivery."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from schemas.webhooks import (
    DeliveryList,
    DeliveryPublic,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookPublic,
)
from service.api.deps import Admin, ContainerDep
from service.api.idempotency import Idempotent
from service.webhooks import endpoints

router = APIRouter(prefix="/api/v1/admin/webhooks", tags=["webhooks"])


@router.post("", status_code=201, response_model=WebhookCreated)
def create_webhook(
    principal: Admin, container: ContainerDep, body: WebhookCreate, response: Response, idem: Idempotent
) -> WebhookCreated | Response:
    """Register an endpoint. The answer holds its signing secret: the only time it is shown,
    but for a retry with the same ``Idempotency-Key``, which gets the same answer (kept
    sealed meanwhile) and registers nothing more."""
    with container.uow(principal.tenant_id, write=True) as uow:
        endpoint, secret = endpoints.register(uow, principal, body)

        def created() -> WebhookCreated:
            public = WebhookPublic.model_validate(endpoint)
            return WebhookCreated(**public.model_dump(), secret=secret)

        answer = idem.answer(uow, created, response, sealed=True)
        uow.commit()
    return answer


@router.get("", response_model=WebhookList)
def list_webhooks(
    principal: Admin,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> WebhookList:
    """This tenant's endpoints, newest first."""
    with container.uow(principal.tenant_id) as uow:
        found, next_cursor = endpoints.page(uow, principal, limit=limit, cursor=cursor)
        return WebhookList(items=[WebhookPublic.model_validate(e) for e in found], next_cursor=next_cursor)


@router.get("/{webhook_id}", response_model=WebhookPublic)
def get_webhook(webhook_id: uuid.UUID, principal: Admin, container: ContainerDep) -> WebhookPublic:
    with container.uow(principal.tenant_id) as uow:
        return WebhookPublic.model_validate(endpoints.find(uow, principal, webhook_id))


@router.delete("/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: uuid.UUID, principal: Admin, container: ContainerDep) -> Response:
    """Delete an endpoint: nothing more is sent to it, its pending deliveries are cancelled."""
    with container.uow(principal.tenant_id, write=True) as uow:
        endpoints.delete(uow, principal, webhook_id)
        uow.commit()
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=DeliveryList)
def list_deliveries(
    webhook_id: uuid.UUID,
    principal: Admin,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> DeliveryList:
    """The endpoint's deliveries, newest first: state, attempts (status codes, latency),
    the next attempt's time."""
    with container.uow(principal.tenant_id) as uow:
        items, next_cursor = endpoints.deliveries(uow, principal, webhook_id, limit=limit, cursor=cursor)
    return DeliveryList(items=items, next_cursor=next_cursor)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryPublic
)
def redeliver(
    webhook_id: uuid.UUID,
    delivery_id: uuid.UUID,
    principal: Admin,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> DeliveryPublic | Response:
    """Send a delivery again now (same webhook-id), retried for another day if it fails; a
    retry with the same ``Idempotency-Key`` gets the first answer and sends nothing more."""
    with container.uow(principal.tenant_id, write=True) as uow:
        delivery = endpoints.redeliver(uow, principal, webhook_id, delivery_id)
        answer = idem.answer(uow, lambda: delivery, response)
        uow.commit()
    return answer
