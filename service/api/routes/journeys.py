"""Journey routes: an execution's journey, and where a contact was at an instant."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime

from schemas.executions import CONTACT_ID_PATTERN
from schemas.journeys import AsOf, JourneyPage
from service.api.deps import ContainerDep, Reader
from service.journeys import history

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}", tags=["journeys"])


@router.get("/executions/{execution_id}/journey", response_model=JourneyPage)
def execution_journey(
    workflow_id: uuid.UUID,
    execution_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> JourneyPage:
    """Every change of the execution's position, oldest first: enrolment, the engine's
    reports, migrations and reverts, each with where it was before (docs/journeys.md)."""
    with container.uow(principal.tenant_id) as uow:
        return history.journey(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            execution_id=execution_id,
            limit=limit,
            cursor=cursor,
        )


@router.get("/contacts/{contact_id}/as-of", response_model=AsOf)
def contact_as_of(
    workflow_id: uuid.UUID,
    contact_id: Annotated[str, Path(pattern=CONTACT_ID_PATTERN)],
    principal: Reader,
    container: ContainerDep,
    at: Annotated[AwareDatetime, Query(description="the instant, ISO 8601 with an offset")],
) -> AsOf:
    """Where the contact was at `at`: version, commit, action and status, and the event
    that put it there; `left` when its execution had ended by then. 404 before its first
    event (or past the retention)."""
    with container.uow(principal.tenant_id) as uow:
        return history.as_of(
            uow=uow, principal=principal, workflow_id=workflow_id, contact_id=contact_id, at=at
        )
