"""Archival routes: runs, candidates, run-now (tenant-wide, admin), and per version
unarchive and legal hold (admin, audited)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from schemas.api import VersionPublic
from schemas.archival import (
    ArchivalCandidates,
    ArchivalRunList,
    ArchivalRunPublic,
    ArchiveRequest,
    LegalHoldSet,
)
from schemas.archival_report import ReportFormat
from service.api.deps import Admin, ContainerDep, VersionPath
from service.api.idempotency import Idempotent
from service.archival import report as archival_report
from service.archival import retention
from service.archival import runs as archival
from service.executions import enrolment as executions
from service.uow import UnitOfWork

admin_router = APIRouter(prefix="/api/v1/admin/workflows", tags=["archival"])
version_router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/versions/{version}", tags=["archival"])


@admin_router.get("/archival-runs", response_model=ArchivalRunList)
def list_runs(
    principal: Admin, container: ContainerDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> ArchivalRunList:
    """This tenant's archival runs, newest first."""
    with container.uow(principal.tenant_id) as uow:
        found = archival.newest_runs(uow, principal.tenant_id, limit)
        return ArchivalRunList(items=[archival.public(run) for run in found])


MEDIA_TYPES: dict[str, str] = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


@admin_router.get(
    "/archival-runs/{run_id}/report",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def download_report(
    run_id: uuid.UUID,
    principal: Admin,
    container: ContainerDep,
    report_format: Annotated[ReportFormat, Query(alias="format")] = "json",
) -> StreamingResponse:
    """A finished run's report (archived versions; per rule, the versions kept), streamed."""
    run = archival_report.open_report(container, principal, run_id, report_format)
    if report_format == "csv":
        body = archival_report.stream_csv(container, run)
    else:
        document = archival.public(run).model_dump(mode="json")
        body = archival_report.stream_json(container, run, document)
    disposition = f'attachment; filename="{archival_report.filename(run, report_format)}"'
    return StreamingResponse(
        body, media_type=MEDIA_TYPES[report_format], headers={"Content-Disposition": disposition}
    )


@admin_router.get("/archival-candidates", response_model=ArchivalCandidates)
def list_candidates(
    principal: Admin,
    container: ContainerDep,
    workflow_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ArchivalCandidates:
    """What a run now would archive, and near-misses with the one rule that keeps each."""
    with container.uow(principal.tenant_id) as uow:
        return archival.preview(
            uow, principal.tenant_id, now=container.clock(), workflow_id=workflow_id, limit=limit
        )


@admin_router.post("/archive-versions", response_model=ArchivalRunPublic)
def archive_versions(
    principal: Admin, container: ContainerDep, body: ArchiveRequest, response: Response, idem: Idempotent
) -> ArchivalRunPublic | Response:
    """Run archival now in this tenant (or one workflow); `dry_run` only counts. A retry
    with the same ``Idempotency-Key`` gets the first run's record and starts no other run
    (the run commits workflow by workflow: its answer is kept once it is done)."""
    if body.dry_run:
        answer = archival.dry_run(
            container,
            principal.tenant_id,
            actor=principal.user_id,
            now=container.clock(),
            workflow_id=body.workflow_id,
        )
    else:
        run = archival.run_archival(
            container,
            principal.tenant_id,
            trigger="manual",
            actor=principal.user_id,
            workflow_id=body.workflow_id,
        )
        answer = archival.public(run)
    with container.uow(principal.tenant_id) as uow:
        return idem.answer(uow, lambda: answer, response)


def _public(uow: UnitOfWork, row: Any) -> VersionPublic:
    """The version as the API shows it, with its live contacts."""
    live = executions.live_count(uow=uow, version=row)
    return VersionPublic.model_validate(row).model_copy(update={"active_executions": live})


@version_router.post("/unarchive", response_model=VersionPublic)
def unarchive_version(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Admin,
    container: ContainerDep,
    response: Response,
    idem: Idempotent,
) -> VersionPublic | Response:
    """Make an archived version active again (it can then be rolled back to)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        row = idem.earlier_state_change(uow, principal, workflow_id, version)
        if row is None:
            row = retention.unarchive_version(
                uow=uow, principal=principal, workflow_id=workflow_id, ref=version
            )
        answer = idem.answer(uow, lambda: _public(uow, row), response)
        uow.commit()
    return answer


@version_router.post("/legal-hold", response_model=VersionPublic)
def set_legal_hold(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Admin,
    container: ContainerDep,
    body: LegalHoldSet,
    response: Response,
    idem: Idempotent,
) -> VersionPublic | Response:
    """Put a version under legal hold: never archived while held."""
    with container.uow(principal.tenant_id, write=True) as uow:
        row = idem.earlier_state_change(uow, principal, workflow_id, version)
        if row is None:
            row = retention.set_legal_hold(
                uow=uow, principal=principal, workflow_id=workflow_id, ref=version, reason=body.reason
            )
        answer = idem.answer(uow, lambda: _public(uow, row), response)
        uow.commit()
    return answer


@version_router.delete("/legal-hold", response_model=VersionPublic)
def clear_legal_hold(
    workflow_id: uuid.UUID,
    version: VersionPath,
    principal: Admin,
    container: ContainerDep,
    reason: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
) -> VersionPublic:
    """Lift a version's legal hold (`reason` is recorded in the audit entry)."""
    with container.uow(principal.tenant_id, write=True) as uow:
        row = retention.clear_legal_hold(
            uow=uow, principal=principal, workflow_id=workflow_id, ref=version, reason=reason
        )
        answer = _public(uow, row)
        uow.commit()
    return answer
