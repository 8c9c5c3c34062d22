"""The daily expiry of the journey (``WFV_JOURNEY_EXPIRY_CRON``): everything older than
``WFV_JOURNEY_RETENTION_DAYS`` goes, every tenant's at once.

One unit with no tenant, as the idempotency sweep's: the statement is tenant-blind by
design. On PostgreSQL the service's role sees no journey row outside a tenant, so the work
is the schema owner's function's (``SECURITY DEFINER``), which also makes the partitions
of the days ahead; on SQLite there is no row-level security to step around."""

import logging

from indexer import journey_reads as rows
from service.uow import Services

log = logging.getLogger("wfv.journeys")


def expire(services: Services) -> int:
    """Drop the expired journey; returns partitions dropped (PostgreSQL) or rows deleted
    (SQLite), and says so in a log line."""
    keep_days = services.settings.journey_retention_days
    with services.uow(None, write=True) as uow:
        gone = rows.expire(uow.session, keep_days, services.clock())
        uow.commit()
    what = "partition(s)" if services.settings.resolved_database_url.startswith("postgresql") else "row(s)"
    log.info("journey expiry: kept %d day(s), dropped %d %s", keep_days, gone, what)
    return gone
