"""Migration batches on Huey: the runner re-enqueues itself while work remains (so a
migration never holds a worker for long), a periodic watchdog resumes a runner whose
worker died, and a consumer that starts, or sees the queue come back after an outage,
resumes whatever was left running. Running a
migration twice at once is harmless: batches take the migration's row lock in turn."""

import logging
import uuid

from huey import crontab

from service import jobs
from service.migration_runner import interval_of, run_batches, stalled
from service.reindex import known_tenants
from tasks import runtime
from tasks.queue import huey, on_queue_back

log = logging.getLogger("wfv.tasks.migrations")


@huey.task()
def run_migration(tenant_id: str, migration_id: str) -> str:
    container = runtime.container()
    key = uuid.UUID(migration_id)
    outcome = run_batches(container, tenant_id, key)
    if outcome == "more":
        run_migration(tenant_id, migration_id)
    elif outcome == "wait":
        jobs.run_migration(tenant_id, key, delay=interval_of(container, tenant_id, key))
    return outcome


def _resume(older_than_seconds: float) -> int:
    container = runtime.container()
    resumed = 0
    for tenant in known_tenants(container):
        for migration_id in stalled(container, tenant, older_than_seconds):
            log.warning("resuming stalled migration %s of %s", migration_id, tenant)
            run_migration(tenant, str(migration_id))
            resumed += 1
    return resumed


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("resume-stalled-migrations")
def resume_stalled_migrations() -> int:
    """Every minute: runners whose heartbeat stopped (a killed worker) are enqueued again."""
    return _resume(runtime.container().settings.migration_watchdog_seconds)


@huey.on_startup()
def resume_on_startup() -> None:
    """A consumer that starts (again) picks up migrations left running."""
    if not huey.immediate:
        _resume(0)


@on_queue_back
def resume_after_queue_outage() -> None:
    """The queue came back, maybe empty: the runners it held (queued, or chained by a
    running migration) may be gone, so every unfinished migration is enqueued again, as at
    start-up. A runner that survived meets its twin at the migration's row lock: harmless."""
    _resume(0)
