"""Compare two versions of a workflow: the cached document diff, plus the live impact of
each breaking change on contacts in flight on the ``from`` version (always fresh)."""

import uuid

from indexer import queries
from indexer.models import WorkflowVersion
from schemas.api import BreakingImpact, VersionBrief, VersionComparison
from schemas.compare import BreakingChange, DocumentDiff, compare_documents
from service.auth import Principal
from service.uow import UnitOfWork
from service.versions import VersionRef, find_versions
from service.workflows import load_workflow


def _impact(change: BreakingChange, live: dict[str, int]) -> BreakingImpact:
    if change.kind == "trigger_type_changed":
        count = sum(live.values())
        warning = f"{change.message}; {count} contact(s) already enrolled continue on this version"
    else:
        count = sum(live.get(action, 0) for action in change.affected_actions)
        warning = f"{change.message} ({count} contact(s) there right now)"
    return BreakingImpact(**change.model_dump(), live_contacts=count, warning=warning)


def document_diff(uow: UnitOfWork, old: WorkflowVersion, new: WorkflowVersion) -> DocumentDiff:
    """The diff of two versions' content, from the cache when these trees met before."""
    cache = uow.services.compare_cache
    diff = cache.get(old.tree_sha, new.tree_sha)
    if diff is None:
        diff = compare_documents(old.definition, new.definition)
        cache.put(old.tree_sha, new.tree_sha, diff)
    return diff


def compare_versions(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, from_ref: VersionRef, to_ref: VersionRef
) -> VersionComparison:
    workflow = load_workflow(uow, principal, workflow_id)
    old, new = find_versions(uow, workflow, from_ref, to_ref)
    diff = document_diff(uow, old, new)
    live = (
        queries.live_positions(uow.session, workflow.tenant_id, workflow.id, old.id) if diff.breaking else {}
    )
    impacts = [_impact(change, live) for change in diff.breaking]
    # A redirected branch only breaks something while contacts sit on what it cut off.
    impacts = [i for i in impacts if i.kind != "branch_removed" or i.live_contacts > 0]
    return VersionComparison(
        from_version=VersionBrief.model_validate(old),
        to_version=VersionBrief.model_validate(new),
        summary=diff.summary,
        parts=diff.parts,
        breaking=impacts,
    )


def version_patch(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, from_ref: VersionRef, to_ref: VersionRef
) -> str:
    """git's own unified diff of the two versions' commits."""
    workflow = load_workflow(uow, principal, workflow_id)
    old, new = find_versions(uow, workflow, from_ref, to_ref)
    return uow.repo(workflow.id).patch(old.commit_sha, new.commit_sha)
