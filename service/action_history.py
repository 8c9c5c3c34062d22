"""Blame for a workflow step: the published versions in which one action was added,
changed or removed, answered from git's ``main`` line (who, when, message, fields)."""

import json
import uuid
from typing import Any

from repo_store.history import published_line
from schemas.blame import ActionHistory, ActionHistoryEntry
from schemas.compare import field_changes
from schemas.history import Trailer
from service.auth import Principal
from service.uow import UnitOfWork
from service.workflows import load_workflow


def _find(document: dict[str, Any], action_id: str) -> dict[str, Any] | None:
    for action in document.get("actions", []):
        if isinstance(action, dict) and action.get("id") == action_id:
            return action
    return None


def action_history(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, action_id: str
) -> ActionHistory:
    workflow = load_workflow(uow, principal, workflow_id)
    repo = uow.repo(workflow.tenant_id, workflow.id)
    entries: list[ActionHistoryEntry] = []
    previous: dict[str, Any] | None = None
    previous_tree: str | None = None
    for info, data in published_line(repo):
        if info.tree_sha == previous_tree:
            continue  # same content (e.g. a republish): nothing can have changed
        previous_tree = info.tree_sha
        current = _find(json.loads(data), action_id)
        if current == previous:
            continue
        change = "added" if previous is None else "removed" if current is None else "modified"
        entries.append(
            ActionHistoryEntry(
                version_number=int(info.trailers.get(Trailer.VERSION, "0")),
                version_id=uuid.UUID(info.trailers[Trailer.VERSION_ID]),
                commit_sha=info.sha,
                change=change,
                author_id=info.trailers.get(Trailer.AUTHOR_ID, info.author_name),
                published_at=info.committed_at,
                message=info.summary,
                rollback_of=int(info.trailers[Trailer.ROLLBACK_OF])
                if Trailer.ROLLBACK_OF in info.trailers
                else None,
                fields=field_changes(previous, current) if change == "modified" else [],
                action=current,
            )
        )
        previous = current
    return ActionHistory(action_id=action_id, entries=entries)
