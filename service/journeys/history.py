"""Reading the journey back: an execution's events, oldest first, and where a contact
was at an instant (``as-of``), for the tenant's own workflows only."""

import uuid
from datetime import datetime

from indexer import journey_reads as rows
from schemas.journeys import TERMINAL, AsOf, JourneyEvent, JourneyPage
from service.auth import Principal
from service.errors import Problem
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


class ExecutionNotFound(Problem):
    status_code, title, slug = 404, "Execution not found", "execution-not-found"


class NotEnrolledThen(Problem):
    """The contact has no event at or before the instant: not enrolled yet then, never
    enrolled, or its history from then is past the retention."""

    status_code, title, slug = 404, "Not enrolled then", "not-enrolled-then"


def _event(found: rows.EventRow) -> JourneyEvent:
    event, number, commit_sha, from_number = found
    return JourneyEvent(
        seq=event.seq,
        at=event.at,
        execution_id=event.execution_id,
        version_id=event.version_id,
        version_number=number,
        commit_sha=commit_sha,
        action_id=event.action_id,
        status=event.status,
        revision=event.revision,
        cause=event.cause,
        cause_id=event.cause_id,
        from_version_id=event.from_version_id,
        from_version_number=from_number,
        from_action_id=event.from_action_id,
        from_status=event.from_status,
    )


def journey(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    execution_id: uuid.UUID,
    limit: int,
    cursor: str | None,
) -> JourneyPage:
    """One page of an execution's journey, oldest first (events past the retention are gone)."""
    workflow = load_workflow(uow, principal, workflow_id)
    if not rows.execution_exists(uow.session, workflow.tenant_id, workflow.id, execution_id):
        raise ExecutionNotFound(f"no execution {execution_id} in workflow {workflow_id}")
    page, next_cursor = rows.journey_page(
        uow.session, workflow.tenant_id, workflow.id, execution_id, limit=limit, cursor=cursor
    )
    return JourneyPage(items=[_event(found) for found in page], next_cursor=next_cursor)


def as_of(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, contact_id: str, at: datetime
) -> AsOf:
    """Where the contact was at ``at``: its newest event at or before then, of any of its
    executions. An instant in the future answers where it is now."""
    workflow = load_workflow(uow, principal, workflow_id)
    found = rows.as_of(uow.session, workflow.tenant_id, workflow.id, contact_id, at)
    if found is None:
        keep_days = uow.services.settings.journey_retention_days
        kept_from = rows.cutoff(keep_days, uow.services.clock())  # the retention task's clock
        raise NotEnrolledThen(
            f"contact {contact_id!r} has no journey event in workflow {workflow_id} at or before "
            f"{at.isoformat()}: not enrolled then (the journey is kept for {keep_days} day(s), "
            f"from about {kept_from.date().isoformat()})",
            contact_id=contact_id,
        )
    event = _event(found)
    left = event.status in TERMINAL
    return AsOf(
        contact_id=contact_id,
        at=at,
        execution_id=event.execution_id,
        version_id=event.version_id,
        version_number=event.version_number,
        commit_sha=event.commit_sha,
        action_id=event.action_id,
        status=event.status,
        left=left,
        left_at=event.at if left else None,
        since=event.at,
        event=event,
    )
