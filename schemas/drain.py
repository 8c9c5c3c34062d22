"""How fast a version empties: the pure rule that turns a version's live executions and
its departures over the last 24 hours into a rate and a projected time it will be empty,
and the API model that carries them (versions list, version detail, archival candidates).

Why a projection at all: a version can be archived only once its last contact has left
(``schemas.archival.KeptBy.LIVE_EXECUTIONS``), and an operator deciding whether to migrate
the stragglers or wait needs "empty by Friday at this pace", not a bare count.

What counts as a departure (an execution that reached a terminal status, or one a
migration moved to another version) is the index's to count
(``indexer.departures``); this module only does the arithmetic, with no I/O.
"""

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from schemas.timestamps import Timestamp

# The window the rate is measured over: long enough to smooth a daily rhythm (a wait of one
# day releases its contacts in the morning), short enough to follow a migration's pace.
WINDOW = timedelta(hours=24)

DrainState = Literal["enrolling", "draining", "not_draining", "empty"]


class VersionDrain(BaseModel):
    """A version's pace of emptying, measured over the last 24 hours."""

    state: DrainState = Field(
        description="enrolling: new contacts still enrol on it (the current version, a rollout's"
        " target; no projection); empty: no live executions; draining: live executions and"
        " some left in the last 24 hours;"
        " not_draining: live executions and none left in the last 24 hours"
    )
    departed: int = Field(
        description="executions of this version that left in the last 24 hours: reached"
        " completed, exited or failed, or were moved to another version by a migration"
    )
    rate_per_hour: float = Field(description="departed / 24, rounded to two decimals")
    empty_by: Timestamp | None = Field(
        description="now + live executions / rate: when the version will be empty at this pace;"
        " null unless the state is draining"
    )


def project(*, live: int, departed: int, enrolling: bool, now: datetime) -> VersionDrain:
    """The drain of one version at ``now``.

    A version new contacts enrol on (the current one, and a guarded rollout's target while
    the rollout is not over) is never "draining": contacts still arrive, so its live count
    is not a stock that only falls, and a projection from it would be a promise it cannot
    keep. Its departures and rate are still shown (a fact about the window), its
    ``empty_by`` is null. For every other version, ``empty_by`` is ``now + live / rate``
    (whole seconds, the clock of record's grain), null when nothing is live (``empty``) or
    nothing left in the window (``not_draining``: at a rate of zero it never empties).
    """
    rate = round(departed * 3600 / WINDOW.total_seconds(), 2)
    if enrolling:
        return VersionDrain(state="enrolling", departed=departed, rate_per_hour=rate, empty_by=None)
    if live == 0:
        return VersionDrain(state="empty", departed=departed, rate_per_hour=rate, empty_by=None)
    if departed == 0:
        return VersionDrain(state="not_draining", departed=0, rate_per_hour=0.0, empty_by=None)
    # From the exact count, not the rounded rate: live / (departed / window).
    seconds = round(live * WINDOW.total_seconds() / departed)
    return VersionDrain(
        state="draining", departed=departed, rate_per_hour=rate, empty_by=now + timedelta(seconds=seconds)
    )
