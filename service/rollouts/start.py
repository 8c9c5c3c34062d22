"""Starting a guarded rollout: the checks a publish makes, then the first step.

The target must be a draft that could be published now (the state machine, the review gate,
the completeness check with the catalogue of action types: ``publishing``'s own functions),
and the workflow must have a current version to measure it against (none: publish instead).
"""

import uuid

from indexer import rollouts as rows
from indexer.models import Rollout, WorkflowVersion
from schemas.rollouts import RolloutCreate
from schemas.status import Transition, VersionStatus, apply_transition
from schemas.structure import publish_problems
from schemas.workflow import WorkflowDefinition
from service.auth import Principal
from service.clock import utcnow
from service.compare import reviews
from service.errors import VersionConflict
from service.ops import tracing
from service.rollouts.records import record
from service.rollouts.transitions import RolloutConflict, ask_for_step, step_deadline
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, check_lock, find_version
from service.versions.publishing import refuse_incomplete
from service.versions.workflows import load_workflow


@tracing.use_case("rollout.start")
def start_rollout(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    request: RolloutCreate,
    expected_lock: int | None = None,
) -> Rollout:
    """Send the first step's share of new enrolments to draft ``ref``; the current version
    stays current. Refused, changing nothing: another rollout not over, no current version,
    the target current or not a publishable draft."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    target = find_version(uow, workflow, ref)
    active = rows.active_rollout(uow.session, workflow.tenant_id, workflow.id)
    if active is not None:
        raise RolloutConflict(
            f"rollout {active.id} of this workflow is {active.state}: one rollout at a time",
            rollout_id=str(active.id),
            rollout_state=active.state,
        )
    if workflow.current_version_id is None:
        raise VersionConflict("the workflow has no current version to roll out against: publish instead")
    if target.id == workflow.current_version_id:
        raise VersionConflict(f"v{target.version_number} is already the current version")
    check_lock(target, expected_lock)
    apply_transition(Transition.PUBLISH, VersionStatus(target.status))
    reviews.require_publishable(uow, workflow, target)
    refuse_incomplete(
        target,
        publish_problems(WorkflowDefinition.model_validate(target.definition), uow.services.action_types),
    )
    baseline = uow.session.get(WorkflowVersion, workflow.current_version_id)
    assert baseline is not None
    now = utcnow()
    rollout = Rollout(
        id=uuid.uuid4(),
        tenant_id=workflow.tenant_id,
        workflow_id=workflow.id,
        target_version_id=target.id,
        baseline_version_id=baseline.id,
        state="running",
        steps=[step.model_dump() for step in request.steps],
        step_index=0,
        step_started_at=now,
        cohort=list(request.cohort),
        guard=request.guard.model_dump(),
        halted_reason=None,
        revision=1,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
        finished_at=None,
    )
    rollout.next_step_at = step_deadline(rollout, 0, now)
    uow.session.add(rollout)
    uow.session.flush()  # the one-active index refuses a racing start here, before git moves
    record(uow, workflow, rollout, "started", principal, now, cohort_size=len(rollout.cohort))
    ask_for_step(uow, rollout)
    return rollout
