"""Execution routes: the execution engine enrols contacts and reports where they are."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from schemas.executions import (
    CONTACT_ID_PATTERN,
    EnrollRequest,
    EnrollResult,
    ExecutionList,
    ExecutionPublic,
    ExecutionStatus,
    ExecutionSummary,
    PositionsRequest,
    PositionsResult,
    SummaryRow,
)
from service.api.deps import ContainerDep, Editor, Reader, to_version_ref
from service.api.idempotency import Idempotent
from service.executions import enrolment as executions
from service.executions import reports

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/executions", tags=["executions"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EnrollResult)
def enroll(
    workflow_id: uuid.UUID,
    body: EnrollRequest,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
    assignments: Annotated[
        bool, Query(description="also list the version each newly enrolled contact went to")
    ] = False,
) -> EnrollResult | Response:
    """Enrol up to 10,000 contacts on the current version, at the trigger's first action;
    while a guarded rollout is not over, each new contact gets the version its stable hash
    gives (docs/rollouts.md). `by_version` says how many went to each."""
    with container.uow(principal.tenant_id, write=True) as uow:
        result = executions.enroll(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            contact_ids=body.contact_ids,
            assignments=assignments,
        )
        answer = idem.answer(uow, lambda: result, response)
        uow.commit()
    return answer


@router.post("/positions", response_model=PositionsResult)
def report_positions(
    workflow_id: uuid.UUID,
    body: PositionsRequest,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> PositionsResult | Response:
    """Report where contacts are now, each move checked against its execution's version
    (all or nothing), and against its base if it names one: a stale move is refused alone
    and answered with where its execution is now (docs/engine-contract.md)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        result = reports.report_positions(
            uow=uow, principal=principal, workflow_id=workflow_id, moves=body.moves
        )
        answer = idem.answer(uow, lambda: result, response)
        uow.commit()
    return answer


@router.get("", response_model=ExecutionList)
def list_executions(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    version: Annotated[str | None, Query(max_length=64)] = None,
    status: ExecutionStatus | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    migration: uuid.UUID | None = None,
    contact: Annotated[
        str | None,
        Query(
            max_length=255,
            pattern=CONTACT_ID_PATTERN,
            description="one contact's executions: every one it had here, on any version",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> ExecutionList:
    """Executions, filtered by version (id or number), status, action, moving migration or
    contact (a contact that re-entered has several, each on the version it ran)."""
    ref = to_version_ref(version, "version") if version is not None else None
    with container.uow(principal.tenant_id) as uow:
        page, next_cursor = executions.list_page(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            version=ref,
            status=status,
            action=action,
            migration_id=migration,
            contact_id=contact,
            limit=limit,
            cursor=cursor,
        )
        items = [ExecutionPublic.model_validate(row) for row in page]
    return ExecutionList(items=items, next_cursor=next_cursor)


@router.get("/summary", response_model=ExecutionSummary)
def summary(workflow_id: uuid.UUID, principal: Reader, container: ContainerDep) -> ExecutionSummary:
    """How many executions sit where: counts per version x action x status."""
    with container.uow(principal.tenant_id) as uow:
        counted = executions.summary(uow=uow, principal=principal, workflow_id=workflow_id)
    items = [
        SummaryRow(version_id=v, version_number=n, action_id=a, status=s, count=c)
        for v, n, a, s, c in counted
    ]
    return ExecutionSummary(items=items, total=sum(row.count for row in items))
