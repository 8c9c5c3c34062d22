"""The rollout's schedule, run by the worker: a due rollout takes its next step, and past
the last step its target is published.

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
from service.clock import utcnow
from service.container import Container
from service.errors import Problem
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


def advance(uow: UnitOfWork, tenant_id: str, rollout_id: uuid.UUID, now: datetime) -> str:
    """One step of a due rollout, in the caller's unit: ``step``, ``published``, or
    ``not due`` (not running, or its time not come: a job early, or late after another)."""
    found = rows.get_rollout(uow.session, tenant_id, rollout_id)
    if found is None:
        return "not due"
    principal = schedule_principal(tenant_id)
    workflow = load_workflow(uow, principal, found.workflow_id, lock=True)
    uow.session.refresh(found)  # as it is now that this unit holds the workflow's lock
    rollout = found
    if rollout.state != "running" or rollout.next_step_at is None or rollout.next_step_at > now:
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


def advance_due(container: Container, tenant_id: str) -> dict[str, str]:
    """Every due rollout of the tenant, one step each: rollout id -> outcome."""
    with container.uow(tenant_id) as uow:
        due = rows.due_rollouts(uow.session, tenant_id, utcnow())
    return {str(rollout_id): advance_one(container, tenant_id, rollout_id) for _, rollout_id in due}


def pending_steps(container: Container, tenant_id: str) -> list[tuple[uuid.UUID, datetime]]:
    """(rollout id, when) of the tenant's running rollouts: what a starting worker queues."""
    with container.uow(tenant_id) as uow:
        return rows.next_steps(uow.session, tenant_id)
