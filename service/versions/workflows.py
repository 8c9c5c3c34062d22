"""Workflow use cases: create (repo + version 1 as a draft), list, load with healing,
delete (softly: a deleted workflow's history is a record nobody erases)."""

import uuid
from collections.abc import Sequence
from typing import Any

from indexer import queries
from indexer.executions import a_live_execution
from indexer.migration_batches import an_unfinished_migration
from indexer.models import AuditEntry, Workflow, WorkflowVersion
from indexer.rollouts import active_rollout
from schemas.canonical import canonical_json
from schemas.history import VersionEvent
from schemas.status import VersionStatus
from schemas.workflow import WorkflowDefinition
from service.auth import Permission, Principal
from service.clock import utcnow
from service.errors import Problem, RefsMoved, RolloutInProgress, WorkflowNotFound
from service.healing.reconcile import needs_healing, reconcile
from service.idempotency import new_workflow_id
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.summaries import write_summary
from service.versions.write_path import move_refs, write_draft_commit


class WorkflowBusy(Problem):
    status_code, title, slug = 409, "Workflow in use", "workflow-busy"


def load_workflow(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    *,
    lock: bool = False,
    deleted_ok: bool = False,
) -> Workflow:
    """The caller's workflow, indexed up to what git holds. Another tenant's is a 404, and
    so is a deleted one unless ``deleted_ok`` (its audit trail stays readable).

    ``lock`` serialises writers of this workflow. A reader that finds git ahead heals the
    index in a short writing unit of its own, then reads again. Refs moved by hand make
    healing refuse (``RefsMoved``): a writer gets the 409, a reader the index as it was.
    """
    workflow = queries.get_workflow(
        uow.session, principal.tenant_id, workflow_id, lock=lock, deleted_ok=deleted_ok
    )
    if workflow is None:
        raise WorkflowNotFound(f"no workflow {workflow_id}")
    if workflow.deleted_at is not None or not needs_healing(uow, workflow):
        return workflow
    if lock:
        reconcile(uow, workflow)
        return workflow
    try:
        with uow.services.uow(principal.tenant_id, write=True) as healer:
            load_workflow(healer, principal, workflow_id, lock=True)
            healer.commit()
    except RefsMoved:
        pass  # logged; a reader gets what the index knows, writers are refused until fixed
    uow.session.rollback()  # end the old snapshot so the healed rows are visible
    workflow = queries.get_workflow(uow.session, principal.tenant_id, workflow_id, deleted_ok=deleted_ok)
    assert workflow is not None
    return workflow


