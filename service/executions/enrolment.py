"""Contacts in flight: enrolment on the current version and position reports from the
execution engine, validated against the actions of each execution's own version."""

import uuid
from collections.abc import Sequence
from typing import Any

from indexer import executions as rows
from indexer import journey
from indexer import rollouts as rollout_rows
from indexer.models import Execution, WorkflowVersion
from schemas.executions import LIVE, ContactAssignment, EnrollResult, PositionMove, VersionEnrolled
from service.auth import Principal
from service.clock import utcnow
from service.compare.comparison import executions_changed
from service.errors import Problem, VersionConflict
from service.executions import journal
from service.rollouts import assignment
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_version
from service.versions.workflows import load_workflow


class InvalidMoves(Problem):
    status_code, title, slug = 422, "Invalid position reports", "invalid-moves"


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


def _actions_of(uow: UnitOfWork, version_ids: set[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    found: dict[uuid.UUID, set[str]] = {}
    for version_id in version_ids:
        version = uow.session.get(WorkflowVersion, version_id)
        assert version is not None
        found[version_id] = {
            str(a["id"]) for a in version.definition.get("actions", []) if isinstance(a, dict)
        }
    return found


Resolved = list[tuple[int, rows.LockedExecution, PositionMove]]


def _resolve(
    moves: Sequence[PositionMove], locked: list[rows.LockedExecution]
) -> tuple[Resolved, list[dict[str, Any]]]:
    by_id = {e.id: e for e in locked}
    by_contact = {e.contact_id: e for e in locked if e.status in LIVE}
    resolved: Resolved = []
    problems: list[dict[str, Any]] = []
    for index, move in enumerate(moves):
        execution = (
            by_id.get(move.execution_id) if move.execution_id else by_contact.get(move.contact_id or "")
        )
        if execution is None:
            problems.append({"index": index, "reason": "no such execution (or the contact is not in flight)"})
        elif execution.status not in LIVE:
            problems.append(
                {"index": index, "reason": f"the execution is {execution.status}; it cannot move"}
            )
        else:
            resolved.append((index, execution, move))
    return resolved, problems


def report_positions(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, moves: Sequence[PositionMove]
) -> int:
    """Apply the engine's moves all-or-nothing; each is checked against the actions of the
    version the execution is on at this moment (rows locked, so a migration batch cannot
    slip in between the check and the write)."""
    workflow = load_workflow(uow, principal, workflow_id)
    ids = [m.execution_id for m in moves if m.execution_id is not None]
    contacts = [m.contact_id for m in moves if m.contact_id is not None]
    locked = rows.lock_executions(uow.session, workflow.tenant_id, workflow.id, ids=ids, contacts=contacts)
    resolved, problems = _resolve(moves, locked)
    actions = _actions_of(uow, {item[1].version_id for item in resolved})
    updates = []
    for index, execution, report in resolved:
        if report.action_id is not None and report.action_id not in actions[execution.version_id]:
            problems.append(
                {"index": index, "reason": f"action '{report.action_id}' is not in the execution's version"}
            )
            continue
        updates.append({"execution": execution, "action": report.action_id, "status": report.status})
    if problems:
        problems.sort(key=lambda p: p["index"])
        raise InvalidMoves(
            f"{len(problems)} of {len(moves)} moves are invalid; none was applied", problems=problems[:100]
        )
    executions_changed(uow, workflow.tenant_id, workflow.id)
    return journey.reported(uow.session, updates, utcnow(), journal=journal.kept(uow))


def list_page(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    version: VersionRef | None,
    status: str | None,
    action: str | None,
    migration_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Execution], str | None]:
    """One page of a workflow's executions, filtered by version (id or number, deleted
    versions too: contacts may still be on them), status, action or moving migration."""
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
