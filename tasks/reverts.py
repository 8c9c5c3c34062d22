"""Migration reverts on Huey: the runner re-enqueues itself while batches remain, a
periodic watchdog resumes a revert whose worker died, and a consumer that starts resumes
whatever was left queued or running, each time as a new chain (a new generation,
``service.executions.revert_runner``) so a surviving job of the old chain exits.

Outages are ridden out in place with the migration runner's backoff (``patiently``); any
other error ends the revert ``failed``."""

import logging
import threading
import uuid

from huey import crontab

from service.executions.revert_runner import fail_revert, new_chain, run_batches, stalled
from service.healing.scan import known_tenants
from service.transient import is_transient
from tasks import runtime
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


def _resume(older_than_seconds: float) -> int:
    container = runtime.container()
    resumed = 0
    for tenant in known_tenants(container):
        for revert_id in stalled(container, tenant, older_than_seconds):
            generation = new_chain(container, tenant, revert_id)
            if generation is None:
                continue
            log.warning("resuming stalled revert %s of %s (generation %d)", revert_id, tenant, generation)
            run_revert(tenant, str(revert_id), generation)
            resumed += 1
    return resumed


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("resume-stalled-reverts")
def resume_stalled_reverts() -> int:
    """Every minute: reverts whose heartbeat stopped (a killed worker) are enqueued again."""
    return _resume(runtime.container().settings.migration_watchdog_seconds)


_STARTUP = threading.Lock()
_RESUMED_AT_STARTUP = threading.Event()


@huey.on_startup()
def resume_reverts_on_startup() -> None:
    """A consumer that starts picks up reverts left queued or running, once per process."""
    if huey.immediate:
        return
    with _STARTUP:
        if not _RESUMED_AT_STARTUP.is_set():
            _resume(0)
            _RESUMED_AT_STARTUP.set()
