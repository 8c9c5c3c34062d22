"""The change feed route: what wfv moved, tenant-wide or for one workflow, in commit order
after a cursor, with a long-poll so an engine waits instead of polling.

A long-poll holds a connection, not a worker: each read runs in a worker thread, the
waiting between reads is an ``asyncio.sleep`` on the event loop, the request gives its
turn back while it sleeps (``turns.py``: four waiting engines must not shut out every
other request of the process) and takes one per read; and it takes one of the caller's
event-stream slots for as long as it waits (``stream_slots.py``, the bound of the SSE
routes, ``WFV_STREAM_MAX_PER_USER`` per user and process), so long-polls cannot pile up."""

import asyncio
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from schemas.journeys import ChangePage
from service.api.deps import ContainerDep, Reader
from service.api.turns import end_turn, take_turn
from service.auth import Principal
from service.container import Container
from service.journeys import feed

router = APIRouter(prefix="/api/v1/executions", tags=["journeys"])
POLL_SECONDS = 0.15  # how often a waiting long-poll reads again
MAX_WAIT_SECONDS = 30


def _page(
    container: Container,
    principal: Principal,
    after: str | None,
    workflow_id: uuid.UUID | None,
    limit: int,
    *,
    first: bool,
) -> feed.Page:
    with container.uow(principal.tenant_id) as uow:
        if first:
            feed.check_workflow(uow, principal, workflow_id)
        return feed.page(uow=uow, principal=principal, after=after, workflow_id=workflow_id, limit=limit)


@router.get("/changes", response_model=ChangePage)
async def execution_changes(
    request: Request,
    principal: Reader,
    container: ContainerDep,
    after: Annotated[str | None, Query(max_length=256, description="a cursor from this feed")] = None,
    workflow_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    wait: Annotated[
        float, Query(ge=0, le=MAX_WAIT_SECONDS, description="seconds to wait for a change when none is there")
    ] = 0,
) -> Response:
    """Every change of position wfv itself made (migration moves and exits, reverts), in
    commit order after `after` (from the oldest kept without it), tenant-wide or for
    `workflow_id`; `next_cursor` goes on from there. With `wait`, an empty answer waits up
    to that many seconds and returns as soon as a change commits (docs/engine-contract.md)."""
    answer = await run_in_threadpool(_page, container, principal, after, workflow_id, limit, first=True)
    if answer.count or wait == 0:
        return _json(answer)
    slot = request.app.state.streams.take(
        principal.tenant_id, principal.user_id, limit=container.settings.stream_max_per_user
    )
    try:
        end_turn()
        deadline = time.monotonic() + min(wait, container.settings.changes_max_wait_seconds)
        while not answer.count:
            left = deadline - time.monotonic()
            if left <= 0 or await request.is_disconnected():
                break
            await asyncio.sleep(min(POLL_SECONDS, left))
            await take_turn(principal.tenant_id)
            try:
                answer = await run_in_threadpool(
                    _page, container, principal, after, workflow_id, limit, first=False
                )
            finally:
                end_turn()
        return _json(answer)
    finally:
        slot.release()


def _json(page: feed.Page) -> Response:
    """The page's JSON as it was written (the route declares ``ChangePage`` for its schema)."""
    return Response(page.body, media_type="application/json")
