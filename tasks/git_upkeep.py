"""Periodic repository upkeep: pack what libgit2 leaves loose, clear stale lock files."""

import logging

from service.git.upkeep import upkeep_all
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.git_upkeep")


@huey.periodic_task(cron_from_settings(lambda settings: f"*/{settings.git_upkeep_interval_minutes} * * * *"))
@huey.lock_task("git-upkeep")
def upkeep_periodically() -> dict[str, int]:
    return upkeep_now.call_local()  # type: ignore[no-any-return]


@huey.task()
def upkeep_now() -> dict[str, int]:
    """Pack the repositories that have grown and clear stale locks, every tenant."""
    summary = upkeep_all(runtime.container())
    if summary.repacked or summary.cleared:
        log.info(
            "git upkeep: %d repository(ies) packed, %d stale file(s) cleared",
            summary.repacked,
            summary.cleared,
        )
    return {
        "repositories": summary.repositories,
        "repacked": summary.repacked,
        "cleared": summary.cleared,
        "errors": len(summary.errors),
    }
