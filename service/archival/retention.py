"""An admin's retention decisions on one version: unarchive it, put it under legal hold,
lift the hold. Each takes the workflow's lock (so it never interleaves with an archival
batch of that workflow), leaves an audit entry in the same transaction and records the
version's new state in git (``service.archival.state_in_git``)."""

import uuid
from datetime import datetime

from indexer.models import Workflow, WorkflowVersion
from schemas.status import Transition, VersionStatus, apply_transition
from schemas.timestamps import rfc3339
from service.archival.state_in_git import StateChange, record_states, state_of, with_backfill
from service.auth import Principal
from service.errors import Problem
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, audit, find_version
from service.versions.workflows import load_workflow
from service.webhooks.events import Event, emit


class NoLegalHold(Problem):
    status_code, title, slug = 409, "No legal hold", "no-legal-hold"


def unarchive_version(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
) -> WorkflowVersion:
    """Archived -> active again, so it can be rolled back to; the idle clock restarts, or
    the next scheduled run would archive it straight back."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    version.status = apply_transition(Transition.UNARCHIVE, VersionStatus(version.status)).value
    now = uow.services.clock()
    archived_at = version.archived_at
    version.archived_at, version.unarchived_at = None, now
    audit(
        uow,
        workflow,
        version,
        "unarchive",
        principal,
        now,
        archived_at=rfc3339(archived_at) if archived_at else None,
    )
    _record(uow, workflow, version, f"Unarchive v{version.version_number}", now)
    data = {
        "version_id": str(version.id),
        "version_number": version.version_number,
        "commit_id": version.commit_sha,
        "actor_id": principal.user_id,
    }
    emit(uow, workflow.tenant_id, Event("version.unarchived", workflow.id, data, now))
    return version


def set_legal_hold(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, reason: str
) -> WorkflowVersion:
    """Hold a version (never archived while held); setting it again replaces the reason."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    previous = version.legal_hold_reason
    now = uow.services.clock()
    version.legal_hold_reason, version.legal_hold_by, version.legal_hold_at = reason, principal.user_id, now
    audit(uow, workflow, version, "legal_hold", principal, now, reason=reason, previous_reason=previous)
    _record(uow, workflow, version, f"Legal hold on v{version.version_number}", now)
    return version


def clear_legal_hold(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef, reason: str | None
) -> WorkflowVersion:
    """Lift a hold; the audit entry keeps the held reason and why it was lifted."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    version = find_version(uow, workflow, ref)
    if version.legal_hold_reason is None:
        raise NoLegalHold(f"v{version.version_number} is not under legal hold")
    held, held_by = version.legal_hold_reason, version.legal_hold_by
    version.legal_hold_reason = version.legal_hold_by = version.legal_hold_at = None
    now = uow.services.clock()
    audit(
        uow,
        workflow,
        version,
        "legal_hold_cleared",
        principal,
        now,
        held_reason=held,
        held_by=held_by,
        reason=reason,
    )
    _record(uow, workflow, version, f"Legal hold lifted from v{version.version_number}", now)
    return version


def _record(
    uow: UnitOfWork, workflow: Workflow, version: WorkflowVersion, message: str, now: datetime
) -> None:
    """Git keeps the version's new state too (a reindex restores it); the admin's reason
    is a value in the state blob, never in this wfv-worded message."""
    states = with_backfill(uow, [workflow], {workflow.id: {version.version_number: state_of(version)}})
    record_states(uow, [StateChange(workflow, states[workflow.id], message)], when=now)
