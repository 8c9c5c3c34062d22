"""Scheduled archival (``WFV_ARCHIVAL_CRON``, daily at 03:00 UTC by default): every
tenant in turn. The Huey lock keeps a second scheduler's copy from starting at all (it
fails fast); the run rows in the database are the guard across queues and hosts."""

import logging

from huey import crontab

from service.archival import run_all_tenants
from service.reindex import known_tenants
from service.settings import Settings
from tasks import runtime
from tasks.queue import huey

log = logging.getLogger("wfv.tasks.archival")
SCHEDULE = crontab(*Settings().archival_cron.split())


@huey.periodic_task(SCHEDULE)
@huey.lock_task("archive-versions")
def archive_versions_periodically() -> dict[str, int]:
    """Archive, in every tenant, what the retention policy allows."""
    container = runtime.container()
    archived = run_all_tenants(container, sorted(known_tenants(container)), trigger="scheduled")
    log.info("archival: %d version(s) archived in %d tenant(s)", sum(archived.values()), len(archived))
    return archived
