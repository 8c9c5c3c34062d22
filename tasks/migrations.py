"""Migration batches on Huey: the runner re-enqueues itself while work remains (so a
migration never holds a worker for long), a periodic watchdog resumes a runner whose
worker died, and a consumer that starts, or sees the queue come back after an outage
(emptied or not), resumes whatever was left running. Each resume starts a new chain (a
new generation, ``service.executions.runner``): a job of the chain it replaces, if it
survived, exits when it runs, so one migration is never driven by two chains.

An error that is no outage (one that trying again would meet again) ends the migration
``failed`` (``service.executions.runner.fail_migration``). An outage does not end a
runner: a batch, or the enqueueing of its successor, that fails because the database or
the queue is away is tried again in place with backoff (capped at a second), so the
migration moves again within about a second of their return instead of waiting for the
watchdog."""

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from huey import crontab
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_exponential, wait_random

from service.executions.runner import (
    adopt,
    fail_migration,
    new_chain,
    run_batches,
    seconds_to_next_step,
    stalled,
)
from service.transient import is_transient
from tasks import runtime
from tasks.chains import Chains
from tasks.queue import huey, on_queue_back

log = logging.getLogger("wfv.tasks.migrations")
T = TypeVar("T")
# Backoff between tries: from 50 ms, doubling, never more than a second apart, so a
# returning database or queue is noticed within a second.
_FIRST_WAIT, _LONGEST_WAIT = 0.05, 1.0


def patiently(what: str, action: Callable[[], T], for_seconds: float) -> T:
    """``action()``, tried again while it fails on an outage, for up to ``for_seconds``."""
    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        wait=wait_exponential(multiplier=_FIRST_WAIT, max=_LONGEST_WAIT) + wait_random(0, _FIRST_WAIT),
        stop=stop_after_delay(for_seconds),
        before_sleep=lambda state: log.warning(
            "%s failed (try %d), trying again: %s",
            what,
            state.attempt_number,
            state.outcome.exception() if state.outcome else None,
        ),
        reraise=True,
    )
    return retrying(action)


@huey.task()
def run_migration(tenant_id: str, migration_id: str, generation: int | None = None) -> str:
    """One job of the chain ``generation``; its successor carries the same. A job without
    one was queued before revision 0013 (``service.executions.runner.adopt``)."""
    container = runtime.container()
    key = uuid.UUID(migration_id)
    window = container.settings.migration_retry_seconds
    if generation is None:
        adopted = patiently(
            "adopting a runner from before generations", lambda: adopt(container, tenant_id, key), window
        )
        if adopted is None:
            return "stale"
        generation = adopted
    chain = generation
    try:
        outcome = patiently(
            "a migration batch", lambda: run_batches(container, tenant_id, key, generation=chain), window
        )
    except Exception as exc:
        if is_transient(exc):
            raise  # an outage that outlasted the window: the watchdog resumes it
        log.exception("migration %s of %s failed", migration_id, tenant_id)
        error = exc
        ended = patiently(
            "recording the migration's failure",
            lambda: fail_migration(container, tenant_id, key, generation=chain, error=error),
            window,
        )
        return "failed" if ended else "stale"
    if outcome == "more":
        patiently("enqueueing the next batch", lambda: run_migration(tenant_id, migration_id, chain), window)
    elif outcome == "wait":
        delay = patiently(
            "reading when the next step is due",
            lambda: seconds_to_next_step(container, tenant_id, key),
            window,
        )
        patiently(
            "scheduling the next step",
            lambda: run_migration.schedule(args=(tenant_id, migration_id, chain), delay=delay),
            window,
        )
    return outcome


MIGRATIONS = Chains("migration", stalled, new_chain, run_migration)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("resume-stalled-migrations")
def resume_stalled_migrations() -> int:
    """Every minute: runners whose heartbeat stopped (a killed worker) are enqueued again."""
    return MIGRATIONS.resume(runtime.container().settings.migration_watchdog_seconds)


@huey.on_startup()
def resume_on_startup() -> None:
    """A consumer that starts (again) picks up migrations left running, once per process."""
    MIGRATIONS.resume_at_startup()


@on_queue_back
def resume_after_queue_outage() -> None:
    """The queue came back, maybe empty: the runners it held (queued, or chained by a
    running migration) may be gone, so every unfinished migration is enqueued again, as at
    start-up, as a new chain: a runner that survived exits at its next job."""
    MIGRATIONS.resume(0)
