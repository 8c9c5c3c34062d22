"""Contacts running through a workflow, as the execution engine reports them."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schemas.text import RequestBody
from schemas.timestamps import Timestamp
from schemas.workflow import ACTION_ID_PATTERN

ExecutionStatus = Literal["active", "waiting", "completed", "exited", "failed"]
LIVE: tuple[ExecutionStatus, ...] = ("active", "waiting")
CONTACT_ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,255}$"
ContactId = Annotated[str, StringConstraints(pattern=CONTACT_ID_PATTERN)]
MAX_BATCH = 10_000


class EnrollRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    contact_ids: list[ContactId] = Field(min_length=1, max_length=MAX_BATCH)


class VersionEnrolled(BaseModel):
    version_id: UUID
    version_number: int
    enrolled: int


class ContactAssignment(BaseModel):
    contact_id: str
    version_id: UUID
    version_number: int


class EnrollResult(BaseModel):
    """``version_id``/``version_number``/``action_id``: the current version's (where every
    contact goes unless a rollout sends it to its target); ``by_version``: how many went to
    each version; ``assignments`` (with ``?assignments=true``): each newly enrolled contact's."""

    enrolled: int
    already_enrolled: int
    version_id: UUID
    version_number: int
    action_id: str
    by_version: list[VersionEnrolled] = Field(default_factory=list)
    assignments: list[ContactAssignment] | None = None


class PositionMove(BaseModel):
    """Where one contact is now; named by ``execution_id`` or by ``contact_id``.

    The base is what the engine computed the move from: ``base_revision`` (the execution's
    revision it read), or ``base_version_id`` with ``base_action_id`` (the version and the
    action it was on). A move whose base is no longer the execution's (wfv migrated or
    reverted it meanwhile, or another report moved it) is refused alone and answered with
    where the execution is now; the rest of the batch applies. A move without a base is
    applied to whatever version the execution is on: unsafe while migrations run
    (docs/engine-contract.md)."""

    model_config = ConfigDict(extra="forbid")

    execution_id: UUID | None = None
    contact_id: ContactId | None = None
    action_id: Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)] | None = None
    status: ExecutionStatus
    base_revision: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    base_version_id: UUID | None = None
    base_action_id: Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)] | None = None

    @model_validator(mode="after")
    def _one_name_and_a_place(self) -> "PositionMove":
        if (self.execution_id is None) == (self.contact_id is None):
            raise ValueError("name the execution by execution_id or by contact_id, not both")
        if self.action_id is None and self.status in LIVE:
            raise ValueError(f"an execution that is {self.status} sits on an action: give action_id")
        if self.base_action_id is not None and self.base_version_id is None:
            raise ValueError("base_action_id goes with base_version_id")
        if self.base_revision is not None and self.base_version_id is not None:
            raise ValueError("give one base: base_revision, or base_version_id with base_action_id")
        return self

    @property
    def based(self) -> bool:
        return self.base_revision is not None or self.base_version_id is not None


class PositionsRequest(RequestBody):
    model_config = ConfigDict(extra="forbid")

    moves: list[PositionMove] = Field(min_length=1, max_length=MAX_BATCH)


class StaleMove(BaseModel):
    """A move refused because its base is no longer the execution's: where it is now."""

    index: int = Field(description="the move's place in the request's `moves`")
    execution_id: UUID
    contact_id: str
    version_id: UUID
    action_id: str | None
    status: ExecutionStatus
    revision: int


class PositionsResult(BaseModel):
    """``updated``: moves applied. ``stale``: moves refused alone because their base was no
    longer the execution's, listed in ``stale_moves`` with where each execution is now
    (re-base and send again)."""

    updated: int
    stale: int = 0
    stale_moves: list[StaleMove] = Field(default_factory=list)


class ExecutionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    workflow_id: UUID
    version_id: UUID
    contact_id: str
    current_action_id: str | None
    status: ExecutionStatus
    enrolled_at: Timestamp
    updated_at: Timestamp
    last_migration_id: UUID | None
    # Bumped by every change of position (1 at enrolment): its journey row names it.
    revision: int


class ExecutionList(BaseModel):
    items: list[ExecutionPublic]
    next_cursor: str | None


class SummaryRow(BaseModel):
    version_id: UUID
    version_number: int
    action_id: str | None
    status: ExecutionStatus
    count: int


class ExecutionSummary(BaseModel):
    items: list[SummaryRow]
    total: int
