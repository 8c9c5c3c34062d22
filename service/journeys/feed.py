"""The change feed of what wfv moved: a tenant's migration and revert moves, in commit
order after a cursor (``GET /api/v1/executions/changes``), for an engine to follow.

Only wfv's own changes: enrolments and the engine's position reports are the engine's own
doing, and a pin moves nothing. A rollout's migrate-back is a migration (its rows carry
the migration's id). The cursor is data (the last change's ``(xid, seq)``), so it outlives
any restart of the service, and the feed's order never lets a late commit fall behind it
(``indexer.journey_feed``). One page is one short read; the waiting of a long-poll is the
route's, between pages, off the database."""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from indexer import journey_feed as rows
from indexer import queries
from schemas.journeys import ChangePage, ExecutionChange, MovedBy
from service.auth import Principal
from service.errors import WorkflowNotFound
from service.uow import UnitOfWork
from service.webhooks.events import Event, emit


def _change(found: rows.Change) -> ExecutionChange:
    return ExecutionChange(
        execution_id=found.execution_id,
        workflow_id=found.workflow_id,
        contact_id=found.contact_id,
        from_version_id=found.from_version_id,
        from_version_number=found.from_version_number,
        version_id=found.version_id,
        version_number=found.version_number,
        from_action_id=found.from_action_id,
        action_id=found.action_id,
        from_status=found.from_status,
        status=found.status,
        revision=found.revision,
        cause=found.cause,
        cause_id=found.cause_id,
        at=found.at,
        cursor=rows.cursor_of(found.xid, found.seq),
    )


def check_workflow(uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID | None) -> None:
    """A workflow filter names one of the caller's workflows (a deleted one too: its
    history stays readable); another tenant's, or none, is a 404."""
    if workflow_id is None:
        return
    if queries.get_workflow(uow.session, principal.tenant_id, workflow_id, deleted_ok=True) is None:
        raise WorkflowNotFound(f"no workflow {workflow_id}")


@dataclass(frozen=True)
class Page:
    """A page of the feed as the answer's JSON (a ``ChangePage``), and how many changes."""

    count: int
    body: bytes


def page(
    *,
    uow: UnitOfWork,
    principal: Principal,
    after: str | None,
    workflow_id: uuid.UUID | None,
    limit: int,
) -> Page:
    """Up to ``limit`` changes after ``after`` (from the oldest kept without one). On
    PostgreSQL the database writes the items' JSON (``indexer.journey_feed.rendered``:
    the feed's cost was the conversions); on SQLite they go through the models. Both give
    the same answer (tested)."""
    position = rows.parse_cursor(after) if after else None
    if uow.session.get_bind().dialect.name == "postgresql":
        count, items, last = rows.rendered(
            uow.session, principal.tenant_id, after=position, workflow_id=workflow_id, limit=limit
        )
        next_cursor = json.dumps(last if count else after)
        return Page(count, f'{{"items":{items},"next_cursor":{next_cursor}}}'.encode())
    answer = models(uow=uow, principal=principal, after=after, workflow_id=workflow_id, limit=limit)
    return Page(len(answer.items), answer.model_dump_json().encode())


def models(
    *,
    uow: UnitOfWork,
    principal: Principal,
    after: str | None,
    workflow_id: uuid.UUID | None,
    limit: int,
) -> ChangePage:
    """The same page through the answer's models (SQLite's path, and the reference the
    database's JSON is tested against)."""
    position = rows.parse_cursor(after) if after else None
    found = rows.changes(
        uow.session, principal.tenant_id, after=position, workflow_id=workflow_id, limit=limit
    )
    items = [_change(row) for row in found]
    return ChangePage(items=items, next_cursor=items[-1].cursor if items else after)


def mark(uow: UnitOfWork) -> rows.Mark:
    """Where the feed stands as a batch begins (for :func:`announce`)."""
    return rows.mark(uow.session)


def announce(
    uow: UnitOfWork,
    tenant_id: str,
    workflow_id: uuid.UUID,
    since: rows.Mark,
    *,
    cause: MovedBy,
    cause_id: uuid.UUID,
    data: dict[str, Any],
    at: datetime,
) -> None:
    """``executions.moved`` for a batch that moved something, in its transaction: how
    many, and the feed cursors around its moves (``after_cursor``: ask the feed after it
    for the batch's first move; ``last_cursor``: its last), not the contacts themselves (a
    batch is up to 50,000). Nothing when the batch moved nothing."""
    written = rows.written(uow.session, tenant_id, cause_id, since)
    if written is None:
        return
    details = {
        **data,
        "cause": cause,
        "count": written.count,
        "after_cursor": written.after,
        "last_cursor": written.last,
    }
    emit(uow, tenant_id, Event("executions.moved", workflow_id, details, at))
