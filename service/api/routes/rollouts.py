"""Guarded rollout routes: start one, read it, and pause, resume, promote or abort it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from schemas.migrations import MigrationPlan
from schemas.rollouts import RolloutCreate, RolloutPublic
from service.api.deps import ContainerDep, Editor, Reader, VersionPath
from service.api.idempotency import Idempotent
from service.rollouts import control, start, view

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}", tags=["rollouts"])


@router.post("/versions/{version}/rollout", status_code=status.HTTP_201_CREATED, response_model=RolloutPublic)
def start_rollout(
    workflow_id: uuid.UUID,
    version: VersionPath,
    body: RolloutCreate,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> RolloutPublic | Response:
    """Roll this draft out to a growing share of new enrolments (the publish checks and the
    review gate first); past the last step it is published. One rollout per workflow."""
    with container.uow(principal.tenant_id, write=True) as uow:
        rollout = start.start_rollout(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            ref=version,
            request=body,
        )
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/rollout"
        answer = idem.answer(uow, lambda: view.public(uow, rollout), response)
        uow.commit()
    return answer


@router.get("/rollout", response_model=RolloutPublic)
def get_rollout(workflow_id: uuid.UUID, principal: Reader, container: ContainerDep) -> RolloutPublic:
    """The rollout not over, else the most recent: share, step, next step, counts per version."""
    with container.uow(principal.tenant_id) as uow:
        return view.get_rollout(uow=uow, principal=principal, workflow_id=workflow_id)


@router.get("/rollout/migrate-back", response_model=MigrationPlan)
def migrate_back_plan(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    unmapped: Annotated[str, Query(max_length=80)] = "fail",
) -> MigrationPlan:
    """The dry run of migrating the rollout's target's live contacts back to its baseline
    (by action id; ``unmapped`` as a migration takes it): what ``guard.migrate_back`` does
    on a halt. Changes nothing."""
    with container.uow(principal.tenant_id) as uow:
        return view.migrate_back_plan(
            uow=uow, principal=principal, workflow_id=workflow_id, unmapped=unmapped
        )


def _control(
    action: str,
    workflow_id: uuid.UUID,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> RolloutPublic | Response:
    with container.uow(principal.tenant_id, write=True) as uow:
        rollout = control.control_rollout(
            uow=uow, principal=principal, workflow_id=workflow_id, action=action
        )
        answer = idem.answer(uow, lambda: view.public(uow, rollout), response)
        uow.commit()
    return answer


@router.post("/rollout/pause", response_model=RolloutPublic)
def pause_rollout(
    workflow_id: uuid.UUID, principal: Editor, container: ContainerDep, response: Response, idem: Idempotent
) -> RolloutPublic | Response:
    """Pause: the share holds, the clock stops (no step is taken until resumed)."""
    return _control("pause", workflow_id, principal, container, response, idem)


@router.post("/rollout/resume", response_model=RolloutPublic)
def resume_rollout(
    workflow_id: uuid.UUID, principal: Editor, container: ContainerDep, response: Response, idem: Idempotent
) -> RolloutPublic | Response:
    """Resume a paused or halted rollout from its step, whose time starts over."""
    return _control("resume", workflow_id, principal, container, response, idem)


@router.post("/rollout/promote", response_model=RolloutPublic)
def promote_rollout(
    workflow_id: uuid.UUID, principal: Editor, container: ContainerDep, response: Response, idem: Idempotent
) -> RolloutPublic | Response:
    """Jump to 100%: the target is published now, exactly as a publish does it."""
    return _control("promote", workflow_id, principal, container, response, idem)


@router.post("/rollout/abort", response_model=RolloutPublic)
def abort_rollout(
    workflow_id: uuid.UUID, principal: Editor, container: ContainerDep, response: Response, idem: Idempotent
) -> RolloutPublic | Response:
    """Abort: over, nothing published; new enrolments all go to the current version."""
    return _control("abort", workflow_id, principal, container, response, idem)
