"""Healing: when git is ahead of the index (a crash between the ref move and the SQL
commit), index what git has. Runs under the workflow's write lock."""

from indexer.models import Workflow
from indexer.queries import add_audit
from indexer.rebuild import apply_records
from repo_store.history import head_mark, read_versions
from schemas.history import HEAD_MARK_REF
from service.clock import utcnow
from service.uow import UnitOfWork

RECONCILER = "system:reconcile"


def git_is_ahead(uow: UnitOfWork, workflow: Workflow) -> bool:
    """One ref read: does git's watermark differ from the one the index recorded?"""
    return uow.read_ref(workflow.tenant_id, workflow.id, HEAD_MARK_REF) != workflow.git_head


def heal(uow: UnitOfWork, workflow: Workflow) -> list[int]:
    """Rebuild the workflow's rows from git; audit what changed. Caller holds the lock."""
    repo = uow.repo(workflow.tenant_id, workflow.id)
    mark = head_mark(repo)
    changed = apply_records(uow.session, workflow, read_versions(repo), mark)
    if changed:
        add_audit(
            uow.session,
            workflow=workflow,
            version_id=None,
            action="reconcile",
            actor_id=RECONCILER,
            at=utcnow(),
            details={"versions": changed, "git_head": mark},
        )
    return changed
