"""Per-action history ("blame" for a workflow step)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path

from schemas.blame import ActionHistory
from schemas.workflow import ACTION_ID_PATTERN
from service.api.deps import ContainerDep, Reader
from service.compare import blame as action_history

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/actions", tags=["actions"])


@router.get("/{action_id}/history", response_model=ActionHistory)
def get_action_history(
    workflow_id: uuid.UUID,
    action_id: Annotated[str, Path(pattern=ACTION_ID_PATTERN)],
    principal: Reader,
    container: ContainerDep,
) -> ActionHistory:
    """The published versions that added, changed or removed one action, oldest first."""
    with container.uow(principal.tenant_id) as uow:
        return action_history.action_history(
            uow=uow, principal=principal, workflow_id=workflow_id, action_id=action_id
        )
