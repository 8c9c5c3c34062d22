"""Queries over guarded rollouts: the active one of a workflow, the schedule's due ones,
compare-and-set state changes, the counts the rollout's answer shows, and the rows
reindex restores from the records of the notes."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from indexer.models import Rollout, Workflow
from schemas.rollouts import ACTIVE, RolloutRecord

# Built once: every publish, edit and delete asks, and composing it cost more than running it.
_ACTIVE = select(Rollout).where(
    Rollout.tenant_id == bindparam("tenant_id"),
    Rollout.workflow_id == bindparam("workflow_id"),
    Rollout.state.in_(ACTIVE),
)


def active_rollout(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> Rollout | None:
    """The workflow's rollout that is not over (running, paused or halted), if any."""
    return session.scalars(_ACTIVE, {"tenant_id": tenant_id, "workflow_id": workflow_id}).first()


def get_rollout(session: Session, tenant_id: str, rollout_id: uuid.UUID) -> Rollout | None:
    query = select(Rollout).where(Rollout.tenant_id == tenant_id, Rollout.id == rollout_id)
    return session.scalars(query).one_or_none()


def latest_rollout(session: Session, tenant_id: str, workflow_id: uuid.UUID) -> Rollout | None:
    """The active rollout, else the most recent one."""
    found = active_rollout(session, tenant_id, workflow_id)
    if found is not None:
        return found
    query = (
        select(Rollout)
        .where(Rollout.tenant_id == tenant_id, Rollout.workflow_id == workflow_id)
        .order_by(Rollout.created_at.desc(), Rollout.revision.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def running_rollouts(session: Session, tenant_id: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(workflow id, rollout id) of the running rollouts, the most due first: each is
    judged by the guards at every look, and steps when due."""
    query = select(Rollout.workflow_id, Rollout.id).where(
        Rollout.tenant_id == tenant_id, Rollout.state == "running"
    )
    return [(w, r) for w, r in session.execute(query.order_by(Rollout.next_step_at))]


def next_steps(session: Session, tenant_id: str) -> list[tuple[uuid.UUID, datetime]]:
    """(rollout id, when) of every running rollout: what a starting worker schedules."""
    query = select(Rollout.id, Rollout.next_step_at).where(
        Rollout.tenant_id == tenant_id, Rollout.state == "running", Rollout.next_step_at.is_not(None)
    )
    return [(r, when) for r, when in session.execute(query) if when is not None]


def compare_and_set(session: Session, rollout: Rollout, values: dict[str, Any]) -> bool:
    """Change the rollout only if it is still in the state, step and revision the caller
    read (and bump the revision); the in-session object follows. False: someone else
    changed it first (another process's promote, the schedule), and nothing was written."""
    statement = (
        update(Rollout)
        .where(
            Rollout.tenant_id == rollout.tenant_id,
            Rollout.id == rollout.id,
            Rollout.state == rollout.state,
            Rollout.step_index == rollout.step_index,
            Rollout.revision == rollout.revision,
        )
        .values(**values, revision=rollout.revision + 1)
        .execution_options(synchronize_session="fetch")
    )
    changed = bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]
    if changed:
        session.refresh(rollout)
    return changed


def restore(session: Session, workflow: Workflow, records: Sequence[RolloutRecord]) -> int:
    """Make the workflow's rollout rows say what the newest record of each says (rows the
    index lacks, or holds at an older revision); returns how many rows changed. The cohort
    is not in git: a row made here has none, one that exists keeps its own. A record that
    would make a second active rollout is left out (the index's active one stands)."""
    newest: dict[uuid.UUID, RolloutRecord] = {}
    for record in records:
        if record.id not in newest or record.revision > newest[record.id].revision:
            newest[record.id] = record
    rows = {
        row.id: row
        for row in session.scalars(
            select(Rollout).where(Rollout.tenant_id == workflow.tenant_id, Rollout.workflow_id == workflow.id)
        )
    }
    changed = 0
    # Ended ones first, so an index row that ends here frees the one active place.
    for record in sorted(newest.values(), key=lambda r: (r.state in ACTIVE, r.created_at)):
        row = rows.get(record.id)
        if row is not None and row.revision >= record.revision:
            continue
        active = active_rollout(session, workflow.tenant_id, workflow.id)
        if record.state in ACTIVE and active is not None and active.id != record.id:
            continue
        if row is None:
            row = Rollout(id=record.id, tenant_id=workflow.tenant_id, workflow_id=workflow.id, cohort=[])
            session.add(row)
        for name, value in _row_values(record).items():
            setattr(row, name, value)
        session.flush()
        changed += 1
    return changed


def _row_values(record: RolloutRecord) -> dict[str, Any]:
    return {
        "target_version_id": record.target_version_id,
        "baseline_version_id": record.baseline_version_id,
        "state": record.state,
        "steps": [step.model_dump() for step in record.steps],
        "step_index": record.step_index,
        "step_started_at": record.step_started_at,
        "next_step_at": record.next_step_at,
        "guard": record.guard.model_dump(),
        "halted_reason": record.halted_reason,
        "revision": record.revision,
        "created_by": record.created_by,
        "created_at": record.created_at,
        "updated_at": record.at,
        "finished_at": record.finished_at,
    }
