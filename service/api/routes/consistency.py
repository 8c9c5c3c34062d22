"""The consistency check of the caller's tenant (admin): git against the index."""

from fastapi import APIRouter

from schemas.consistency import ConsistencyReportPublic
from service.api.deps import Admin, ContainerDep
from service.healing.check import check_consistency

router = APIRouter(prefix="/api/v1/admin/workflows", tags=["consistency"])


@router.get("/consistency", response_model=ConsistencyReportPublic)
def consistency(principal: Admin, container: ContainerDep) -> ConsistencyReportPublic:
    """Check this tenant's workflows: refs against rows, audit, executions (read-only)."""
    report = check_consistency(container, tenant_ids=[principal.tenant_id])
    return ConsistencyReportPublic.model_validate(report.as_dict())
