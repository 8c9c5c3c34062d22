"""The rollout's schedule, run by the worker: the guards judge every running rollout's
current step (a rollout worse than its baseline halts, and may migrate its contacts
back), a due rollout takes its next step, and past the last step its target is published.

The state is the row: ``next_step_at`` says when the next step is due, and a step is one
compare-and-set from the step read to the next, under the workflow's lock. So however
many jobs ask (the job queued for the moment at each step change, the periodic task, a
worker starting again), a step is taken once; a worker killed between steps leaves the
row as it was, and the next to look takes that step, never one further: a step whose time
ran out while no worker ran starts when it is taken, and lasts its whole time.
"""

import logging
import uuid
from datetime import datetime

from indexer import rollouts as rows
from indexer.models import Rollout
from schemas.rollouts import RolloutGuard
from service.clock import utcnow
from service.container import Container
from service.errors import Problem
from service.rollouts import migrate_back
from service.rollouts.guards import step_verdict
from service.rollouts.records import record
from service.rollouts.transitions import (
    RolloutConflict,
    ask_for_step,
    change,
    finish,
    halt,
    schedule_principal,
    step_deadline,
)
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow

log = logging.getLogger("wfv.rollouts")


def _guarded(uow: UnitOfWork, rollout: Rollout, now: datetime) -> bool:
    """Judge the current step (its executions enrolled since it began, on both sides);
    halt the rollout when the guards say so. True: halted."""
    verdict = step_verdict(uow, rollout)
    if not verdict.halt:
        return False
    reason = {"kind": "guard", "step_index": rollout.step_index, **verdict.model_dump(mode="json")}
    halt(uow, rollout, reason, now)
    return True


def advance(uow: UnitOfWork, tenant_id: str, rollout_id: uuid.UUID, now: datetime) -> str:
    """One look at a running rollout, in the caller's unit: ``halted`` (the guards found
    the target worse: it halts before any further step), ``step``, ``published``, or
    ``not due`` (not running, or its time not come: a job early, or late after another)."""
    found = rows.get_rollout(uow.session, tenant_id, rollout_id)
    if found is None:
        return "not due"
    principal = schedule_principal(tenant_id)
    workflow = load_workflow(uow, principal, found.workflow_id, lock=True)
    uow.session.refresh(found)  # as it is now that this unit holds the workflow's lock
    rollout = found
    if rollout.state != "running":
        return "not due"
    if _guarded(uow, rollout, now):
        return "halted"
    if rollout.next_step_at is None or rollout.next_step_at > now:
        return "not due"
    following = rollout.step_index + 1
    if following < len(rollout.steps):
        change(
            uow,
            rollout,
            now,
            step_index=following,
            step_started_at=now,
            next_step_at=step_deadline(rollout, following, now),
        )
        record(uow, workflow, rollout, "step", principal, now)
        ask_for_step(uow, rollout)
        return "step"
    finish(uow, workflow, rollout, principal, now, how="schedule")
    return "published"


def advance_one(container: Container, tenant_id: str, rollout_id: uuid.UUID) -> str:
    """:func:`advance` in a unit of its own. A publish refused at the end of the ramp (the
    review rule tightened, the catalogue changed since the start) halts the rollout with
    the problem's slug as the reason, rather than failing at every tick."""
    try:
        with container.uow(tenant_id, write=True) as uow:
            outcome = advance(uow, tenant_id, rollout_id, utcnow())
            uow.commit()
        if outcome == "halted":
            _migrate_back(container, tenant_id, rollout_id)
        return outcome
    except RolloutConflict:
        return "raced"
    except Problem as refused:
        log.warning("rollout %s of %s: the publish was refused: %s", rollout_id, tenant_id, refused.detail)
        reason = {"kind": "publish_refused", "problem": refused.slug, "status": refused.status_code}
        with container.uow(tenant_id, write=True) as uow:
            rollout = rows.get_rollout(uow.session, tenant_id, rollout_id)
            if rollout is None:
                return "not due"
            load_workflow(uow, schedule_principal(tenant_id), rollout.workflow_id, lock=True)
            uow.session.refresh(rollout)
            if rollout.state != "running":
                return "raced"
            halt(uow, rollout, reason, utcnow())
            uow.commit()
        return "halted"


def _migrate_back(container: Container, tenant_id: str, rollout_id: uuid.UUID) -> None:
    """After a halt has committed, in a unit of its own (a refusal never undoes the halt):
    when the guard asks for it, the target's live contacts go back to the baseline by
    action id, as ``system:rollout``; what happened is recorded on the rollout."""
    actor = migrate_back.system_actor(tenant_id)
    with container.uow(tenant_id) as uow:
        rollout = rows.get_rollout(uow.session, tenant_id, rollout_id)
        if rollout is None or not RolloutGuard.model_validate(rollout.guard).migrate_back:
            return
        workflow_id, target, baseline = (
            rollout.workflow_id,
            rollout.target_version_id,
            rollout.baseline_version_id,
        )
    outcome: dict[str, object]
    try:
        with container.uow(tenant_id, write=True) as uow:
            migration = migrate_back.start(uow, actor, workflow_id, target, baseline)
            uow.commit()
        outcome = {"migration_id": str(migration.id) if migration is not None else None}
    except Problem as refused:
        log.warning("rollout %s of %s: migrating back was refused: %s", rollout_id, tenant_id, refused.detail)
        outcome = {"refused": refused.slug, "detail": refused.detail}
    with container.uow(tenant_id, write=True) as uow:
        workflow = load_workflow(uow, actor, workflow_id, lock=True)
        rollout = rows.get_rollout(uow.session, tenant_id, rollout_id)
        assert rollout is not None
        record(uow, workflow, rollout, "migrate_back", actor, utcnow(), migrate_back=outcome)
        uow.commit()


def advance_due(container: Container, tenant_id: str) -> dict[str, str]:
    """Every running rollout of the tenant: the guards' look, and a step when one is due;
    rollout id -> outcome, for those where something happened."""
    with container.uow(tenant_id) as uow:
        running = rows.running_rollouts(uow.session, tenant_id)
    outcomes = {str(rollout_id): advance_one(container, tenant_id, rollout_id) for _, rollout_id in running}
    return {rollout_id: outcome for rollout_id, outcome in outcomes.items() if outcome != "not due"}


def pending_steps(container: Container, tenant_id: str) -> list[tuple[uuid.UUID, datetime]]:
    """(rollout id, when) of the tenant's running rollouts: what a starting worker queues."""
    with container.uow(tenant_id) as uow:
        return rows.next_steps(uow.session, tenant_id)
