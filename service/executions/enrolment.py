"""Contacts in flight: enrolment on the current version (or a rollout's side), the lists
and counts of executions. The engine's position reports are in ``reports.py``."""

import uuid
from collections.abc import Sequence

from indexer import executions as rows
from indexer import rollouts as rollout_rows
from indexer.models import Execution, WorkflowVersion
from schemas.executions import ContactAssignment, EnrollResult, VersionEnrolled
from service.auth import Principal
from service.clock import utcnow
from service.compare.comparison import executions_changed
from service.errors import VersionConflict
from service.executions import journal
from service.rollouts import assignment
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_version
from service.versions.workflows import load_workflow


def enroll(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    contact_ids: Sequence[str],
    assignments: bool = False,
) -> EnrollResult:
    """New executions at the trigger's first action of the current version, or, while a
    guarded rollout is not over, of the version its stable hash gives each contact
    (``service.rollouts.assignment``: one query for the rollout per call, then arithmetic).
    A contact already in flight is not enrolled twice; with ``allow_reentry`` false (the
    current version's setting), not again."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    if workflow.current_version_id is None:
        raise VersionConflict("the workflow has no published version to enroll contacts on")
    version = uow.session.get(WorkflowVersion, workflow.current_version_id)
    assert version is not None
    start = version.definition["trigger"]["next"]
    wanted = list(dict.fromkeys(contact_ids))
    reentry = bool(version.definition.get("settings", {}).get("allow_reentry", False))
    present = rows.contacts_with_executions(
        uow.session, workflow.tenant_id, workflow.id, wanted, live_only=reentry
    )
    now = utcnow()
    new_contacts = [contact for contact in wanted if contact not in present]
    target, is_target = _rollout_side(uow, workflow.tenant_id, workflow.id, new_contacts)
    target_start = target.definition["trigger"]["next"] if target is not None else start
    new = [
        {
            "id": uuid.uuid4(),
            "tenant_id": workflow.tenant_id,
            "workflow_id": workflow.id,
            "version_id": target.id if target is not None and chosen else version.id,
            "contact_id": contact,
            "current_action_id": target_start if target is not None and chosen else start,
            "status": "active",
            "enrolled_at": now,
            "updated_at": now,
        }
        for contact, chosen in zip(new_contacts, is_target, strict=True)
    ]
    rows.insert_executions(uow.session, new, journal=journal.kept(uow))
    if new:
        executions_changed(uow, workflow.tenant_id, workflow.id)
    on_target = sum(is_target)
    by_version = [
        VersionEnrolled(
            version_id=version.id, version_number=version.version_number, enrolled=len(new) - on_target
        )
    ]
    if target is not None:
        by_version.append(
            VersionEnrolled(version_id=target.id, version_number=target.version_number, enrolled=on_target)
        )
    numbers = {v.version_id: v.version_number for v in by_version}
    return EnrollResult(
        enrolled=len(new),
        already_enrolled=len(contact_ids) - len(new),
        version_id=version.id,
        version_number=version.version_number,
        action_id=start,
        by_version=by_version,
        assignments=[
            ContactAssignment(
                contact_id=row["contact_id"],
                version_id=row["version_id"],
                version_number=numbers[row["version_id"]],
            )
            for row in new
        ]
        if assignments
        else None,
    )


def _rollout_side(
    uow: UnitOfWork, tenant_id: str, workflow_id: uuid.UUID, contacts: list[str]
) -> tuple[WorkflowVersion | None, list[bool]]:
    """The rollout's target (None: no rollout not over) and, per contact, whether it goes there."""
    rollout = rollout_rows.active_rollout(uow.session, tenant_id, workflow_id)
    if rollout is None:
        return None, [False] * len(contacts)
    target = uow.session.get(WorkflowVersion, rollout.target_version_id)
    assert target is not None
    percent, cohort = assignment.share(rollout), frozenset(rollout.cohort)
    return target, [assignment.to_target(workflow_id, contact, percent, cohort) for contact in contacts]


def list_page(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    version: VersionRef | None,
    status: str | None,
    action: str | None,
    migration_id: uuid.UUID | None,
    contact_id: str | None = None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Execution], str | None]:
    """One page of a workflow's executions, filtered by version (id or number, deleted
    versions too: contacts may still be on them), status, action, moving migration or
    contact."""
    workflow = load_workflow(uow, principal, workflow_id)
    version_id = find_version(uow, workflow, version, deleted_ok=True).id if version is not None else None
    page, next_cursor = rows.list_executions(
        uow.session,
        workflow.tenant_id,
        workflow.id,
        version_id=version_id,
        status=status,
        action=action,
        migration_id=migration_id,
        contact_id=contact_id,
        limit=limit,
        cursor=cursor,
    )
    return list(page), next_cursor


def summary(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID
) -> list[tuple[uuid.UUID, int, str | None, str, int]]:
    """How many executions sit where: (version id, number, action, status, count)."""
    workflow = load_workflow(uow, principal, workflow_id)
    return list(rows.summary(uow.session, workflow.tenant_id, workflow.id))


def live_count(*, uow: UnitOfWork, version: WorkflowVersion) -> int:
    """Active and waiting executions of one version its caller has just read (a read that
    checked its tenant and the reader's permission): every answer showing a version carries
    the count the versions list shows, not only the list."""
    return rows.live_count(uow.session, version.tenant_id, version.workflow_id, version.id)
