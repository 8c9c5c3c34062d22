"""Audit routes: read-only (entries are append-only)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from schemas.api import AuditList, AuditPublic
from service.api.deps import ContainerDep, Reader
from service.versions import workflows

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/audit", tags=["audit"])


@router.get("", response_model=AuditList)
def list_audit(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
    version_id: uuid.UUID | None = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
) -> AuditList:
    """The workflow's audit entries, newest first (a deleted workflow's: for admins)."""
    with container.uow(principal.tenant_id) as uow:
        rows, next_cursor = workflows.audit_page(
            uow=uow,
            principal=principal,
            workflow_id=workflow_id,
            version_id=version_id,
            action=action,
            limit=limit,
            cursor=cursor,
        )
        items = [AuditPublic.model_validate(row) for row in rows]
    return AuditList(items=items, next_cursor=next_cursor)
