"""Scheduled archival (``WFV_ARCHIVAL_CRON``, daily at 03:00 UTC by default): every
tenant in turn. The Huey lock keeps a second scheduler's copy from starting at all (it
fails fast); the run rows in the database are the guard across queues and hosts."""

import logging
import threading
import uuid

from service.archival.runs import carry_on, run_all_tenants, running_run_id
from service.healing.scan import known_tenants
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.archival")


@huey.periodic_task(cron_from_settings(lambda settings: settings.archival_cron))
@huey.lock_task("archive-versions")
def archive_versions_periodically() -> dict[str, int]:
    """Archive, in every tenant, what the retention policy allows."""
    container = runtime.container()
    archived = run_all_tenants(container, sorted(known_tenants(container)), trigger="scheduled")
    log.info("archival: %d version(s) archived in %d tenant(s)", sum(archived.values()), len(archived))
    return archived


@huey.task()
def resume_archival(tenant: str, run_id: str) -> int:
    """Carry on a run a killed worker left ``running``; returns what it archived in all."""
    return carry_on(runtime.container(), tenant, uuid.UUID(run_id)).archived


_resumed = threading.Lock()


@huey.on_startup()
def resume_archival_on_startup() -> None:
    """A consumer that starts (again) carries on the runs a killed worker left: a scheduled
    run would refuse them for ``STALE_AFTER``, and the next one may be a day away. Once per
    process (the hook runs in every worker thread)."""
    if huey.immediate or not _resumed.acquire(blocking=False):
        return
    container = runtime.container()
    for tenant in sorted(known_tenants(container)):
        run_id = running_run_id(container, tenant)
        if run_id is not None:
            log.warning("resuming archival run %s of %s", run_id, tenant)
            resume_archival(tenant, str(run_id))
