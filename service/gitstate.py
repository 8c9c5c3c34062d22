"""Retention state (archive, unarchive, legal hold) written to git, so git stays the
source of truth for it as for every other state of a version (``schemas.state``).

Same order as every version change (``service.gitwrite``): the caller has staged its rows,
the state commit's objects are written, the rows are flushed, then ``refs/wfv/state`` and
the watermark move by compare-and-swap from where the index left them; the unit of work's
commit follows, and moves them back if it fails.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from indexer import archival as sql
from indexer.models import Workflow, WorkflowVersion
from repo_store import RefUpdate
from repo_store.state import write_state_commit
from schemas.state import STATE_REF, LegalHold, VersionState
from service.gitwrite import Written, move_refs
from service.uow import UnitOfWork


def state_of(version: WorkflowVersion) -> VersionState:
    """The git state of a version row (its retention columns)."""
    hold = None
    if version.legal_hold_reason is not None:
        hold = LegalHold(reason=version.legal_hold_reason, by=version.legal_hold_by, at=version.legal_hold_at)
    return VersionState(
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


def record_states(
    uow: UnitOfWork,
    workflow: Workflow,
    states: Mapping[int, VersionState],
    *,
    message: str,
    when: datetime,
) -> None:
    """Write the new states of some versions of ``workflow`` (its lock held, its rows
    staged) and move ``refs/wfv/state`` and the watermark to the new commit.

    ``message`` is wfv's own words (never user text): the hold's reason stays in the blob.
    ``states`` must already hold the backfill of a workflow's first state commit
    (:func:`with_backfill`).
    """
    repo = uow.repo(workflow.tenant_id, workflow.id)
    made = write_state_commit(repo, parent=workflow.state_head, changes=states, message=message, when=when)
    if made is None:
        return  # git already says this
    commit, tree = made
    written = Written(commit, tree, [RefUpdate(STATE_REF, workflow.state_head, commit)])
    move_refs(uow, workflow, repo, written, reflog=message.splitlines()[0])
    workflow.state_head = commit
