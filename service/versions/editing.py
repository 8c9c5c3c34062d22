"""Editing versions: create, edit, delete a draft, and read versions (publishing and
rollback: ``service.versions.publishing``).

Each writer takes the workflow's lock first (``load_workflow(lock=True)``), so version
numbers, the current flag and the git refs of one workflow change one writer at a time.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from indexer import queries
from indexer import rollouts as rollout_rows
from indexer.models import Workflow, WorkflowVersion
from repo_store import WorkflowRepo
from schemas.canonical import canonical_json
from schemas.history import Trailer, VersionEvent
from schemas.status import Transition, VersionStatus, apply_transition
from schemas.workflow import WorkflowDefinition
from service.auth import Principal
from service.clock import utcnow
from service.drafts.endings import end_drafts_of
from service.errors import (
    RolloutInProgress,
    StaleLock,
    VersionConflict,
    VersionLimitReached,
    VersionNotFound,
)
from service.healing.reconcile import needs_healing
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.summaries import write_summaries_after_edit, write_summary
from service.versions.workflows import load_workflow
from service.versions.write_path import move_refs, write_draft_commit

VersionRef = uuid.UUID | int


def find_version(
    uow: UnitOfWork, workflow: Workflow, ref: VersionRef, *, deleted_ok: bool = False
) -> WorkflowVersion:
    version = queries.get_version(uow.session, workflow.tenant_id, workflow.id, ref)
    if version is None or (version.deleted_at is not None and not deleted_ok):
        raise VersionNotFound(f"workflow {workflow.id} has no version {ref}")
    return version


def find_versions(uow: UnitOfWork, workflow: Workflow, *refs: VersionRef) -> list[WorkflowVersion]:
    """Several versions in one query, in the order asked (deleted ones included)."""
    rows = queries.get_versions(uow.session, workflow.tenant_id, workflow.id, refs)
    found = []
    for ref in refs:
        match = next(
            (r for r in rows if (r.id if isinstance(ref, uuid.UUID) else r.version_number) == ref), None
        )
        if match is None:
            raise VersionNotFound(f"workflow {workflow.id} has no version {ref}")
        found.append(match)
    return found


def check_lock(version: WorkflowVersion, expected: int | None) -> None:
    """A write based on another ``lock_version`` than the row's is stale. Whether that is a
    409 (the body named it) or a 412 (If-Match did) is the route's to say."""
    if expected is not None and expected != version.lock_version:
        raise StaleLock(
            f"version {version.version_number} is at lock_version {version.lock_version}, "
            f"the write was based on {expected}",
            lock_version=version.lock_version,
        )


def refuse_rollout_target(uow: UnitOfWork, workflow: Workflow, version: WorkflowVersion, what: str) -> None:
    """409 for an edit or delete of the draft a guarded rollout is sending contacts to: they
    run on the document as it was when the rollout started."""
    active = rollout_rows.active_rollout(uow.session, workflow.tenant_id, workflow.id)
    if active is not None and active.target_version_id == version.id:
        raise RolloutInProgress(
            f"v{version.version_number} cannot be {what} while rollout {active.id} is {active.state}: "
            "abort the rollout first",
            rollout_id=str(active.id),
            rollout_state=active.state,
        )


def audit(
    uow: UnitOfWork,
    workflow: Workflow,
    version: WorkflowVersion,
    action: str,
    principal: Principal,
    at: datetime,
    **details: Any,
) -> None:
    queries.add_audit(
        uow.session,
        workflow=workflow,
        version_id=version.id,
        action=action,
        actor_id=principal.user_id,
        at=at,
        details={"version_number": version.version_number, **details},
    )


def _source(uow: UnitOfWork, workflow: Workflow, from_version: VersionRef | None) -> WorkflowVersion | None:
    """What a new version copies: the given one, else the current, else the newest."""
    if from_version is not None:
        return find_version(uow, workflow, from_version)
    return queries.copy_source(uow.session, workflow.tenant_id, workflow.id, workflow.current_version_id)


def rollback_trailers(target: WorkflowVersion) -> dict[str, str]:
    return {Trailer.ROLLBACK_OF: str(target.version_number), Trailer.ROLLBACK_OF_ID: str(target.id)}


def new_version(
    uow: UnitOfWork,
    workflow: Workflow,
    repo: WorkflowRepo,
    principal: Principal,
    *,
    document: dict[str, Any],
    source: WorkflowVersion | None,
    message: str,
    now: datetime,
    rollback_of: WorkflowVersion | None = None,
    pushed: str | None = None,
) -> WorkflowVersion:
    limit = uow.services.settings.max_versions_per_workflow
    if workflow.last_version_number >= limit:
        raise VersionLimitReached(f"a workflow keeps at most {limit} versions", limit=limit)
    workflow.last_version_number += 1
    version = WorkflowVersion(
        id=uuid.uuid4(),
        tenant_id=workflow.tenant_id,
        workflow_id=workflow.id,
        version_number=workflow.last_version_number,
        status=VersionStatus.DRAFT.value,
        is_current=False,
        lock_version=1,
        parent_version_id=source.id if source else None,
        rollback_of_version_id=rollback_of.id if rollback_of else None,
        created_by=principal.user_id,
        created_at=now,
        definition=document,
    )
    write_summary(version, source)
    extra: dict[str, str] = {Trailer.PARENT_ID: str(source.id)} if source else {}
    if rollback_of is not None:
        extra |= rollback_trailers(rollback_of)
    written = write_draft_commit(
        repo,
        version=version,
        event=VersionEvent.CREATE,
        lock=1,
        document=canonical_json(document),
        parent=source.commit_sha if source else None,
        message=message,
        actor=principal.identity,
        when=now,
        extra=extra,
        pushed=pushed,
    )
    version.commit_sha, version.tree_sha = written.commit, written.tree
    workflow.updated_at = now
    uow.session.add(version)
    move_refs(
        uow, workflow, repo, written.refs, head=written.commit, reflog=f"create v{version.version_number}"
    )
    return version


