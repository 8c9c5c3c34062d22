"""Retention state (archive, unarchive, legal hold) written to git, so git stays the
source of truth for it as for every other state of a version (``schemas.state``).

Same order as every version change (``service.versions.write_path.move_refs``): the caller has staged
its rows, the state commit's objects are written, the rows are flushed, then
``refs/wfv/state`` and the watermark move by compare-and-swap from where the index left
them; the unit of work's commit follows, and moves them back if it fails.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from indexer import archival as sql
from indexer.models import Workflow, WorkflowVersion
from repo_store import RefUpdate
from repo_store.state import write_state_commit
from schemas.state import STATE_REF, LegalHold, VersionState
from service.idempotency import claim_trailers
from service.uow import UnitOfWork
from service.versions.write_path import move_refs


def state_of(version: WorkflowVersion | sql.Retained) -> VersionState:
    """The git state of a version row (its retention columns)."""
    hold = None
    if version.legal_hold_reason is not None:
        hold = LegalHold(reason=version.legal_hold_reason, by=version.legal_hold_by, at=version.legal_hold_at)
    return VersionState(
        number=version.version_number,
        version_id=version.id,
        archived_at=version.archived_at,
        unarchived_at=version.unarchived_at,
        legal_hold=hold,
    )


def with_backfill(
    uow: UnitOfWork,
    flows: Iterable[Workflow],
    states: Mapping[uuid.UUID, Mapping[int, VersionState]],
) -> dict[uuid.UUID, dict[int, VersionState]]:
    """``states`` plus, for each workflow git holds no state of yet, every version of it
    the index says is archived, unarchived or held (one query for them all).

    An index older than ``refs/wfv/state`` kept those in SQL only; were the first state
    commit to name just the versions changed now, the next reindex would bring the others
    back active and unheld. So the first commit carries them all.
    """
    merged = {workflow_id: dict(found) for workflow_id, found in states.items()}
    first = [w for w in flows if w.state_head is None and w.id in merged]
    if first:
        for row in sql.retained_versions(uow.session, first[0].tenant_id, [w.id for w in first]):
            merged[row.workflow_id].setdefault(row.version_number, state_of(row))
    return merged


@dataclass(frozen=True)
class StateChange:
    """New states of some versions of one workflow (its lock held, its rows staged).

    ``message`` is wfv's own words (never user text): the hold's reason stays in the blob.
    ``states`` already holds the backfill of a workflow's first state commit
    (:func:`with_backfill`).
    """

    workflow: Workflow
    states: Mapping[int, VersionState]
    message: str


def record_states(uow: UnitOfWork, changes: Sequence[StateChange], *, when: datetime) -> None:
    """One state commit per workflow, then ``refs/wfv/state`` and the watermark moved to it.

    Every workflow's objects first, then one flush for all the staged rows (a constraint
    error surfaces before any ref moves), then each workflow's compare-and-swap. The new
    heads are set on the rows and reach SQL in the commit's flush, in one batch: an
    archival batch of 500 workflows pays no round trip per workflow.
    """
    made = []
    for change in changes:
        workflow = change.workflow
        repo = uow.repo(workflow.id)
        found = write_state_commit(
            repo,
            parent=workflow.state_head,
            changes=change.states,
            message=change.message,
            when=when,
            trailers=claim_trailers(),  # a retry of the request finds its change by it
        )
        if found is not None:  # else git already says this
            made.append((change, repo, found[0]))
    uow.session.flush()
    for change, repo, commit in made:
        workflow = change.workflow
        state = [RefUpdate(STATE_REF, workflow.state_head, commit)]
        move_refs(
            uow, workflow, repo, state, head=commit, reflog=change.message.splitlines()[0], flushed=True
        )
        workflow.state_head = commit
