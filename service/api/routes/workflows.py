"""Workflow routes."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from schemas.api import (
    VersionPublic,
    WorkflowCreate,
    WorkflowCreated,
    WorkflowList,
    WorkflowPublic,
    WorkflowUpdate,
)
from service.api.deps import Admin, ContainerDep, Editor, Reader
from service.api.idempotency import Idempotent
from service.versions import retries, workflows

router = APIRouter(prefix="/api/v1/workflows", tags=["workflows"])

Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WorkflowCreated)
def create_workflow(
    body: WorkflowCreate, principal: Editor, container: ContainerDep, response: Response, idem: Idempotent
) -> WorkflowCreated | Response:
    """Create a workflow, its git repository and version 1 as a draft."""
    earlier = idem.earlier_workflow(principal)
    with container.uow(principal.tenant_id, write=True) as uow:
        if earlier is not None:
            workflow, version = retries.created(uow, principal, earlier)
        else:
            workflow, version = workflows.create_workflow(
                uow=uow, principal=principal, name=body.name, definition=body.definition
            )
        response.headers["Location"] = f"/api/v1/workflows/{workflow.id}"

        def created() -> WorkflowCreated:
            public = WorkflowPublic.model_validate(workflow)
            return WorkflowCreated(**public.model_dump(), version=VersionPublic.model_validate(version))

        answer = idem.answer(uow, created, response)
        uow.commit()
    return answer


@router.get("", response_model=WorkflowList)
def list_workflows(
    principal: Reader, container: ContainerDep, limit: Limit = 50, cursor: str | None = None
) -> WorkflowList:
    """List the tenant's workflows, newest first."""
    with container.uow(principal.tenant_id) as uow:
        rows, next_cursor = workflows.list_workflows(uow=uow, principal=principal, limit=limit, cursor=cursor)
        items = [WorkflowPublic.model_validate(row) for row in rows]
    return WorkflowList(items=items, next_cursor=next_cursor)


@router.get("/{workflow_id}", response_model=WorkflowPublic)
def get_workflow(workflow_id: uuid.UUID, principal: Reader, container: ContainerDep) -> WorkflowPublic:
    """One workflow."""
    with container.uow(principal.tenant_id) as uow:
        return WorkflowPublic.model_validate(workflows.load_workflow(uow, principal, workflow_id))


@router.patch("/{workflow_id}", response_model=WorkflowPublic)
def update_workflow(
    workflow_id: uuid.UUID, body: WorkflowUpdate, principal: Admin, container: ContainerDep
) -> WorkflowPublic:
    """Rename a workflow or set how many approvals a draft needs before it is published."""
    with container.uow(principal.tenant_id, write=True) as uow:
        workflow = workflows.update_workflow(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            name=body.name,
            required_approvals=body.required_approvals,
        )
        uow.commit()
        return WorkflowPublic.model_validate(workflow)


@router.delete("/{workflow_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_workflow(workflow_id: uuid.UUID, principal: Admin, container: ContainerDep) -> Response:
    """Delete a workflow: hidden from now on, its audit trail, reviews and migrations kept."""
    with container.uow(principal.tenant_id, write=True) as uow:
        workflows.delete_workflow(uow=uow, principal=principal, workflow_id=workflow_id)
        uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
