"""Migration routes: start (or dry-run), follow (JSON or server-sent events), control."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from schemas.impact import Bucket, ImpactPreview
from schemas.migrations import (
    TERMINAL,
    UNMAPPED_PATTERN,
    ItemOutcome,
    MigrationCreate,
    MigrationItemList,
    MigrationItemPublic,
    MigrationList,
    MigrationPlan,
    MigrationPublic,
    MigrationResume,
)
from service.api.deps import ContainerDep, Editor, Reader, VersionPath, to_version_ref
from service.api.idempotency import Idempotency, Idempotent
from service.api.streams import EventStreamResponse, StreamGrantDep, end_event
from service.auth import Principal
from service.container import Container
from service.executions import migrations
from service.executions.impact import ImpactQuery, preview

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}", tags=["migrations"])
EVENTS_INTERVAL = 0.5


@router.post(
    "/versions/{version}/migrate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MigrationPublic | MigrationPlan,
    responses={200: {"model": MigrationPlan, "description": "the dry-run plan"}},
)
def migrate(
    workflow_id: uuid.UUID,
    version: VersionPath,
    body: MigrationCreate,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> MigrationPublic | MigrationPlan | Response:
    """Move executions of `from_versions` to this (active) version; `dry_run` only plans."""
    with container.uow(principal.tenant_id, write=not body.dry_run) as uow:
        result = migrations.start_migration(
            uow=uow, principal=principal, workflow_id=workflow_id, target_ref=version, request=body
        )
        if isinstance(result, MigrationPlan):
            return idem.respond(uow, JSONResponse(result.model_dump(mode="json"), status_code=200))
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/migrations/{result.id}"
        answer = idem.answer(uow, lambda: migrations.public(result), response)
        uow.commit()
    return answer


def _mapping(pairs: list[str]) -> dict[str, str]:
    """``map=source:target`` pairs, as a migration's ``mapping``; a malformed pair is the
    migration's 422 ``mapping-invalid``."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, colon, target = pair.partition(":")
        if not colon or not source or not target or ":" in target or len(pair) > 130:
            raise migrations.MappingInvalid(
                f"map takes source:target pairs of action ids, not '{pair[:80]}'", field="map"
            )
        mapping[source] = target
    return mapping


