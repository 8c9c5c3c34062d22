"""``GET …/rollout``: the workflow's rollout not over, else its most recent, with the counts
an operator judges it by: executions enrolled on the target and on the baseline since it
started, and how many of each completed, exited or failed."""

import uuid

from indexer import rollouts as rows
from indexer.models import Rollout, WorkflowVersion
from schemas.rollouts import (
    RolloutGuard,
    RolloutPublic,
    RolloutStep,
    RolloutVersion,
    VersionEnrolments,
)
from service.auth import Principal
from service.rollouts.assignment import share
from service.rollouts.transitions import RolloutNotFound
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


def get_rollout(*, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID) -> RolloutPublic:
    workflow = load_workflow(uow, principal, workflow_id)
    rollout = rows.latest_rollout(uow.session, workflow.tenant_id, workflow.id)
    if rollout is None:
        raise RolloutNotFound(f"workflow {workflow_id} has never been rolled out")
    return public(uow, rollout)


def public(uow: UnitOfWork, rollout: Rollout) -> RolloutPublic:
    target = uow.session.get(WorkflowVersion, rollout.target_version_id)
    baseline = uow.session.get(WorkflowVersion, rollout.baseline_version_id)
    assert target is not None
    assert baseline is not None
    versions = (target, baseline)
    counts = rows.outcomes_since(
        uow.session, rollout.tenant_id, rollout.workflow_id, [v.id for v in versions], rollout.created_at
    )
    enrolments = [
        VersionEnrolments(
            version_id=version.id,
            version_number=version.version_number,
            enrolled=sum(counts[version.id].values()),
            completed=counts[version.id].get("completed", 0),
            exited=counts[version.id].get("exited", 0),
            failed=counts[version.id].get("failed", 0),
        )
        for version in versions
    ]
    return RolloutPublic(
        id=rollout.id,
        workflow_id=rollout.workflow_id,
        state=rollout.state,
        target=RolloutVersion(version_id=target.id, version_number=target.version_number),
        baseline=RolloutVersion(version_id=baseline.id, version_number=baseline.version_number),
        steps=[RolloutStep.model_validate(step) for step in rollout.steps],
        step_index=rollout.step_index,
        percent=int(rollout.steps[rollout.step_index]["percent"]),
        share=share(rollout),
        step_started_at=rollout.step_started_at,
        next_step_at=rollout.next_step_at,
        cohort_size=len(rollout.cohort),
        guard=RolloutGuard.model_validate(rollout.guard),
        halted_reason=rollout.halted_reason,
        enrolments=enrolments,
        created_by=rollout.created_by,
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        finished_at=rollout.finished_at,
    )