@tracing.use_case("version.create")
def create_version(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    from_version: VersionRef | None = None,
    definition: WorkflowDefinition | None = None,
    message: str | None = None,
    pushed: str | None = None,
) -> WorkflowVersion:
    """The next version as a draft: a copy of ``from_version``/current, or ``definition``.

    ``pushed``: a pushed commit that becomes the new draft's head as it is (``git push``).
    """
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    repo = uow.repo(workflow.id)
    source = _source(uow, workflow, from_version)
    if definition is not None:
        document = definition.document()
    elif source is not None:
        document = dict(source.definition)
    else:
        raise VersionConflict("the workflow has no version to copy; send a definition")
    now = utcnow()
    origin = f" from v{source.version_number}" if source else ""
    number = workflow.last_version_number + 1
    version = new_version(
        uow,
        workflow,
        repo,
        principal,
        document=document,
        source=source,
        now=now,
        message=message or f"Create draft v{number}{origin}",
        pushed=pushed,
    )
    audit(
        uow,
        workflow,
        version,
        "create",
        principal,
        now,
        source_version=source.version_number if source else None,
        commit=version.commit_sha,
    )
    return version


@tracing.use_case("version.update")
def update_version(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    definition: WorkflowDefinition,
    expected_lock: int | None,
    message: str | None = None,
    pushed: str | None = None,
) -> WorkflowVersion:
    """A saved edit of a draft: one commit on its branch, ``lock_version`` + 1.

    ``pushed``: a pushed commit that becomes the draft's head as it is (``git push``); a
    push that moves the branch is an edit even when the document reads the same, since
    what git shows changed.
    """
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    apply_transition(Transition.EDIT, VersionStatus(version.status))
    check_lock(version, expected_lock)
    refuse_rollout_target(uow, workflow, version, "edited")
    document = definition.document()
    data = canonical_json(document)  # once: compared, then written
    if pushed is None and data == canonical_json(version.definition):
        return version  # same bytes, same tree: nothing to record
    repo = uow.repo(workflow.id)
    now = utcnow()
    before = summary(version)
    lock = version.lock_version + 1
    written = write_draft_commit(
        repo,
        version=version,
        event=VersionEvent.EDIT,
        lock=lock,
        document=data,
        parent=version.commit_sha,
        message=message or f"Edit draft v{version.version_number}",
        actor=principal.identity,
        when=now,
        pushed=pushed,
    )
    version.commit_sha, version.tree_sha = written.commit, written.tree
    version.definition, version.lock_version = document, lock
    write_summaries_after_edit(uow, version)
    workflow.updated_at = now
    move_refs(
        uow, workflow, repo, written.refs, head=written.commit, reflog=f"edit v{version.version_number}"
    )
    audit(uow, workflow, version, "update", principal, now, before=before, after=summary(version))
    return version


def summary(version: WorkflowVersion) -> dict[str, Any]:
    """The before/after of an audit entry: enough to see what moved without the document."""
    return {
        "status": version.status,
        "lock_version": version.lock_version,
        "commit": version.commit_sha,
        "actions": len(version.definition.get("actions", [])),
    }


@tracing.use_case("version.delete")
def delete_version(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    ref: VersionRef,
    expected_lock: int | None,
) -> WorkflowVersion:
    """Soft-delete a draft: a last commit on its branch says so; the number stays used."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    apply_transition(Transition.DELETE, VersionStatus(version.status))
    check_lock(version, expected_lock)
    refuse_rollout_target(uow, workflow, version, "deleted")
    repo = uow.repo(workflow.id)
    now = utcnow()
    before = summary(version)
    lock = version.lock_version + 1
    written = write_draft_commit(
        repo,
        version=version,
        event=VersionEvent.DELETE,
        lock=lock,
        document=canonical_json(version.definition),
        parent=version.commit_sha,
        message=f"Delete draft v{version.version_number}",
        actor=principal.identity,
        when=now,
    )
    version.commit_sha, version.lock_version, version.deleted_at = written.commit, lock, now
    workflow.updated_at = now
    move_refs(
        uow, workflow, repo, written.refs, head=written.commit, reflog=f"delete v{version.version_number}"
    )
    queries.close_open_review(uow.session, version, "closed", now)
    end_drafts_of(uow, version)
    audit(uow, workflow, version, "delete", principal, now, before=before, after=summary(version))
    return version


def get_version(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> WorkflowVersion:
    found = queries.get_workflow_and_version(uow.session, principal.tenant_id, workflow_id, ref)
    if found is None or needs_healing(uow, found[0]):
        # No such workflow (the 404 as load_workflow words it), or an index to heal first.
        return find_version(uow, load_workflow(uow, principal, workflow_id), ref, deleted_ok=True)
    workflow, version = found
    if version is None:
        raise VersionNotFound(f"workflow {workflow.id} has no version {ref}")
    return version


def list_versions(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    status: VersionStatus | None,
    include_deleted: bool,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[WorkflowVersion], str | None]:
    workflow = load_workflow(uow, principal, workflow_id)
    return queries.list_versions(
        uow.session,
        workflow.tenant_id,
        workflow.id,
        status=status.value if status else None,
        include_deleted=include_deleted,
        limit=limit,
        cursor=cursor,
    )
