"""The engine's position reports: each move checked against the actions of the version its
execution is on at this moment (rows locked, so a migration batch cannot slip in between
the check and the write), and, when the move names its base, against that base.

A move's **base** is what the engine computed it from (the execution's revision, or its
version and action). wfv moves executions too (migrations, reverts): a move computed on
the graph of the version the execution has just left is **stale**, and applying it would
continue the contact from a step chosen on the wrong graph. A stale move is refused alone,
answered with where the execution is now, and the rest of the batch applies. Any other
invalid move (an unknown execution, one that has ended, an action its version lacks)
refuses the whole batch, as before bases existed: it is the engine's error, not a race.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer import executions as rows
from indexer import journey
from indexer.models import WorkflowVersion
from schemas.executions import LIVE, PositionMove, PositionsResult, StaleMove
from service.auth import Principal
from service.clock import utcnow
from service.compare.comparison import executions_changed
from service.errors import Problem
from service.executions import journal
from service.uow import UnitOfWork
from service.versions.workflows import load_workflow


class InvalidMoves(Problem):
    status_code, title, slug = 422, "Invalid position reports", "invalid-moves"


@dataclass
class _Now:
    """An execution as the batch has left it so far (moves apply one after the other)."""

    version_id: uuid.UUID
    action_id: str | None
    status: str
    revision: int


@dataclass
class _Plan:
    updates: list[dict[str, Any]] = field(default_factory=list)
    stale: list[StaleMove] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def _actions_of(uow: UnitOfWork, version_ids: set[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    found: dict[uuid.UUID, set[str]] = {}
    for version_id in version_ids:
        version = uow.session.get(WorkflowVersion, version_id)
        assert version is not None
        found[version_id] = {
            str(a["id"]) for a in version.definition.get("actions", []) if isinstance(a, dict)
        }
    return found


def _stale(move: PositionMove, now: _Now) -> bool:
    if move.base_revision is not None:
        return move.base_revision != now.revision
    if move.base_version_id is not None:
        return (move.base_version_id, move.base_action_id) != (now.version_id, now.action_id)
    return False


def _plan(
    moves: Sequence[PositionMove], locked: list[rows.LockedExecution], actions: dict[uuid.UUID, set[str]]
) -> _Plan:
    by_id = {e.id: e for e in locked}
    by_contact = {e.contact_id: e for e in locked if e.status in LIVE}
    state = {e.id: _Now(e.version_id, e.current_action_id, e.status, e.revision) for e in locked}
    plan = _Plan()
    for index, move in enumerate(moves):
        execution = (
            by_id.get(move.execution_id) if move.execution_id else by_contact.get(move.contact_id or "")
        )
        if execution is None:
            plan.problems.append(
                {"index": index, "reason": "no such execution (or the contact is not in flight)"}
            )
            continue
        now = state[execution.id]
        if _stale(move, now):
            plan.stale.append(
                StaleMove(
                    index=index,
                    execution_id=execution.id,
                    contact_id=execution.contact_id,
                    version_id=now.version_id,
                    action_id=now.action_id,
                    status=now.status,
                    revision=now.revision,
                )
            )
        elif now.status not in LIVE:
            plan.problems.append({"index": index, "reason": f"the execution is {now.status}; it cannot move"})
        elif move.action_id is not None and move.action_id not in actions[now.version_id]:
            plan.problems.append(
                {"index": index, "reason": f"action '{move.action_id}' is not in the execution's version"}
            )
        else:
            # The row as this move found it: the journey's ``from_*``, in batch order.
            found = journey.Before(
                **(execution._asdict() | {"current_action_id": now.action_id, "status": now.status}),
            )._replace(revision=now.revision)
            plan.updates.append({"execution": found, "action": move.action_id, "status": move.status})
            state[execution.id] = _Now(now.version_id, move.action_id, move.status, now.revision + 1)
    return plan


def report_positions(
    *, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, moves: Sequence[PositionMove]
) -> PositionsResult:
    """Apply the engine's moves: the stale ones refused alone, the rest all or nothing."""
    workflow = load_workflow(uow, principal, workflow_id)
    ids = [m.execution_id for m in moves if m.execution_id is not None]
    contacts = [m.contact_id for m in moves if m.contact_id is not None]
    locked = rows.lock_executions(uow.session, workflow.tenant_id, workflow.id, ids=ids, contacts=contacts)
    plan = _plan(moves, locked, _actions_of(uow, {e.version_id for e in locked}))
    if plan.problems:
        plan.problems.sort(key=lambda p: p["index"])
        raise InvalidMoves(
            f"{len(plan.problems)} of {len(moves)} moves are invalid; none was applied",
            problems=plan.problems[:100],
        )
    executions_changed(uow, workflow.tenant_id, workflow.id)
    updated = journey.reported(uow.session, plan.updates, utcnow(), journal=journal.kept(uow))
    return PositionsResult(updated=updated, stale=len(plan.stale), stale_moves=plan.stale)
