"""Migration reverts on Huey: the runner re-enqueues itself while batches remain, a
periodic watchdog resumes a revert whose worker died, and a consumer that starts resumes
whatever was left queued or running, each time as a new chain (a new generation,
``service.executions.revert_runner``) so a surviving job of the old chain exits.

Outages are ridden out in place with the migration runner's backoff (``patiently``); any
other error ends the revert ``failed``."""

import logging
import uuid

from huey import crontab

from service.executions.revert_runner import fail_revert, new_chain, run_batches, stalled
from service.transient import is_transient
from tasks import runtime
from tasks.chains import Chains
from tasks.migrations import patiently
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.reverts")


@huey.task()
def run_revert(tenant_id: str, revert_id: str, generation: int) -> str:
    """One job of the chain ``generation``; its successor carries the same."""
    container = runtime.container()
    key = uuid.UUID(revert_id)
    window = container.settings.migration_retry_seconds
    try:
        outcome = patiently(
            "a revert batch", lambda: run_batches(container, tenant_id, key, generation=generation), window
        )
    except Exception as exc:
        if is_transient(exc):
            raise  # an outage that outlasted the window: the watchdog resumes it
        log.exception("revert %s of %s failed", revert_id, tenant_id)
        error = exc
        ended = patiently(
            "recording the revert's failure",
            lambda: fail_revert(container, tenant_id, key, generation=generation, error=error),
            window,
        )
        return "failed" if ended else "stale"
    if outcome == "more":
        patiently("enqueueing the next batch", lambda: run_revert(tenant_id, revert_id, generation), window)
    return outcome


REVERTS = Chains("revert", stalled, new_chain, run_revert)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("resume-stalled-reverts")
def resume_stalled_reverts() -> int:
    """Every minute: reverts whose heartbeat stopped (a killed worker) are enqueued again."""
    return REVERTS.resume(runtime.container().settings.migration_watchdog_seconds)


@huey.on_startup()
def resume_reverts_on_startup() -> None:
    """A consumer that starts picks up reverts left queued or running, once per process."""
    REVERTS.resume_at_startup()