@tracing.use_case("workflow.create")
def create_workflow(
    *, uow: UnitOfWork, principal: Principal, name: str, definition: WorkflowDefinition
) -> tuple[Workflow, WorkflowVersion]:
    """A workflow, its bare repository, and version 1 as a draft."""
    now = utcnow()
    workflow = Workflow(
        id=new_workflow_id(),
        tenant_id=principal.tenant_id,
        name=name,
        last_version_number=1,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    repo = uow.create_repo(
        workflow.id,
        {
            "workflowId": str(workflow.id),
            "tenant": principal.tenant_id,
            "name": name,
            "createdBy": principal.user_id,
            "createdAt": now.isoformat(),
        },
    )
    version = WorkflowVersion(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        workflow_id=workflow.id,
        version_number=1,
        status=VersionStatus.DRAFT.value,
        is_current=False,
        lock_version=1,
        created_by=principal.user_id,
        created_at=now,
        definition=definition.document(),
    )
    write_summary(version, None)
    written = write_draft_commit(
        repo,
        version=version,
        event=VersionEvent.CREATE,
        lock=1,
        document=canonical_json(version.definition),
        parent=None,
        message=f"Create draft v1 of {name}",
        actor=principal.identity,
        when=now,
    )
    version.commit_sha, version.tree_sha = written.commit, written.tree
    uow.session.add(workflow)
    uow.session.flush()
    uow.session.add(version)
    queries.add_audit(
        uow.session,
        workflow=workflow,
        version_id=version.id,
        action="create_workflow",
        actor_id=principal.user_id,
        at=now,
        details={"name": name, "version_number": 1},
    )
    move_refs(uow, workflow, repo, written.refs, head=written.commit, reflog="create workflow")
    return workflow, version


@tracing.use_case("workflow.update")
def update_workflow(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    name: str | None,
    required_approvals: int | None,
) -> Workflow:
    """Rename a workflow or change its approval rule (an admin's decision, audited)."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    before = {"name": workflow.name, "required_approvals": workflow.required_approvals}
    if name is not None:
        workflow.name = name
    if required_approvals is not None:
        workflow.required_approvals = required_approvals
    after = {"name": workflow.name, "required_approvals": workflow.required_approvals}
    if after == before:
        return workflow
    workflow.updated_at = utcnow()
    _audit(uow, workflow, principal, "update_workflow", {"before": before, "after": after})
    if name is not None:
        repo = uow.repo(workflow.id)
        uow.after_commit("rename the repository's workflow", lambda: repo.set_meta({"name": workflow.name}))
    return workflow


@tracing.use_case("workflow.delete")
def delete_workflow(*, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID) -> Workflow:
    """Delete softly: the workflow leaves every list and route, and its audit entries,
    versions, reviews and migration items stay (the database refuses to cascade into them).
    Refused while contacts are in flight, a migration is unfinished or a guarded rollout is
    not over: those would go on moving on a workflow nobody can see. Git keeps the
    repository and records the deletion, so a reindex into an empty database keeps it
    deleted."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    _refuse_while_busy(uow, workflow)
    workflow.deleted_at = workflow.updated_at = now = utcnow()
    workflow.deleted_by = principal.user_id
    _audit(uow, workflow, principal, "delete_workflow", {"name": workflow.name})
    repo = uow.repo(workflow.id)
    marks = {"deletedAt": now.isoformat(), "deletedBy": principal.user_id}
    uow.after_commit("mark the repository deleted", lambda: repo.set_meta(marks))
    return workflow


def _audit(
    uow: UnitOfWork, workflow: Workflow, principal: Principal, action: str, details: dict[str, Any]
) -> None:
    """A change of the workflow itself (no version), at the time it was stamped with."""
    queries.add_audit(
        uow.session,
        workflow=workflow,
        version_id=None,
        action=action,
        actor_id=principal.user_id,
        at=workflow.updated_at,
        details=details,
    )


def _refuse_while_busy(uow: UnitOfWork, workflow: Workflow) -> None:
    live = a_live_execution(uow.session, workflow.tenant_id, workflow.id)
    if live is not None:
        raise WorkflowBusy("contacts are still in flight on this workflow: exit or finish them first")
    running = an_unfinished_migration(uow.session, workflow.tenant_id, workflow.id)
    if running is not None:
        raise WorkflowBusy(f"migration {running} is unfinished: cancel it or let it finish first")
    rollout = active_rollout(uow.session, workflow.tenant_id, workflow.id)
    if rollout is not None:
        raise RolloutInProgress(
            f"rollout {rollout.id} is {rollout.state}: abort it first",
            rollout_id=str(rollout.id),
            rollout_state=rollout.state,
        )


def list_workflows(
    *, uow: UnitOfWork, principal: Principal, limit: int, cursor: str | None
) -> tuple[Sequence[Workflow], str | None]:
    return queries.list_workflows(uow.session, principal.tenant_id, limit=limit, cursor=cursor)


def audit_page(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    version_id: uuid.UUID | None,
    action: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[AuditEntry], str | None]:
    """One page of the workflow's audit trail, newest first. A deleted workflow's trail is
    an admin's to read: the record outlives the workflow."""
    admin = Permission.ADMIN in principal.permissions
    workflow = load_workflow(uow, principal, workflow_id, deleted_ok=admin)
    rows, next_cursor = queries.list_audit(
        uow.session,
        workflow.tenant_id,
        workflow.id,
        version_id=version_id,
        action=action,
        limit=limit,
        cursor=cursor,
    )
    return list(rows), next_cursor
