"""How long a migration has left: everything, not just its batches.

The ETA is the executions left at the measured rate plus the gradual waits still ahead
(the rest of the current pause between steps, then one ``interval_seconds`` before each
step after it). The rate counts only time inside windows (``service.executions.window``),
so an hour's pause between two steps does not pass for slow batches. While nothing
moves by itself there is no honest number: the ETA is None and ``eta_reason`` says why.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from indexer.models import VersionMigration
from schemas.migrations import TERMINAL, EtaReason, step_quota
from service.executions.window import active_seconds, processed


@dataclass(frozen=True)
class Estimate:
    rate_per_second: float | None
    eta_seconds: float | None
    eta_reason: EtaReason | None


def last_step(total: int, step_percent: float) -> int:
    """The first gradual step whose quota is the whole migration: the smallest ``k`` with
    ``ceil(total * step_percent * k / 100) >= total``, solved directly (a tiny percentage
    means a million steps) and then checked against :func:`step_quota` itself."""
    if total <= 0:
        return 1
    k = max(1, min(math.ceil(100 / step_percent), math.floor((total - 1) * 100 / (total * step_percent)) + 1))
    while k > 1 and step_quota(total, step_percent, k - 1) >= total:
        k -= 1
    while step_quota(total, step_percent, k) < total:
        k += 1
    return k


def waits_left(migration: VersionMigration, now: datetime) -> float:
    """Seconds of gradual pauses still ahead: the one under way (if resting), then one
    interval before each later step. While resting, ``step`` is already the next step."""
    if migration.strategy != "gradual":
        return 0.0
    options = migration.options
    interval = float(options["interval_seconds"])
    later_steps = max(0, last_step(migration.total, float(options["step_percent"])) - migration.step)
    resting = 0.0
    if migration.next_step_at is not None:
        resting = max(0.0, (migration.next_step_at - now).total_seconds())
    return resting + interval * later_steps


def estimate(migration: VersionMigration, now: datetime) -> Estimate:
    done = processed(migration)
    measured = done / max(active_seconds(migration, now), 1.0) if done else 0.0
    rate = round(measured, 1) if done else None
    if migration.status in TERMINAL:
        return Estimate(rate, 0.0, None)
    if migration.status == "queued":
        return Estimate(rate, None, "queued")
    if migration.status == "paused":
        return Estimate(rate, None, "halted" if migration.halt else "paused")
    if not measured:
        return Estimate(rate, None, "measuring")
    left = max(0, migration.total - done)
    return Estimate(rate, round(left / measured + waits_left(migration, now), 1), None)
