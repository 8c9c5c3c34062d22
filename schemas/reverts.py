"""Undoing a migration: the request, the dry run and the revert's state, and the
executions it did not put back (docs/migrations.md, "Undoing a migration")."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.text import RequestBody
from schemas.timestamps import Timestamp

RevertStatus = Literal["queued", "running", "completed", "failed"]
# Why an execution was not put back, as it reads now (``restorable``: nothing stops it
# any more, e.g. unpinned since the revert passed it).
OtherReason = Literal["moved_since", "pinned", "blocked", "restorable"]


class RevertRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = False


class RevertCounts(BaseModel):
    """Of the executions the migration moved (``total``): ``restorable`` (or, once run,
    ``restored``), ``moved_since`` (the engine or another migration moved them after),
    ``pinned``, ``blocked`` (exited by the migration; their contact is in flight again)."""

    total: int
    moved_since: int
    pinned: int
    blocked: int


class RevertOther(BaseModel):
    """An execution not put back, why, and where it is now."""

    execution_id: UUID
    contact_id: str
    reason: OtherReason
    version_number: int | None
    action_id: str | None
    status: str | None


class RevertPlan(RevertCounts):
    """The dry run: what a revert would do now, and the first page of the others."""

    dry_run: Literal[True] = True
    migration_id: UUID
    restorable: int
    others: list[RevertOther]
    next_cursor: str | None = Field(description="the rest of the others: GET …/revert/others?cursor=")


class RevertPublic(RevertCounts):
    id: UUID
    migration_id: UUID
    status: RevertStatus
    restored: int
    created_by: str
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None


class RevertOtherList(BaseModel):
    items: list[RevertOther]
    next_cursor: str | None
