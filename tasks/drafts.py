"""Draft upkeep on Huey: the write-behind of Redis drafts into the database, and the daily
removal of drafts nobody saved for ``WFV_DRAFT_RETENTION_DAYS``.

Huey's periodic tasks tick once a minute, too slow for a write-behind: a save that dirties
Redis schedules ``flush_drafts`` ``WFV_DRAFT_FLUSH_SECONDS`` ahead (once per interval: a
flag in Redis deduplicates), and the minute sweep catches any schedule that was lost.
When the queue answers again after an outage, a flush is queued at once: the one a save
scheduled may have been taken and failed on the outage, leaving the flag set (for up to
30 s, kept by Redis's append-only file) so that no save schedules another.
"""

import logging
from collections.abc import Callable

from huey import crontab

from service.drafts.upkeep import delete_stale_drafts, flush_dirty
from service.settings import Settings
from tasks import runtime
from tasks.queue import huey, on_queue_back

log = logging.getLogger("wfv.tasks.drafts")


@huey.task()
def flush_drafts() -> dict[str, int]:
    """Copy every dirty Redis draft into the database."""
    summary = flush_dirty(runtime.container())
    if summary.written or summary.dropped:
        log.info("draft write-behind: %d written, %d dropped", summary.written, summary.dropped)
    return {"written": summary.written, "dropped": summary.dropped, "gone": summary.gone}


@on_queue_back
def flush_drafts_after_queue_outage() -> None:
    """The queue is back: copy what was saved before and during the outage now, not at the
    minute sweep (the chaos run caught an acknowledged save still only in Redis 15 s on)."""
    flush_drafts()


@huey.periodic_task(crontab())
def sweep_drafts() -> dict[str, int]:
    """Every minute: flush what a lost schedule (a crashed API node) left dirty."""
    return flush_drafts.call_local()  # type: ignore[no-any-return]


@huey.periodic_task(crontab(hour="3", minute="41"))
@huey.lock_task("delete-stale-drafts")
def delete_stale_drafts_daily() -> int:
    container = runtime.container()
    return delete_stale_drafts(container, container.clock())


def flush_scheduler(settings: Settings) -> Callable[[], None]:
    """What ``wfv serve`` gives the app: flush the drafts a save just dirtied,
    ``WFV_DRAFT_FLUSH_SECONDS`` later."""

    def schedule_flush() -> None:
        flush_drafts.schedule(delay=settings.draft_flush_seconds)

    return schedule_flush
