"""Periodic healing of every workflow whose git is ahead of the index, the watch for refs
moved behind the service's back (``service.healing.ref_sweep``), and retention kept in SQL only
written into git (``service.archival.backfill``)."""

import logging

from service.archival.backfill import backfill_states
from service.healing.ref_sweep import sweep_moved_refs
from service.healing.scan import reconcile_all
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.reconcile")


@huey.periodic_task(cron_from_settings(lambda settings: f"*/{settings.reconcile_interval_minutes} * * * *"))
@huey.lock_task("reconcile-all")
def reconcile_periodically() -> dict[str, int]:
    return reconcile_now.call_local()  # type: ignore[no-any-return]


@huey.task()
def reconcile_now() -> dict[str, int]:
    """Index what git has and the index lacks, then look for refs moved by hand."""
    container = runtime.container()
    summary = reconcile_all(container)
    for error in summary.errors:
        log.error("reconcile: %s", error)
    if summary.versions_changed or summary.workflows_created:
        log.warning(
            "reconcile healed %d version(s), %d workflow(s)",
            summary.versions_changed,
            summary.workflows_created,
        )
    if summary.meta_rewritten:
        log.warning("reconcile rewrote the name or deletion of %d repository(ies)", summary.meta_rewritten)
    moved = sweep_moved_refs(container)
    backfilled = backfill_states(container)
    if backfilled:
        log.warning("reconcile wrote the retention of %d workflow(s) into git", backfilled)
    return {
        "repositories": summary.repositories,
        "workflows_created": summary.workflows_created,
        "versions_changed": summary.versions_changed,
        "errors": len(summary.errors),
        "meta_rewritten": summary.meta_rewritten,
        "refs_moved": len(moved),
        "states_backfilled": backfilled,
    }
