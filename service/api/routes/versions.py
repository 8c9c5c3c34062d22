"""Version routes: create, list, read, edit, delete, publish, rollback."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from schemas.api import (
    VersionCreate,
    VersionDetail,
    VersionList,
    VersionPublic,
    VersionPublish,
    VersionUpdate,
)
from schemas.history import VersionEvent
from schemas.status import VersionStatus
from service.api.deps import (
    Admin,
    ContainerDep,
    Editor,
    ExpectedLock,
    IfMatch,
    Reader,
    VersionPath,
    etag,
    expected_lock,
    json_answer,
    stale_answered_as,
    version_detail,
)
from service.api.idempotency import Idempotent
from service.executions import draining
from service.versions import editing as versions
from service.versions import publishing
from service.versions.summaries import read_summaries

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/versions", tags=["versions"])

Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VersionDetail)
def create_version(
    workflow_id: uuid.UUID,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
    body: VersionCreate | None = None,
) -> VersionDetail | Response:
    """Create the next version as a draft (copy of the current, of `from_version`, or `definition`)."""
    body = body or VersionCreate()
    with container.uow(principal.tenant_id, write=True) as uow:
        # A retry whose earlier attempt died after moving refs answers from what it made.
        version = idem.earlier_version(uow, principal, workflow_id, VersionEvent.CREATE)
        if version is None:
            version = versions.create_version(
                uow=uow,
                principal=principal,
                workflow_id=workflow_id,
                from_version=body.from_version,
                definition=body.definition,
                message=body.message,
            )
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/versions/{version.id}"
        answer = idem.answer(uow, lambda: version_detail(version, response), response)
        uow.commit()
    return answer


@router.get("", response_model=VersionList)
def list_versions(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    limit: Limit = 50,
    cursor: str | None = None,
    status: VersionStatus | None = None,
    include_deleted: bool = False,
) -> VersionList:
    """List versions newest first (cursor pagination, optional status filter)."""
    with container.uow(principal.tenant_id) as uow:
        rows, next_cursor = versions.list_versions(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            status=status,
            include_deleted=include_deleted,
            limit=limit,
            cursor=cursor,
        )
        # Read before the counts: their workflow lookup may heal the index (git ahead), whose
        # rollback expires these rows; read after it, each would be loaded again, and a
        # database gone meanwhile would fail inside the model (a 500, not a 503).
        summaries = read_summaries(uow, rows)
        listed = [
            VersionPublic.model_validate(row).model_copy(update={"change_summary": summaries[row.id]})
            for row in rows
        ]
        shown = [
            draining.Shown(row.id, row.workflow_id, row.is_current, row.status == VersionStatus.DRAFT.value)
            for row in listed
        ]
        drained = draining.of_listed(uow=uow, principal=principal, workflow_id=workflow_id, versions=shown)
        items = [
            row.model_copy(update={"active_executions": drained[row.id].live, "drain": drained[row.id].drain})
            for row in listed
        ]
    return VersionList(items=items, next_cursor=next_cursor)


@router.get("/{version}", response_model=VersionDetail)
def get_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Reader,
    container: ContainerDep,
) -> Response:
    """One version with its definition, by id or number; the ETag is its lock_version."""
    with container.uow(principal.tenant_id) as uow:
        row = versions.get_version(uow=uow, principal=principal, workflow_id=workflow_id, ref=version)
        detail = VersionDetail.model_validate(row)
        detail.change_summary = read_summaries(uow, [row])[row.id]
        drained = draining.of_one(uow=uow, version=row)
        detail.active_executions, detail.drain = drained.live, drained.drain
    return json_answer(detail, {"ETag": etag(detail.lock_version)})


@router.patch("/{version}", response_model=VersionDetail)
def update_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    body: VersionUpdate,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    if_match: IfMatch,
) -> VersionDetail:
    """Edit a draft; needs If-Match or lock_version (optimistic locking)."""
    expected = expected_lock(if_match, body.lock_version, required=True)
    with stale_answered_as(expected), container.uow(principal.tenant_id, write=True) as uow:
        row = versions.update_version(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            ref=version,
            definition=body.definition,
            expected_lock=expected.value,
            message=body.message,
        )
        uow.commit()
    return version_detail(row, response)


@router.delete("/{version}", response_model=VersionPublic)
def delete_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Editor,
    container: ContainerDep,
    if_match: IfMatch,
) -> VersionPublic:
    """Soft-delete a draft (its number is never reused)."""
    expected = ExpectedLock(if_match.lock_version, from_header=True)
    with stale_answered_as(expected), container.uow(principal.tenant_id, write=True) as uow:
        row = versions.delete_version(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            ref=version,
            expected_lock=expected.value,
        )
        uow.commit()
    return VersionPublic.model_validate(row)


@router.post("/{version}/publish", response_model=VersionDetail)
def publish_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Editor,
    container: ContainerDep,
    response: Response,
    if_match: IfMatch,
    idem: Idempotent,
    body: VersionPublish | None = None,
) -> VersionDetail | Response:
    """Publish a complete draft as the one current version (commit on main, tag vN)."""
    body = body or VersionPublish()
    expected = expected_lock(if_match, body.lock_version, required=False)
    with stale_answered_as(expected), container.uow(principal.tenant_id, write=True) as uow:
        row = idem.earlier_version(uow, principal, workflow_id, VersionEvent.PUBLISH)
        if row is None:
            row = publishing.publish_version(
                uow=uow,
                principal=principal,
                workflow_id=workflow_id,
                ref=version,
                expected_lock=expected.value,
                message=body.message,
            )
        answer = idem.answer(uow, lambda: version_detail(row, response), response)
        uow.commit()
    return answer


@router.post("/{version}/rollback", status_code=status.HTTP_201_CREATED, response_model=VersionDetail)
def rollback_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Admin,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> VersionDetail | Response:
    """Roll back: a new version with the target's content, published as current."""
    with container.uow(principal.tenant_id, write=True) as uow:
        row = idem.earlier_version(uow, principal, workflow_id, VersionEvent.PUBLISH)
        if row is None:
            row = publishing.rollback_version(
                uow=uow, principal=principal, workflow_id=workflow_id, ref=version
            )
        response.headers["Location"] = f"/api/v1/workflows/{workflow_id}/versions/{row.id}"
        answer = idem.answer(uow, lambda: version_detail(row, response), response)
        uow.commit()
    return answer
