"""The guards of a rollout: how a version's executions of a window ended (``Outcomes``),
the policy a rollout is guarded by (``GuardPolicy``) and the guard's decision
(``GuardVerdict``). Plain models, no I/O: the index fills ``Outcomes``, the service judges
(``service.rollouts.guards``), the API shows all three."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

Count = Annotated[int, Field(ge=0)]
# Absolute percentage points as a share: 0.05 is "5 points worse".
Margin = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
GuardRate = Literal["failure", "exit"]
GuardState = Literal["waiting_for_sample", "within_margin", "halt"]


class Outcomes(BaseModel):
    """One version's executions enrolled in a window, by where they are now.

    The rates are shares of the *enrolled* executions (``failed / enrolled``), not of the
    finished ones: see ``service.rollouts.guards`` for why."""

    model_config = ConfigDict(frozen=True)

    completed: Count = 0
    exited: Count = 0
    failed: Count = 0
    live: Count = Field(default=0, description="still active or waiting")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def enrolled(self) -> int:
        return self.completed + self.exited + self.failed + self.live

    @computed_field  # type: ignore[prop-decorator]
    @property
    def finished(self) -> int:
        return self.completed + self.exited + self.failed

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failure_rate(self) -> float:
        """The share of the window's enrolled executions that failed (0 with none)."""
        return self.failed / self.enrolled if self.enrolled else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_rate(self) -> float:
        """The share of the window's enrolled executions that exited (0 with none)."""
        return self.exited / self.enrolled if self.enrolled else 0.0

    def rate(self, which: GuardRate) -> float:
        return self.failure_rate if which == "failure" else self.exit_rate


class GuardPolicy(BaseModel):
    """When a rollout halts itself.

    ``failure_margin`` / ``exit_margin``: how much higher (in absolute points, 0.05 = five
    points) the new version's failure / exit rate may be than the baseline's before the
    rollout halts. ``min_sample``: executions each side must have enrolled in the window
    before either rate is judged. ``confidence`` (optional): also require that a one-sided
    two-proportion z-test puts the excess over the margin at this confidence, so a small
    sample's noise does not halt a good version; without it the rule is the margins alone.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    failure_margin: Margin = 0.05
    exit_margin: Margin = 0.05
    min_sample: int = Field(default=100, ge=1, le=1_000_000)
    confidence: float | None = Field(default=None, ge=0.5, le=0.999, allow_inf_nan=False)


class GuardVerdict(BaseModel):
    """What one check decided, with the numbers it decided on.

    ``state``: ``waiting_for_sample`` (a side has fewer than ``min_sample`` executions in
    the window: nothing judged), ``within_margin`` (judged, no halt) or ``halt``. ``rate``
    names the rate that halted it (failures are judged first)."""

    model_config = ConfigDict(frozen=True)

    halt: bool
    state: GuardState
    rate: GuardRate | None = None
    target: Outcomes
    baseline: Outcomes
    policy: GuardPolicy
    reason: str
