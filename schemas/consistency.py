"""What the consistency check answers (``GET /api/v1/admin/workflows/consistency``)."""

import uuid

from pydantic import BaseModel, Field


class ConsistencyProblemPublic(BaseModel):
    kind: str = Field(description="ref-moved, index-behind, row-missing, commit-missing, audit-missing, ...")
    tenant_id: str
    workflow_id: uuid.UUID | None
    version_number: int | None
    detail: str
    healable: bool = Field(description="the index is only behind git; healing indexes it")
    ref: str | None = Field(description="the git ref at fault, where one is")


class ConsistencyReportPublic(BaseModel):
    ok: bool = Field(description="no problems (healable entries do not count)")
    tenants_checked: int
    workflows_checked: int
    versions_checked: int
    executions_checked: int
    problems: list[ConsistencyProblemPublic]
    healable: list[ConsistencyProblemPublic]
