"""Every change of a rollout is recorded twice, in the change's own unit of work: an audit
entry (``rollout_started``, ``rollout_step``, ``rollout_paused``, ``rollout_resumed``,
``rollout_halted``, ``rollout_published``, ``rollout_aborted``) and a line in the git note
of the target version's commit on ``refs/notes/rollouts``, so ``git log
--notes=rollouts`` tells how a version went live and reindex restores the rows from it.

Each line is the whole rollout as of that change (``schemas.rollouts.RolloutRecord``):
wfv's own values, JSON-escaped on one line, never a contact id (the cohort is a count), so
nothing a caller sent can forge or hide a line. The publish moves the target to a new
commit on ``main``: its note starts with the rollout's lines copied from the draft's.
"""

from datetime import datetime
from typing import Any

from indexer.models import Rollout, Workflow, WorkflowVersion
from repo_store import RefUpdate
from schemas.history import ROLLOUTS_NOTES_REF
from schemas.rollouts import RolloutGuard, RolloutRecord, RolloutStep, parse_note
from service.auth import Principal
from service.uow import UnitOfWork
from service.versions.editing import audit
from service.versions.write_path import move_refs


def snapshot(rollout: Rollout, event: str, by: str, at: datetime, versions: tuple[int, int]) -> RolloutRecord:
    target, baseline = versions
    return RolloutRecord(
        event=f"rollout_{event}",
        id=rollout.id,
        revision=rollout.revision,
        at=at,
        by=by,
        target_version_id=rollout.target_version_id,
        target=target,
        baseline_version_id=rollout.baseline_version_id,
        baseline=baseline,
        state=rollout.state,
        steps=[RolloutStep.model_validate(step) for step in rollout.steps],
        step_index=rollout.step_index,
        step_started_at=rollout.step_started_at,
        next_step_at=rollout.next_step_at,
        cohort_size=len(rollout.cohort),
        guard=RolloutGuard.model_validate(rollout.guard),
        halted_reason=rollout.halted_reason,
        created_by=rollout.created_by,
        created_at=rollout.created_at,
        finished_at=rollout.finished_at,
    )


def record(
    uow: UnitOfWork,
    workflow: Workflow,
    rollout: Rollout,
    event: str,
    principal: Principal,
    at: datetime,
    *,
    draft_commit: str | None = None,
    **details: Any,
) -> None:
    """The audit entry and the note line of ``event``. ``draft_commit``: the commit the
    target had before a publish moved it (its rollout lines are carried over)."""
    target = uow.session.get(WorkflowVersion, rollout.target_version_id)
    baseline = uow.session.get(WorkflowVersion, rollout.baseline_version_id)
    assert target is not None
    assert baseline is not None
    line = snapshot(rollout, event, principal.user_id, at, (target.version_number, baseline.version_number))
    audit(
        uow,
        workflow,
        target,
        line.event,
        principal,
        at,
        rollout_id=str(rollout.id),
        state=rollout.state,
        step_index=rollout.step_index,
        percent=rollout.steps[rollout.step_index]["percent"],
        baseline_version=baseline.version_number,
        **details,
    )
    repo = uow.repo(workflow.id)
    text = repo.note(ROLLOUTS_NOTES_REF, target.commit_sha) or ""
    if draft_commit is not None and draft_commit != target.commit_sha:
        earlier = repo.note(ROLLOUTS_NOTES_REF, draft_commit) or ""
        text += "".join(
            earlier_line + "\n"
            for earlier_line in earlier.splitlines()
            if any(r.id == rollout.id for r in parse_note(earlier_line))
        )
    old, new = repo.write_note(
        notes_ref=ROLLOUTS_NOTES_REF,
        target=target.commit_sha,
        text=text + line.note_line() + "\n",
        author=principal.identity,
        when=at,
    )
    move_refs(
        uow,
        workflow,
        repo,
        [RefUpdate(ROLLOUTS_NOTES_REF, old, new)],
        head=None,
        reflog=f"rollout of v{target.version_number}: {event}",
    )
