"""Compare two versions of a workflow: the document diff, plus the live impact on the
contacts in flight on the ``from`` version, in the impact preview's buckets (each
breaking change's, and ``impact`` for all of them: ``service/compare/impact.py``).

A warm compare reads one light row per version (no documents) and takes the diff and the
live counts from the cache (service/compare/cache.py says when each is safe to keep); a
cold one also reads the two documents, diffs them and counts the contacts. The answer
says when its counts were read (``live_counts_as_of``).
"""

import uuid

from indexer import impact as impact_rows
from indexer.compare_reads import VersionHead, version_documents, version_heads
from indexer.models import WorkflowVersion
from schemas.api import VersionBrief, VersionComparison
from schemas.compare import DocumentDiff, compare_documents
from schemas.history import WATERMARK_REF
from service.auth import Principal
from service.clock import utcnow
from service.compare.cache import LiveCounts, diff_key, live_key
from service.compare.impact import breaking_impact, impact_counts
from service.errors import VersionNotFound
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_versions
from service.versions.workflows import load_workflow


def _heads(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, refs: tuple[VersionRef, VersionRef]
) -> list[VersionHead]:
    """The two versions' heads from one light query; anything unusual (no such workflow,
    git ahead of the index) goes the ordinary way, which answers 404 or heals first."""
    found = version_heads(uow.session, principal.tenant_id, workflow_id, refs)
    if found is None or uow.read_ref(workflow_id, WATERMARK_REF) != found.git_head:
        workflow = load_workflow(uow, principal, workflow_id)
        return [
            VersionHead(v.id, v.version_number, v.status, v.commit_sha, v.tree_sha)
            for v in find_versions(uow, workflow, *refs)
        ]
    heads = []
    for ref in refs:
        match = next(
            (h for h in found.versions if (h.id if isinstance(ref, uuid.UUID) else h.version_number) == ref),
            None,
        )
        if match is None:
            raise VersionNotFound(f"workflow {workflow_id} has no version {ref}")
        heads.append(match)
    return heads


def document_diff(uow: UnitOfWork, old: WorkflowVersion, new: WorkflowVersion) -> DocumentDiff:
    """The diff of two loaded versions (a migration plan's warnings), through the cache."""
    key = diff_key(old.tenant_id, old.workflow_id, old.tree_sha, new.tree_sha)
    diff, _ = uow.services.compare_cache.lookup(key, None)
    if diff is None:
        diff = compare_documents(old.definition, new.definition)
        uow.services.compare_cache.keep_diff(key, diff)
    return diff


def _diff(
    uow: UnitOfWork, tenant_id: str, workflow_id: uuid.UUID, old: VersionHead, new: VersionHead
) -> DocumentDiff:
    documents = version_documents(uow.session, tenant_id, workflow_id, [old.id, new.id])
    return compare_documents(documents[old.id], documents[new.id])


def compare_versions(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, from_ref: VersionRef, to_ref: VersionRef
) -> VersionComparison:
    cache, tenant = uow.services.compare_cache, principal.tenant_id
    # Before any SQL: counts this compare reads can only be kept under a generation that
    # every write committed after this point has already left behind.
    generation = cache.generation(tenant, workflow_id)
    old, new = _heads(uow, principal, workflow_id, (from_ref, to_ref))
    wanted_live = live_key(tenant, workflow_id, old.id, generation) if generation is not None else None
    key = diff_key(tenant, workflow_id, old.tree_sha, new.tree_sha)
    diff, live = cache.lookup(key, wanted_live)
    if diff is None:
        diff = _diff(uow, tenant, workflow_id, old, new)
        cache.keep_diff(key, diff)
    if live is None:
        positions = impact_rows.version_counts(uow.session, tenant, workflow_id, old.id)
        live = LiveCounts(positions, utcnow())
        if wanted_live is not None:
            cache.keep_live(wanted_live, live)
    impacts = [breaking_impact(change, diff.default_buckets, live.positions) for change in diff.breaking]
    # A redirected branch only breaks something while contacts sit on what it cut off
    # (pinned ones included: they are there, though a migration would leave them).
    impacts = [i for i in impacts if i.kind != "branch_removed" or i.live_contacts + i.pinned > 0]
    return VersionComparison(
        from_version=VersionBrief.model_validate(old),
        to_version=VersionBrief.model_validate(new),
        summary=diff.summary,
        parts=diff.parts,
        breaking=impacts,
        impact=impact_counts(diff.default_buckets, live.positions),
        live_counts_as_of=live.as_of,
    )


def executions_changed(uow: UnitOfWork, tenant_id: str, workflow_id: uuid.UUID) -> None:
    """Call in every unit that writes executions: once it commits, the workflow's cached
    live counts are left behind (the next compare counts again, on every process)."""
    cache = uow.services.compare_cache
    uow.after_commit(
        "invalidate compare live counts", lambda: cache.executions_changed(tenant_id, workflow_id)
    )


def version_patch(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, from_ref: VersionRef, to_ref: VersionRef
) -> str:
    """git's own unified diff of the two versions' commits."""
    workflow = load_workflow(uow, principal, workflow_id)
    old, new = find_versions(uow, workflow, from_ref, to_ref)
    return uow.repo(workflow.id).patch(old.commit_sha, new.commit_sha)
