"""Reconcile one workflow: when git is ahead of the index (a crash between the ref move
and the SQL commit), index what git has. Runs under the workflow's write lock; called by
the next read of the workflow and by the scans (``service.healing.scan``).

Only refs wfv could have written are indexed: a ref moved by hand (a foreign commit on a
draft branch, ``main`` moved back, a version renumbered, the retention state put back), or
a repository older than the index (restored from a copy taken before the database dump), is
refused with ``RefsMoved`` rather than turned into rows.
"""

from indexer.healing import version_ids_by_number
from indexer.models import Workflow
from indexer.queries import add_audit
from indexer.rebuild import GitState, apply_records
from repo_store.history import HistoryUnreadable, read_versions
from repo_store.refcheck import RefIssue, read_refs
from schemas.history import WATERMARK_REF
from service.clock import utcnow
from service.healing.ref_guard import RECONCILER, check_not_behind, check_records, check_state_line, refuse
from service.uow import UnitOfWork


def git_is_ahead(uow: UnitOfWork, workflow: Workflow) -> bool:
    """One ref read: does git's watermark differ from the one the index recorded?"""
    return uow.read_ref(workflow.id, WATERMARK_REF) != workflow.git_head


def reconcile(uow: UnitOfWork, workflow: Workflow) -> list[int]:
    """Rebuild the workflow's rows from git; audit what changed. Caller holds the lock."""
    repo = uow.repo(workflow.id)
    check_not_behind(repo, workflow)
    snapshot = read_refs(repo)
    if snapshot.issues:
        raise refuse(workflow.tenant_id, workflow.id, snapshot.issues)
    check_state_line(repo, workflow, snapshot.state)
    try:
        records = read_versions(repo)
    except HistoryUnreadable as exc:
        raise refuse(
            workflow.tenant_id, workflow.id, [RefIssue("refs/heads/drafts/*", None, str(exc))]
        ) from exc
    indexed = version_ids_by_number(uow.session, workflow.tenant_id, workflow.id)
    check_records(workflow, indexed, records)
    state = GitState(snapshot.state, snapshot.states)
    changed = apply_records(uow.session, workflow, records, snapshot.watermark, state)
    if changed:
        add_audit(
            uow.session,
            workflow=workflow,
            version_id=None,
            action="reconcile",
            actor_id=RECONCILER,
            at=utcnow(),
            details={"versions": changed, "git_head": snapshot.watermark},
        )
    return changed
