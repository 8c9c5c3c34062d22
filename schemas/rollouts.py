"""Guarded rollouts: the request and answer models, the bounds of a ramp, and the line a
rollout's record takes in its git note (``refs/notes/rollouts``).

A rollout sends a share of *new* enrolments to a draft (the target) while the current
version (the baseline) stays current; the share follows ``steps``, and past the last step
the target is published. The last step must be 100%: its time is a bake at full share,
still guarded, before the publish (``promote`` skips ahead to the publish).
"""

import itertools
import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.executions import ContactId
from schemas.rollout_guards import GuardPolicy, GuardVerdict
from schemas.text import RequestBody
from schemas.timestamps import Timestamp

RolloutState = Literal["running", "paused", "halted", "published", "aborted"]
ACTIVE: tuple[RolloutState, ...] = ("running", "paused", "halted")
MAX_STEPS = 20
MAX_STEP_SECONDS = 30 * 86_400
MAX_COHORT = 1000


class RolloutStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    percent: int = Field(ge=1, le=100, description="share of new enrolments on the target")
    seconds: int = Field(ge=1, le=MAX_STEP_SECONDS, description="how long the step lasts")


class RolloutGuard(GuardPolicy):
    """What halts the rollout by itself: the guards' policy (``schemas.rollout_guards``:
    the target's failure or exit rate worse than the baseline's by more than the margin,
    with at least ``min_sample`` executions enrolled on each side in the current step), and
    ``migrate_back``: on a halt, move the target's live contacts back to the baseline by
    action id (``GET …/rollout/migrate-back`` shows that migration's dry run first)."""

    migrate_back: bool = False


class RolloutCreate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    steps: list[RolloutStep] = Field(min_length=1, max_length=MAX_STEPS)
    cohort: list[ContactId] = Field(default_factory=list, max_length=MAX_COHORT)
    guard: RolloutGuard = Field(default_factory=RolloutGuard)

    @model_validator(mode="after")
    def _a_ramp_to_100(self) -> "RolloutCreate":
        percents = [step.percent for step in self.steps]
        if any(b <= a for a, b in itertools.pairwise(percents)):
            raise ValueError(f"step percents must increase strictly, got {percents}")
        if percents[-1] != 100:
            raise ValueError(
                "the last step must be 100 (a bake at full share; the version is published when it ends)"
            )
        self.cohort = list(dict.fromkeys(self.cohort))
        return self


class RolloutVersion(BaseModel):
    version_id: UUID
    version_number: int


class VersionEnrolments(RolloutVersion):
    """Executions enrolled on a version since the rollout started, and how they ended."""

    enrolled: int
    completed: int
    exited: int
    failed: int


class RolloutPublic(BaseModel):
    id: UUID
    workflow_id: UUID
    state: RolloutState
    target: RolloutVersion
    baseline: RolloutVersion
    steps: list[RolloutStep]
    step_index: int
    percent: int = Field(description="the current step's percent")
    share: int = Field(description="percent of new enrolments the target gets now (0 when halted)")
    step_started_at: Timestamp
    next_step_at: Timestamp | None
    cohort_size: int
    guard: RolloutGuard
    guard_verdict: GuardVerdict | None = Field(
        description="the guards' judgement of the current step now (None once the rollout is over)"
    )
    halted_reason: dict[str, Any] | None
    enrolments: list[VersionEnrolments]
    created_by: str
    created_at: Timestamp
    updated_at: Timestamp
    finished_at: Timestamp | None


# --- the git note --------------------------------------------------------------------

LINE_PREFIX = "[rollout_"


class RolloutRecord(BaseModel):
    """One rollout as a line of its note tells it: wfv's own values only (ids, numbers,
    states, times, the token-vouched actor), never a contact id: the cohort is a count."""

    model_config = ConfigDict(extra="forbid")

    event: str
    id: UUID
    revision: int = Field(ge=1)
    at: datetime
    by: str
    target_version_id: UUID
    target: int
    baseline_version_id: UUID
    baseline: int
    state: RolloutState
    steps: list[RolloutStep]
    step_index: int = Field(ge=0)
    step_started_at: datetime
    next_step_at: datetime | None
    cohort_size: int = Field(ge=0)
    guard: RolloutGuard
    halted_reason: dict[str, Any] | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    def note_line(self) -> str:
        """``[rollout_step] v3 25% running {json}``: a reader's summary, then the record as
        ASCII JSON on the same line (escaped, so no value can break the line)."""
        data = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=True)
        percent = self.steps[self.step_index].percent
        return f"[{self.event}] v{self.target} {percent}% {self.state} {data}"


def parse_note(text: str) -> list[RolloutRecord]:
    """The records of a note, in order; lines that are not a record wfv wrote are skipped."""
    found = []
    for line in text.splitlines():
        if not line.startswith(LINE_PREFIX) or " {" not in line:
            continue
        try:
            found.append(RolloutRecord.model_validate(json.loads(line[line.index(" {") + 1 :])))
        except (ValueError, ValidationError):
            continue
    return found
