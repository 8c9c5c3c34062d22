"""Audit routes: read-only (entries are append-only)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from indexer import queries
from schemas.api import AuditList, AuditPublic
from service.auth import Permission
from service.deps import ContainerDep, Reader
from service.workflows import load_workflow

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
        admin = Permission.ADMIN in principal.permissions
        workflow = load_workflow(uow, principal, workflow_id, deleted_ok=admin)
        rows, next_cursor = queries.list_audit(
            uow.session,
            workflow.tenant_id,
            workflow.id,
            version_id=version_id,
            action=action,
            limit=limit,
            cursor=cursor,
        )
        items = [AuditPublic.model_validate(row) for row in rows]
    return AuditList(items=items, next_cursor=next_cursor)
