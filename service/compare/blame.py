"""Blame for a workflow step: the published versions in which one action was added,
changed or removed, answered from git's ``main`` line (who, when, message, fields).

Read through blame's cache of ``main`` (``service.compare.blame_cache``), so a blame costs the
commits that changed the action, not every published version. A commit on ``main`` that
is not a readable published version (put there by hand) is left out and named in
``skipped``: readers still get the history of every version wfv published, and see that
``main`` holds something it should not (``wfv check`` reports the moved ref).
"""

import uuid

from schemas.blame import ActionHistory
from service.auth import Principal
from service.compare.blame_cache import cached_history
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


def action_history(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, action_id: str
) -> ActionHistory:
    workflow = load_workflow(uow, principal, workflow_id)
    repo = uow.repo(workflow.id)
    return cached_history(uow, workflow, repo, action_id)
