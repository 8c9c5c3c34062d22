"""Moving contacts in flight between versions: the request and answer models, and the
pure rule that maps each source position to a target position."""

import math
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schemas.impact import ImpactCounts
from schemas.text import RequestBody
from schemas.timestamps import Timestamp
from schemas.workflow import ACTION_ID_PATTERN

ActionId = Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
UNMAPPED_PATTERN = r"^(fail|exit|to:[A-Za-z0-9_.?-]{1,64})$"
Strategy = Literal["immediate", "gradual", "manual"]
MigrationStatus = Literal["queued", "running", "paused", "completed", "cancelled", "failed"]
TERMINAL = ("completed", "cancelled", "failed")
EXIT = "exit"
FAIL = "fail"
MAX_MANUAL = 10_000
# The share of a gradual step's executions (0..1) that may fail before it halts itself.
FailureThreshold = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
# What became of an execution a migration did not move (``pinned``: its contact is pinned).
ItemOutcome = Literal["failed", "exited", "skipped", "pinned"]
EtaReason = Literal["queued", "measuring", "paused", "halted"]


class MigrationCreate(RequestBody):
    """``unmapped``: ``fail`` (the execution stays and is reported), ``exit``, or ``to:<action>``."""

    model_config = ConfigDict(extra="forbid")

    from_versions: list[UUID | Annotated[int, Field(ge=1, le=999_999_999)]] = Field(
        min_length=1, max_length=20
    )
    strategy: Strategy = "immediate"
    mapping: dict[ActionId, ActionId] = Field(default_factory=dict, max_length=1000)
    unmapped: Annotated[str, StringConstraints(pattern=UNMAPPED_PATTERN)] = FAIL
    dry_run: bool = False
    batch_size: int = Field(default=5000, ge=100, le=50_000)
    step_percent: float = Field(default=10, gt=0, le=100)
    interval_seconds: int = Field(default=300, ge=1, le=86_400)
    failure_threshold: FailureThreshold = 0.05
    execution_ids: list[UUID] | None = Field(default=None, max_length=MAX_MANUAL)
    contact_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=255)]] | None = Field(
        default=None, max_length=MAX_MANUAL
    )

    @model_validator(mode="after")
    def _ids_only_for_manual(self) -> "MigrationCreate":
        listed = bool(self.execution_ids) or bool(self.contact_ids)
        if self.strategy == "manual" and not listed:
            raise ValueError("a manual migration lists execution_ids or contact_ids")
        if self.strategy != "manual" and listed:
            raise ValueError("execution_ids/contact_ids are for the manual strategy")
        return self


class MigrationResume(RequestBody):
    """The optional body of ``POST …/resume``: a new ``failure_threshold`` from now on."""

    model_config = ConfigDict(extra="forbid")

    failure_threshold: FailureThreshold | None = None


class MigrationHalt(BaseModel):
    """Why a gradual migration paused itself: in ``step``, ``failed`` of the ``processed``
    executions since ``window_started_at`` (the step's start, or the last resume) failed,
    a ``share`` above ``threshold``."""

    step: int
    failed: int
    processed: int
    share: float
    threshold: float
    window_started_at: Timestamp
    halted_at: Timestamp


class PlanRow(BaseModel):
    from_version: int
    from_action: str | None
    to_action: str | None
    outcome: Literal["migrate", "exit", "fail"]
    count: int


class MigrationPublic(BaseModel):
    id: UUID
    workflow_id: UUID
    target_version_id: UUID
    source_version_ids: list[UUID]
    strategy: Strategy
    status: MigrationStatus
    status_reason: str | None
    total: int
    migrated: int
    skipped: int
    failed: int
    rate_per_second: float | None
    eta_seconds: float | None = Field(
        description="seconds left: executions left at the measured rate plus the gradual waits"
        " still ahead; 0 once finished; null while nothing moves (see eta_reason)"
    )
    eta_reason: EtaReason | None = Field(
        default=None,
        description="why eta_seconds is null: queued (not started), measuring (no rate yet),"
        " paused (by hand), halted (by its failure threshold; see halt)",
    )
    step: int
    next_step_at: Timestamp | None = Field(
        default=None, description="when a gradual migration resting between steps starts the next"
    )
    failure_threshold: float
    halt: MigrationHalt | None = Field(
        default=None, description="what a migration halted by its failure threshold halted on"
    )
    created_by: str
    created_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None


class MigrationPlan(BaseModel):
    """The dry run: where every live execution would go, and what the compare warns of."""

    dry_run: Literal[True] = True
    target_version: int
    total: int
    plan: list[PlanRow]
    unmappable: list[PlanRow]
    warnings: list[str]
    impact: ImpactCounts | None = Field(
        default=None,
        description="the impact preview's buckets of these executions (GET …/impact with the same"
        " mapping and policy): the same computation, pinned contacts apart",
    )


def position_map(
    positions: set[str], target_actions: set[str], mapping: dict[str, str], unmapped: str
) -> dict[str, str | None]:
    """Where each source position goes: the explicit mapping, else the same id in the
    target, else the ``unmapped`` policy (``to:<action>``, :data:`EXIT`, or None: fail)."""
    fallback = unmapped[3:] if unmapped.startswith("to:") else (EXIT if unmapped == EXIT else None)
    result: dict[str, str | None] = {}
    for position in positions:
        if position in mapping:
            result[position] = mapping[position]
        elif position in target_actions:
            result[position] = position
        else:
            result[position] = fallback
    return result


def mapping_problems(
    source_actions: set[str], target_actions: set[str], mapping: dict[str, str], unmapped: str
) -> list[str]:
    """Why a mapping cannot be used (names that exist nowhere); empty when it is sound."""
    problems = [
        f"mapping names '{s}', which no source version has" for s in mapping if s not in source_actions
    ]
    problems += [
        f"mapping sends '{s}' to '{t}', which the target lacks"
        for s, t in mapping.items()
        if t not in target_actions
    ]
    if unmapped.startswith("to:") and unmapped[3:] not in target_actions:
        problems.append(f"unmapped policy names '{unmapped[3:]}', which the target lacks")
    return problems


def step_quota(total: int, step_percent: float, step: int) -> int:
    """How many executions a gradual migration may have processed by the end of ``step``."""
    return min(total, math.ceil(total * min(100.0, step_percent * step) / 100))


class MigrationItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    execution_id: UUID
    contact_id: str
    from_version_id: UUID
    from_action_id: str | None
    outcome: ItemOutcome
    reason: str
    created_at: Timestamp


class MigrationItemList(BaseModel):
    items: list[MigrationItemPublic]
    next_cursor: str | None


class MigrationList(BaseModel):
    items: list[MigrationPublic]
