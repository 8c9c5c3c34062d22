"""Revert routes: undo a migration (dry run first), follow it, list what it left."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from schemas.reverts import RevertOtherList, RevertPlan, RevertPublic, RevertRequest
from service.api.deps import ContainerDep, Editor, Reader
from service.api.idempotency import Idempotent
from service.executions import reverts

router = APIRouter(
    prefix="/api/v1/workflows/{workflow_id}/migrations/{migration_id}/revert", tags=["migrations"]
)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RevertPublic | RevertPlan,
    responses={200: {"model": RevertPlan, "description": "the dry run"}},
)
def revert_migration(
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    body: RevertRequest,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> RevertPublic | RevertPlan | Response:
    """Put back every execution the (finished) migration moved that has not moved since
    and is not pinned, on the worker in batches; `dry_run` counts and lists the others."""
    with container.uow(principal.tenant_id, write=not body.dry_run) as uow:
        result = reverts.start_revert(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            migration_id=migration_id,
            dry_run=body.dry_run,
        )
        if isinstance(result, RevertPlan):
            return idem.respond(uow, JSONResponse(result.model_dump(mode="json"), status_code=200))
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/migrations/{migration_id}/revert"
        answer = idem.answer(uow, lambda: reverts.public(result), response)
        uow.commit()
    return answer


@router.get("", response_model=RevertPublic)
def get_revert(
    workflow_id: uuid.UUID, migration_id: uuid.UUID, principal: Reader, container: ContainerDep
) -> RevertPublic:
    """The migration's revert: status and counts."""
    with container.uow(principal.tenant_id) as uow:
        return reverts.public(reverts.load_revert(uow, principal, workflow_id, migration_id))


@router.get("/others", response_model=RevertOtherList)
def list_others(
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> RevertOtherList:
    """The executions the revert did not put back, why (as it reads now), and where they are."""
    with container.uow(principal.tenant_id) as uow:
        items, next_cursor = reverts.others_page(
            uow, principal, workflow_id, migration_id, limit=limit, cursor=cursor
        )
        return RevertOtherList(items=items, next_cursor=next_cursor)
