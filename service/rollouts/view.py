"""``GET …/rollout``: the workflow's rollout not over, else its most recent, with the counts
an operator judges it by: executions enrolled on the target and on the baseline since it
started, and how many of each completed, exited or failed; and, while it is not over, the
guards' judgement of its current step as the worker will make it at its next look."""

import uuid

from indexer import rollouts as rows
from indexer.models import Rollout, WorkflowVersion
from indexer.rollout_outcomes import outcomes
from schemas.migrations import MigrationPlan
from schemas.rollouts import (
    ACTIVE,
    RolloutGuard,
    RolloutPublic,
    RolloutStep,
    RolloutVersion,
    VersionEnrolments,
)
from service.auth import Principal
from service.rollouts import migrate_back
from service.rollouts.assignment import share
from service.rollouts.guards import step_verdict
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
    counts = outcomes(
        uow.session,
        rollout.tenant_id,
        rollout.workflow_id,
        [v.id for v in versions],
        since=rollout.created_at,
    )
    enrolments = [
        VersionEnrolments(
            version_id=version.id,
            version_number=version.version_number,
            enrolled=counts[version.id].enrolled,
            completed=counts[version.id].completed,
            exited=counts[version.id].exited,
            failed=counts[version.id].failed,
        )
        for version in versions
    ]
    verdict = step_verdict(uow, rollout) if rollout.state in ACTIVE else None
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
        guard_verdict=verdict,
        halted_reason=rollout.halted_reason,
        enrolments=enrolments,
        created_by=rollout.created_by,
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        finished_at=rollout.finished_at,
    )


def migrate_back_plan(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, unmapped: str
) -> MigrationPlan:
    """The dry run of moving the rollout's target's live contacts back to its baseline by
    action id: what a guard with ``migrate_back`` would do on a halt (or what an operator
    would do by hand after one), shown before it is ever done."""
    workflow = load_workflow(uow, principal, workflow_id)
    rollout = rows.latest_rollout(uow.session, workflow.tenant_id, workflow.id)
    if rollout is None:
        raise RolloutNotFound(f"workflow {workflow_id} has never been rolled out")
    return migrate_back.dry_run(
        uow, principal, workflow_id, rollout.target_version_id, rollout.baseline_version_id, unmapped=unmapped
    )
