"""Pins: an operator holds contacts on the version they are on. Migrations (and so a
rollout's migrate-back) and reverts skip a pinned contact and report it as pinned; the
engine's own position reports still move it (a pin holds the version, not the step).
A pin or unpin changes the compare view's counts (pinned contacts are counted apart), so
it leaves the cached ones behind (``executions_changed``) like any write of executions.

One audit entry per call, with the count only: contact ids are people's identifiers and
stay out of the audit log (and out of git)."""

import uuid
from collections.abc import Sequence

from indexer import pins as pin_rows
from indexer.models import Pin, Workflow
from indexer.queries import add_audit
from schemas.pins import PinResult
from service.auth import Principal
from service.clock import utcnow
from service.compare.comparison import executions_changed
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


def _audit(uow: UnitOfWork, workflow: Workflow, action: str, principal: Principal, **details: int) -> None:
    add_audit(
        uow.session,
        workflow=workflow,
        version_id=None,
        action=action,
        actor_id=principal.user_id,
        at=utcnow(),
        details=dict(details),
    )


@tracing.use_case("pins.pin")
def pin(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, contact_ids: Sequence[str]
) -> PinResult:
    """Pin each contact to the version of its live execution (none: pinned all the same,
    so it is held wherever it enrols next... until unpinned); idempotent."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    wanted = list(dict.fromkeys(contact_ids))
    added = pin_rows.pin(
        uow.session, workflow.tenant_id, workflow.id, wanted, by=principal.user_id, at=utcnow()
    )
    _audit(uow, workflow, "pins_add", principal, pinned=added, unchanged=len(wanted) - added)
    if added:
        executions_changed(uow, workflow.tenant_id, workflow.id)  # the compare's pinned counts
    return PinResult(pinned=added, unchanged=len(wanted) - added)


@tracing.use_case("pins.unpin")
def unpin(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, contact_ids: Sequence[str]
) -> PinResult:
    """Remove the contacts' pins; a contact not pinned is unchanged, not an error."""
    workflow = load_workflow(uow, principal, workflow_id, lock=True)
    wanted = list(dict.fromkeys(contact_ids))
    removed = pin_rows.unpin(uow.session, workflow.tenant_id, workflow.id, wanted)
    _audit(uow, workflow, "pins_remove", principal, unpinned=removed, unchanged=len(wanted) - removed)
    if removed:
        executions_changed(uow, workflow.tenant_id, workflow.id)
    return PinResult(unpinned=removed, unchanged=len(wanted) - removed)


def page(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, limit: int, cursor: str | None
) -> tuple[list[Pin], str | None]:
    """The workflow's pins in contact order, one page."""
    workflow = load_workflow(uow, principal, workflow_id)
    rows, next_cursor = pin_rows.list_pins(
        uow.session, workflow.tenant_id, workflow.id, limit=limit, cursor=cursor
    )
    return list(rows), next_cursor
