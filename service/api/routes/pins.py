"""Pin routes: hold contacts on their version (``POST …/pins``), release them
(``POST …/pins/delete``), list them.

Unpinning is a POST with the same body rather than ``DELETE …/pins/{contact_id}``: a
contact id may hold any printable character, a ``/`` or ``%`` included, which a path
segment cannot carry for every client; and a DELETE with a body is dropped or refused by
some proxies and HTTP clients. One bulk form covers one contact and 10,000 alike."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from schemas.pins import PinList, PinPublic, PinRequest, PinResult
from service.api.deps import ContainerDep, Editor, Reader
from service.api.idempotency import Idempotent
from service.executions import pins

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/pins", tags=["pins"])


@router.post("", response_model=PinResult)
def pin_contacts(
    workflow_id: uuid.UUID,
    body: PinRequest,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> PinResult | Response:
    """Pin up to 10,000 contacts to the version their live execution is on (a contact
    with none is pinned all the same); migrations, reverts and a rollout's migrate-back
    leave pinned contacts where they are. Already pinned: unchanged."""
    with container.uow(principal.tenant_id, write=True) as uow:
        result = pins.pin(uow=uow, principal=principal, workflow_id=workflow_id, contact_ids=body.contact_ids)
        answer = idem.answer(uow, lambda: result, response)
        uow.commit()
    return answer


@router.post("/delete", response_model=PinResult)
def unpin_contacts(
    workflow_id: uuid.UUID,
    body: PinRequest,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> PinResult | Response:
    """Unpin up to 10,000 contacts (a contact not pinned is unchanged)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        result = pins.unpin(
            uow=uow, principal=principal, workflow_id=workflow_id, contact_ids=body.contact_ids
        )
        answer = idem.answer(uow, lambda: result, response)
        uow.commit()
    return answer


@router.get("", response_model=PinList)
def list_pins(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> PinList:
    """The workflow's pinned contacts, in contact order."""
    with container.uow(principal.tenant_id) as uow:
        rows, next_cursor = pins.page(
            uow=uow, principal=principal, workflow_id=workflow_id, limit=limit, cursor=cursor
        )
        return PinList(items=[PinPublic.model_validate(r) for r in rows], next_cursor=next_cursor)
