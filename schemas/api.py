"""Request and answer models of the REST API (``/api/v1``)."""

from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.compare import BreakingChange, Part, PartDiff
from schemas.drain import VersionDrain
from schemas.impact import Bucket, ImpactCounts
from schemas.status import VersionStatus
from schemas.summaries import ChangeSummary
from schemas.text import RequestBody
from schemas.timestamps import Timestamp
from schemas.workflow import WorkflowDefinition

# Bounded so no request can carry an integer the database cannot hold.
VersionNumber = Annotated[int, Field(ge=1, le=999_999_999)]
LockVersion = Annotated[int, Field(ge=1, le=2_147_483_647)]

WorkflowName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WorkflowCreate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    name: WorkflowName
    definition: WorkflowDefinition


class WorkflowPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    current_version_id: UUID | None
    required_approvals: int
    created_at: Timestamp
    created_by: str


class WorkflowCreated(WorkflowPublic):
    """The new workflow with its first version (a draft)."""

    version: "VersionPublic"


class WorkflowList(BaseModel):
    items: list[WorkflowPublic]
    next_cursor: str | None


class VersionCreate(RequestBody):
    """Copy of the current version by default; or of ``from_version``; or ``definition``."""

    model_config = ConfigDict(extra="forbid")

    from_version: UUID | VersionNumber | None = None
    definition: WorkflowDefinition | None = None
    message: Annotated[str, StringConstraints(max_length=2000)] | None = None


class VersionUpdate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    definition: WorkflowDefinition
    lock_version: LockVersion | None = None
    message: Annotated[str, StringConstraints(max_length=2000)] | None = None


class VersionPublish(RequestBody):
    model_config = ConfigDict(extra="forbid")

    lock_version: LockVersion | None = None
    message: Annotated[str, StringConstraints(max_length=2000)] | None = None


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    workflow_id: UUID
    version_number: int
    status: VersionStatus
    is_current: bool
    lock_version: int
    commit_sha: str
    parent_version_id: UUID | None
    rollback_of_version_id: UUID | None
    created_by: str
    created_at: Timestamp
    published_by: str | None
    published_at: Timestamp | None
    deleted_at: Timestamp | None
    archived_at: Timestamp | None = None
    legal_hold_reason: str | None = None
    legal_hold_by: str | None = None
    legal_hold_at: Timestamp | None = None
    active_executions: int = Field(
        default=0,
        description="active and waiting executions of this version, in every answer that shows it"
        " (a draft, and so a version just published or rolled back to, has none)",
    )
    drain: VersionDrain | None = Field(
        default=None,
        description="how fast the version empties (the last 24 hours, and when it will be"
        " empty at that pace): read by the versions list and a version's GET; null in the"
        " answers of changes (create, edit, publish, delete, holds)",
    )
    change_summary: ChangeSummary | None = Field(
        default=None,
        description="what changed against the version this one was made from (parent_version_id),"
        " computed once when the version's document is written. Read by the versions list and a"
        " version's GET; null there only when that parent is gone from the index, and in the answers"
        " of changes to a version written before wfv kept summaries",
    )


class VersionDetail(VersionPublic):
    definition: dict[str, Any]


class VersionList(BaseModel):
    items: list[VersionPublic]
    next_cursor: str | None


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    workflow_id: UUID | None = Field(description="null for a tenant-wide entry (an archival report)")
    version_id: UUID | None
    actor_id: str
    created_at: Timestamp
    details: dict[str, Any]


class AuditList(BaseModel):
    items: list[AuditPublic]
    next_cursor: str | None


class VersionBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    version_number: int
    status: VersionStatus
    commit_sha: str


class BreakingImpact(BreakingChange):
    """A breaking change with the contacts it hits right now (``from`` version's live
    executions at its affected positions; for a trigger change, at every position), and
    the impact bucket they fall in under a default migration from ``from`` to ``to`` (by
    id, unmapped=fail), by the impact preview's own per-position rule."""

    live_contacts: int = Field(description="contacts there that are not pinned (they are in the bucket)")
    pinned: int = Field(default=0, description="contacts there that are pinned: a migration leaves them")
    bucket: Bucket | None = Field(
        default=None,
        description="the bucket of the affected positions when they all share one; null when they "
        "differ (see buckets) or, for a trigger change, no contact is in flight",
    )
    buckets: list[Bucket] = Field(
        default_factory=list,
        description="every bucket of the affected positions, each once, in the preview's bucket order",
    )
    warning: str


class VersionComparison(BaseModel):
    from_version: VersionBrief
    to_version: VersionBrief
    summary: str
    parts: dict[Part, PartDiff]
    breaking: list[BreakingImpact]
    impact: ImpactCounts = Field(
        default_factory=ImpactCounts,
        description="the from version's live contacts per bucket under a default migration to the "
        "to version: the counts of GET …/versions/{to}/impact?from={from}",
    )
    # When the live counts in ``breaking`` and ``impact`` were read from the database
    # (always given since ``impact`` came; nullable as before for older clients). A
    # cached count is at most WFV_COMPARE_LIVE_TTL_SECONDS old, and any enrolment, position
    # report, migration or revert batch, pin or unpin makes the next compare count again.
    live_counts_as_of: Timestamp | None = None


class WorkflowUpdate(RequestBody):
    """Workflow settings; every field optional, at least one given."""

    model_config = ConfigDict(extra="forbid")

    name: WorkflowName | None = None
    required_approvals: int | None = Field(default=None, ge=0, le=10)


class ActionTypePublic(BaseModel):
    name: str = Field(description="the type, as an action's `type` names it")
    title: str = Field(description="the schema's `title`, else the name")
    description: str | None = Field(description="the schema's `description`")
    config_schema: dict[str, Any] | bool = Field(
        description="the JSON Schema (Draft 2020-12) an action's `config` of this type must meet to publish"
    )


class ActionTypeList(BaseModel):
    items: list[ActionTypePublic]
