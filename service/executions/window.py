"""A migration's current window: the stretch of batches its halt rule judges and its rate
is measured over.

A window opens with the first batch of a gradual step, of a resumed run, or of the whole
migration, and closes when the step ends, the migration halts, is paused or cancelled, or
finishes. Why windows and not the whole run: a cumulative failure share never forgets,
so after a halt at 52% failures a resume moved one more batch and halted again, however
clean that batch was; and a rate over the whole run counts the hour between two gradual
steps as work. Judging the current window, a resume is a fresh start (with, if asked, a
new threshold) and a step is judged on its own executions.

The halt rule applies to gradual migrations (an immediate or manual one shows its plan,
unmappable executions included, before it starts, and reports every failure as an item):
the window's share of failed executions, once the window holds :data:`MIN_SAMPLE`
executions or its whole step, above ``failure_threshold`` pauses the migration.
"""

from datetime import datetime
from typing import Any

from indexer.models import VersionMigration
from schemas.migrations import step_quota
from schemas.timestamps import rfc3339

# Executions a window needs before its share is judged (unless its step is complete):
# two failures in the first three executions say little about a step of thousands.
MIN_SAMPLE = 20


def processed(migration: VersionMigration) -> int:
    return migration.migrated + migration.failed + migration.skipped


def open_window(migration: VersionMigration, now: datetime) -> None:
    """Start judging from here (no-op while a window is open); a step that starts is no
    longer waited for."""
    if migration.window_started_at is not None:
        return
    migration.window_started_at = now
    migration.window_processed = processed(migration)
    migration.window_failed = migration.failed
    migration.next_step_at = None


def close_window(migration: VersionMigration, now: datetime) -> None:
    """Add the window's time to the active time (no-op when none is open)."""
    if migration.window_started_at is None:
        return
    migration.active_seconds += max(0.0, (now - migration.window_started_at).total_seconds())
    migration.window_started_at = None


def active_seconds(migration: VersionMigration, now: datetime) -> float:
    """Time spent running batches' windows so far, the open one included."""
    open_for = (now - migration.window_started_at).total_seconds() if migration.window_started_at else 0.0
    return migration.active_seconds + max(0.0, open_for)


def threshold(migration: VersionMigration) -> float:
    return float(migration.options["failure_threshold"])


def halt_if_failing(migration: VersionMigration, now: datetime) -> dict[str, Any] | None:
    """Pause a gradual migration whose window fails too often; returns what it halted on
    (kept on the row as ``halt``: step, counts, share, threshold), else None."""
    if migration.strategy != "gradual" or migration.window_started_at is None:
        return None
    seen = processed(migration) - migration.window_processed
    failed = migration.failed - migration.window_failed
    quota = step_quota(migration.total, float(migration.options["step_percent"]), migration.step)
    judged = seen >= MIN_SAMPLE or (seen > 0 and processed(migration) >= quota)
    limit = threshold(migration)
    if not judged or failed / seen <= limit:
        return None
    halt: dict[str, Any] = {
        "step": migration.step,
        "failed": failed,
        "processed": seen,
        "share": round(failed / seen, 4),
        "threshold": limit,
        "window_started_at": rfc3339(migration.window_started_at),
        "halted_at": rfc3339(now),
    }
    close_window(migration, now)
    migration.status, migration.halt = "paused", halt
    migration.status_reason = (
        f"halted in step {migration.step}: {failed} of {seen} executions failed"
        f" ({failed / seen:.0%} > threshold {limit * 100:g}%)"
    )
    return halt
