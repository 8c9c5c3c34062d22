"""Reconcile one workflow: when git is ahead of the index (a crash between the ref move
and the SQL commit), index what git has. Runs under the workflow's write lock; called by
the next read of the workflow and by the scans (``service.healing.scan``).

Only refs wfv could have written are indexed: a ref moved by hand (a foreign commit on a
draft branch, ``main`` moved back, a version renumbered, the retention state put back), or
a repository older than the index (restored from a copy taken before the database dump), is
refused with ``RefsMoved`` rather than turned into rows.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from indexer.healing import version_ids_by_number
from indexer.models import Workflow
from indexer.queries import add_audit
from indexer.rebuild import GitState, apply_records
from repo_store import WorkflowRepo
from repo_store.history import HistoryUnreadable, read_versions
from repo_store.refcheck import RefIssue, read_refs
from schemas.history import WATERMARK_REF, VersionRecord
from schemas.state import VersionState
from service.clock import utcnow
from service.healing.ref_guard import RECONCILER, check_not_behind, check_records, check_state_line, refuse
from service.uow import UnitOfWork

log = logging.getLogger("wfv.refs")

# Versions whose record a ``reconcile`` entry carries: a crash loses one write's, a database
# restored from an older dump may heal thousands, and an entry stays one readable row.
MAX_RECORDS = 100


def needs_healing(uow: UnitOfWork, workflow: Workflow) -> bool:
    """One ref read and one ``stat``: does git's watermark differ from the one the index
    recorded, or did a writer die inside a ref update (which may have moved it, or only
    some of the refs: ``repo_store.journal``)?"""
    return uow.read_ref(workflow.id, WATERMARK_REF) != workflow.git_head or uow.interrupted(workflow.id)


def finish_cut_update(repo: WorkflowRepo, workflow: Workflow) -> None:
    """A ref update a killed writer left half done is finished first (the state a crash
    just after it leaves), so what follows reads refs as some write of ours left them."""
    if not repo.interrupted_update():
        return
    moved = repo.finish_interrupted_update()
    log.warning(
        "finished a ref update cut short by a crash: tenant=%s workflow=%s refs=%s",
        workflow.tenant_id,
        workflow.id,
        ",".join(moved) if moved is not None else "none (a ref was moved meanwhile)",
    )


def reconcile(uow: UnitOfWork, workflow: Workflow) -> list[int]:
    """Rebuild the workflow's rows from git; audit what changed. Caller holds the lock."""
    repo = uow.repo(workflow.id)
    finish_cut_update(repo, workflow)
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
            details={"versions": changed, "git_head": snapshot.watermark}
            | as_git_tells(records, changed, state),
        )
    return changed


def as_git_tells(records: Sequence[VersionRecord], changed: Sequence[int], state: GitState) -> dict[str, Any]:
    """Who created, published, deleted and held each healed version, and when, as git
    records it (wfv's own trailers, records and ``refs/wfv/state``, never a pushed
    commit's text). The entries of the writes healing stands in for were lost with their
    transaction; without this the trail would name ``system:reconcile`` where it named
    the user who published. The newest ``MAX_RECORDS`` versions; ``records_truncated``
    says when there were more."""
    numbers = set(changed)
    healed = sorted((r for r in records if r.number in numbers), key=lambda r: r.number)
    return {
        "records": [_record(r, state.versions.get(r.number)) for r in healed[-MAX_RECORDS:]],
        "records_truncated": len(healed) > MAX_RECORDS,
    }


def _record(record: VersionRecord, retention: VersionState | None) -> dict[str, Any]:
    def at(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    hold = retention.legal_hold if retention is not None else None
    return {
        "version_number": record.number,
        "lock_version": record.lock_version,
        "commit": record.commit_sha,
        "created_by": record.created_by,
        "created_at": at(record.created_at),
        "published_by": record.published_by,
        "published_at": at(record.published_at),
        "deleted_at": at(record.deleted_at),
        "rollback_of_version_id": record.rollback_of_version_id,
        "archived_at": at(retention.archived_at if retention is not None else None),
        "unarchived_at": at(retention.unarchived_at if retention is not None else None),
        "legal_hold_by": hold.by if hold is not None else None,
        "legal_hold_at": at(hold.at if hold is not None else None),
    }
