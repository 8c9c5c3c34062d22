"""A rollout's state changes after its start: pause, resume, abort, halt (the guards'),
promote and the publish that ends it. Each runs in its caller's unit of work under the
workflow's lock, and writes by compare-and-set on (state, step, revision) as read: two API
processes, or a promote racing the schedule, change it once, and the loser is told so
(``RolloutConflict``) having written nothing. Each change is recorded (``records``).

running --pause--> paused --resume--> running (the step starts its time again)
running/paused/halted --abort--> aborted (nothing published)
running/paused --halt--> halted (share 0; resume or abort it)
running/paused/halted --promote--> published (the publish a publish does)
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from indexer import rollouts as rows
from indexer.models import Rollout, Workflow, WorkflowVersion
from schemas.rollouts import ACTIVE
from service.auth import Principal
from service.auth.system import system_principal
from service.errors import Problem
from service.rollouts.records import record
from service.uow import UnitOfWork
from service.versions.publishing import publish_found
from service.versions.workflows import load_workflow

# The actor of what the worker does: steps and the publish at the end of the ramp.
SCHEDULE_ACTOR = "system:rollout"


class RolloutNotFound(Problem):
    status_code, title, slug = 404, "Rollout not found", "rollout-not-found"


class RolloutConflict(Problem):
    status_code, title, slug = 409, "Rollout conflict", "rollout-conflict"


def schedule_principal(tenant_id: str) -> Principal:
    """``system:rollout``, the same actor the guards' migrate-back uses."""
    return system_principal(tenant_id, "rollout")


def load_active(uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID) -> tuple[Workflow, Rollout]:
    """The workflow (locked) and its rollout that is not over; 404 when there is none."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    rollout = rows.active_rollout(uow.session, workflow.tenant_id, workflow.id)
    if rollout is None:
        raise RolloutNotFound(f"workflow {workflow_id} has no rollout in progress")
    return workflow, rollout


def change(uow: UnitOfWork, rollout: Rollout, now: datetime, **values: Any) -> None:
    """Compare-and-set the rollout from what this unit read; refused if it moved since."""
    if not rows.compare_and_set(uow.session, rollout, {**values, "updated_at": now}):
        raise RolloutConflict(f"rollout {rollout.id} changed meanwhile; read it again")


def _require(rollout: Rollout, allowed: tuple[str, ...], action: str) -> None:
    if rollout.state not in allowed:
        raise RolloutConflict(
            f"rollout {rollout.id} is {rollout.state}; it cannot be {action}",
            rollout_id=str(rollout.id),
            rollout_state=rollout.state,
        )


def step_deadline(rollout: Rollout, index: int, start: datetime) -> datetime:
    return start + timedelta(seconds=int(rollout.steps[index]["seconds"]))


def pause(uow: UnitOfWork, workflow: Workflow, rollout: Rollout, principal: Principal, now: datetime) -> None:
    """The share holds, the clock stops: no step is taken until resumed."""
    _require(rollout, ("running",), "paused")
    change(uow, rollout, now, state="paused", next_step_at=None)
    record(uow, workflow, rollout, "paused", principal, now)


def resume(
    uow: UnitOfWork, workflow: Workflow, rollout: Rollout, principal: Principal, now: datetime
) -> None:
    """A paused or halted rollout runs again from its current step, whose time starts over."""
    _require(rollout, ("paused", "halted"), "resumed")
    change(
        uow,
        rollout,
        now,
        state="running",
        step_started_at=now,
        next_step_at=step_deadline(rollout, rollout.step_index, now),
        halted_reason=None,
    )
    record(uow, workflow, rollout, "resumed", principal, now)
    ask_for_step(uow, rollout)


def abort(uow: UnitOfWork, workflow: Workflow, rollout: Rollout, principal: Principal, now: datetime) -> None:
    """Over, nothing published: new enrolments all go to the current version again."""
    _require(rollout, ACTIVE, "aborted")
    change(uow, rollout, now, state="aborted", next_step_at=None, finished_at=now)
    record(uow, workflow, rollout, "aborted", principal, now)


def halt(uow: UnitOfWork, rollout: Rollout, reason: dict[str, Any], at: datetime) -> None:
    """The guards' stop: share 0 (every new contact to the baseline), ``reason`` kept and
    recorded; the lead's wiring calls it with the workflow locked. Resume or abort it."""
    _require(rollout, ("running", "paused"), "halted")
    workflow = uow.session.get(Workflow, rollout.workflow_id)
    assert workflow is not None
    change(uow, rollout, at, state="halted", next_step_at=None, halted_reason=reason)
    record(uow, workflow, rollout, "halted", schedule_principal(rollout.tenant_id), at, reason=reason)


def promote(
    uow: UnitOfWork, workflow: Workflow, rollout: Rollout, principal: Principal, now: datetime
) -> WorkflowVersion:
    """Jump to 100%: the target is published now."""
    _require(rollout, ACTIVE, "promoted")
    return finish(uow, workflow, rollout, principal, now, how="promote")


def finish(
    uow: UnitOfWork, workflow: Workflow, rollout: Rollout, principal: Principal, now: datetime, *, how: str
) -> WorkflowVersion:
    """The end of the ramp (or a promote): the rollout is marked ``published`` first (the
    compare-and-set that makes this happen once), then the target is published exactly as
    ``POST …/publish`` does (commit on main, tag, current flag, drafts ended, review merged,
    audit, ``version.published``), then recorded on the new commit's note."""
    target = uow.session.get(WorkflowVersion, rollout.target_version_id)
    assert target is not None
    draft_commit = target.commit_sha
    change(uow, rollout, now, state="published", next_step_at=None, finished_at=now)
    if not target.is_current:  # already current: a publish a crash cut short, healed since
        publish_found(
            uow,
            principal,
            workflow,
            target,
            message=f"Publish v{target.version_number} (rollout {how})",
            details={"rollout_id": str(rollout.id)},
        )
    record(uow, workflow, rollout, "published", principal, now, draft_commit=draft_commit, how=how)
    return target


def ask_for_step(uow: UnitOfWork, rollout: Rollout) -> None:
    """After the commit, a job for the moment the next step is due (punctual steps; the
    periodic task is the net under it)."""
    when, jobs = rollout.next_step_at, uow.services.jobs
    if when is None:
        return
    tenant, rollout_id = rollout.tenant_id, rollout.id
    uow.after_commit(
        "schedule the rollout's next step", lambda: jobs.advance_rollout(tenant, rollout_id, when)
    )