@router.get("/versions/{version}/impact", response_model=ImpactPreview)
def impact(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Reader,
    container: ContainerDep,
    from_versions: Annotated[list[str], Query(alias="from", min_length=1, max_length=20)],
    pairs: Annotated[list[str] | None, Query(alias="map", max_length=1000)] = None,
    unmapped: Annotated[str, Query(pattern=UNMAPPED_PATTERN)] = "fail",
    bucket: Bucket | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ImpactPreview:
    """Before publishing or migrating: every live contact of `from` (repeatable) in one
    bucket of moving them to this version with the migration's `map` (repeatable
    `source:target`) and `unmapped` policy; with `bucket`, a page of its contacts."""
    query = ImpactQuery(
        from_versions=[to_version_ref(v, "from") for v in from_versions],
        mapping=_mapping(pairs or []),
        unmapped=unmapped,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    )
    with container.uow(principal.tenant_id) as uow:
        return preview(uow=uow, principal=principal, workflow_id=workflow_id, target_ref=version, query=query)


@router.get("/migrations", response_model=MigrationList)
def list_migrations(workflow_id: uuid.UUID, principal: Reader, container: ContainerDep) -> MigrationList:
    """The workflow's migrations, newest first."""
    with container.uow(principal.tenant_id) as uow:
        found = migrations.newest(uow, principal, workflow_id)
        return MigrationList(items=[migrations.public(m) for m in found])


def _snapshot(
    container: Container, principal: Principal, workflow_id: uuid.UUID, migration_id: uuid.UUID
) -> MigrationPublic:
    with container.uow(principal.tenant_id) as uow:
        _, migration = migrations.load_migration(uow, principal, workflow_id, migration_id)
        return migrations.public(migration)


@router.get("/migrations/{migration_id}", response_model=MigrationPublic)
def get_migration(
    workflow_id: uuid.UUID, migration_id: uuid.UUID, principal: Reader, container: ContainerDep
) -> MigrationPublic:
    """Status, totals, rate and ETA."""
    return _snapshot(container, principal, workflow_id, migration_id)


@router.get("/migrations/{migration_id}/items", response_model=MigrationItemList)
def list_items(
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    outcome: ItemOutcome | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> MigrationItemList:
    """The executions a migration did not move, one row each, with the reason."""
    with container.uow(principal.tenant_id) as uow:
        page, next_cursor = migrations.item_page(
            uow, principal, workflow_id, migration_id, outcome=outcome, limit=limit, cursor=cursor
        )
        return MigrationItemList(
            items=[MigrationItemPublic.model_validate(i) for i in page], next_cursor=next_cursor
        )


def _change(
    container: Container,
    principal: Principal,
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    move: str,
    idem: Idempotency,
    resume: MigrationResume | None = None,
) -> MigrationPublic | Response:
    with container.uow(principal.tenant_id, write=True) as uow:
        migration = migrations.change_status(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            migration_id=migration_id,
            move=move,
            resume=resume,
        )
        answer = idem.answer(uow, lambda: migrations.public(migration), Response())
        uow.commit()
        return answer


def _control(move: str) -> Callable[..., MigrationPublic | Response]:
    """One route per control move (cancel, pause): the same shape, another verb."""

    def control(
        workflow_id: uuid.UUID,
        migration_id: uuid.UUID,
        principal: Editor,
        container: ContainerDep,
        idem: Idempotent,
    ) -> MigrationPublic | Response:
        return _change(container, principal, workflow_id, migration_id, move, idem)

    control.__doc__ = {
        "cancel": "Cancel between batches; what moved stays moved (list it with executions?migration=<id>).",
        "pause": "Pause after the current batch.",
    }[move]
    control.__name__ = f"{move}_migration"
    return control


for _move in ("cancel", "pause"):
    router.post(f"/migrations/{{migration_id}}/{_move}", response_model=MigrationPublic)(_control(_move))


@router.post("/migrations/{migration_id}/resume", response_model=MigrationPublic)
def resume_migration(
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    principal: Editor,
    container: ContainerDep,
    idem: Idempotent,
    body: Annotated[MigrationResume | None, Body()] = None,
) -> MigrationPublic | Response:
    """Resume a paused (or halted) migration; `failure_threshold` (0 to 1) replaces the
    threshold from now on. The halt rule judges the batches after the resume afresh."""
    return _change(container, principal, workflow_id, migration_id, "resume", idem, body)


@router.get("/migrations/{migration_id}/events", response_class=StreamingResponse)
async def migration_events(
    workflow_id: uuid.UUID,
    migration_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    grant: StreamGrantDep,
) -> StreamingResponse:
    """Live progress as server-sent events (`progress`, then `done`), for the UI; `end`
    (with its reason) when the token expires or after an hour: reconnect with a fresh token."""
    first = await run_in_threadpool(_snapshot, container, principal, workflow_id, migration_id)
    slot = grant.take()

    async def stream() -> AsyncIterator[str]:
        current, last = first, ""
        while True:
            body = current.model_dump_json()
            if body != last:
                yield f"event: progress\ndata: {body}\n\n"
                last = body
            if current.status in TERMINAL:
                yield f"event: done\ndata: {json.dumps({'status': current.status})}\n\n"
                return
            await asyncio.sleep(grant.bounds.pause(EVENTS_INTERVAL))
            reason = grant.bounds.ended()
            if reason is not None:  # checked before reading again: an expired token reads nothing
                yield end_event(reason)
                return
            current = await run_in_threadpool(_snapshot, container, principal, workflow_id, migration_id)

    return EventStreamResponse(stream(), slot)
