"""Compare route: registered before the version routes so ``compare`` is not a version."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from schemas.api import VersionComparison
from service.api.deps import ContainerDep, Reader, to_version_ref
from service.compare import comparison as compare
from service.versions.editing import VersionRef

router = APIRouter(prefix="/api/v1/workflows/{workflow_id}/versions", tags=["versions"])


async def _from(version: Annotated[str, Query(alias="from", max_length=64)]) -> VersionRef:
    return to_version_ref(version, "from")


async def _to(version: Annotated[str, Query(alias="to", max_length=64)]) -> VersionRef:
    return to_version_ref(version, "to")


@router.get(
    "/compare",
    response_model=VersionComparison,
    responses={200: {"content": {"text/x-diff": {}}, "description": "the comparison, or git's patch"}},
)
def compare_versions(
    workflow_id: uuid.UUID,
    principal: Reader,
    container: ContainerDep,
    from_ref: Annotated[VersionRef, Depends(_from)],
    to_ref: Annotated[VersionRef, Depends(_to)],
    format: Literal["json", "patch"] = "json",
) -> VersionComparison | Response:
    """Compare two versions (ids or numbers): changes per part, classification, breaking impact."""
    with container.uow(principal.tenant_id) as uow:
        if format == "patch":
            patch = compare.version_patch(
                uow=uow, principal=principal, workflow_id=workflow_id, from_ref=from_ref, to_ref=to_ref
            )
            return Response(patch, media_type="text/x-diff")
        return compare.compare_versions(
            uow=uow, principal=principal, workflow_id=workflow_id, from_ref=from_ref, to_ref=to_ref
        )
