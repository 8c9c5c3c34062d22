"""Refs moved behind the service's back are refused before they are trusted.

Under a workflow's lock, after healing, every ref sits where the index says the last write
left it. A write therefore moves refs from the *index's* values (never from a fresh read of
the ref, which would silently adopt a hand-moved ``main`` as the parent of the next
publish), and healing reads only refs wfv could have written. Anything else is refused with
a 409 problem and an ERROR log naming tenant, workflow and ref; the reconcile task records
it in the workflow's audit trail (``service.healing.ref_sweep``).
"""

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from uuid import UUID

import pygit2

from indexer.models import Workflow
from indexer.queries import add_audit, newest_audit_details
from repo_store import RefUpdate, WorkflowRepo
from repo_store.refcheck import RefIssue
from schemas.history import WATERMARK_REF, VersionRecord
from schemas.state import STATE_REF
from service.clock import utcnow
from service.errors import RefsMoved

if TYPE_CHECKING:
    from service.uow import UnitOfWork

log = logging.getLogger("wfv.refs")
RECONCILER = "system:reconcile"
MOVED = "ref_moved"  # the audit action that records refs found moved by hand


def refuse(tenant_id: str, workflow_id: UUID, issues: Sequence[RefIssue]) -> RefsMoved:
    """Log each moved ref at ERROR and build the problem to raise."""
    for issue in issues:
        log.error(
            "ref moved outside wfv: tenant=%s workflow=%s ref=%s at=%s: %s",
            tenant_id,
            workflow_id,
            issue.ref,
            issue.target,
            issue.detail,
        )
    return RefsMoved(
        f"workflow {workflow_id}: {issues[0].detail}; an operator must put the ref back "
        "(see `wfv check`) before it can be changed",
        refs=[{"ref": i.ref, "target": i.target, "detail": i.detail} for i in issues],
    )


def expect_refs(repo: WorkflowRepo, workflow: Workflow, updates: Iterable[RefUpdate]) -> None:
    """Each ref is still where the index says (the CAS's ``old``), else it was moved by hand."""
    moved = []
    for update in updates:
        actual = repo.ref_target(update.name)
        if actual != update.old:
            moved.append(
                RefIssue(
                    update.name,
                    actual,
                    f"{update.name} is at {actual or 'nothing'}, wfv left it at {update.old or 'nothing'}",
                )
            )
    if moved:
        raise refuse(workflow.tenant_id, workflow.id, moved)


def check_records(
    workflow: Workflow, numbers_to_ids: dict[int, UUID], records: Sequence[VersionRecord]
) -> None:
    """Healing keeps every indexed version's identity: git must not renumber or drop one."""
    found = {record.number: UUID(record.id) for record in records}
    moved = [
        RefIssue(
            f"refs/heads/drafts/v{number}",
            None,
            f"drafts/v{number} names version {found.get(number)}, the index has {version_id}",
        )
        for number, version_id in sorted(numbers_to_ids.items())
        if found.get(number) != version_id
    ]
    if moved:
        raise refuse(workflow.tenant_id, workflow.id, moved)


def repo_behind_index(repo: WorkflowRepo, workflow: Workflow) -> bool:
    """Is the repository older than the index? The index's watermark is a commit some write
    made before the index recorded it (git first), and every such commit stays reachable
    from wfv's refs, so a repository without it was put back from a copy older than the
    database (a restore in the wrong order, a volume rolled back): the index is ahead."""
    return workflow.git_head is not None and workflow.git_head not in repo.repo


def check_not_behind(repo: WorkflowRepo, workflow: Workflow) -> None:
    """Healing only moves the index forward to git: from a repository older than the index
    it would rewrite versions back to what the old copy holds, or fail half-way."""
    if repo_behind_index(repo, workflow):
        detail = (
            f"the repository lacks the index's watermark {str(workflow.git_head)[:12]}: it is older "
            "than the index (repositories restored from a copy taken before the database dump?)"
        )
        raise refuse(workflow.tenant_id, workflow.id, [RefIssue(WATERMARK_REF, None, detail)])


def check_state_line(repo: WorkflowRepo, workflow: Workflow, found: str | None) -> None:
    """Healing only moves the retention state forward: ``refs/wfv/state`` must be where the
    index left it or after it. Put back to an older state commit (each one wfv's own, so
    its tree passes every check) or deleted, it would silently unarchive versions and drop
    legal holds."""
    known = workflow.state_head
    if known is None or found == known:
        return
    try:
        ahead = found is not None and repo.repo.descendant_of(found, known)
    except (KeyError, ValueError, pygit2.GitError):
        ahead = False
    if not ahead:
        detail = f"{STATE_REF} is at {found or 'nothing'}, not at or after {known[:12]} where wfv left it"
        raise refuse(workflow.tenant_id, workflow.id, [RefIssue(STATE_REF, found, detail)])


def record_moved(uow: "UnitOfWork", workflow: Workflow, problems: list[str]) -> bool:
    """An audit entry ``ref_moved`` (in ``uow``, which holds the workflow's lock), unless
    the newest one already says the same: the reconcile task finds it every few minutes,
    the trail should say it once. Returns whether an entry was added."""
    last = newest_audit_details(uow.session, workflow.tenant_id, workflow.id, MOVED)
    if last is not None and last.get("problems") == problems:
        return False
    add_audit(
        uow.session,
        workflow=workflow,
        version_id=None,
        action=MOVED,
        actor_id=RECONCILER,
        at=utcnow(),
        details={"problems": problems},
    )
    return True
