"""The daily expiry of the journey (``WFV_JOURNEY_EXPIRY_CRON``, 03:30 UTC by default):
drops what is older than ``WFV_JOURNEY_RETENTION_DAYS`` and, on PostgreSQL, makes the
partitions of the week ahead. Idempotent: a second run the same day drops nothing."""

from service.journeys.retention import expire
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey


@huey.periodic_task(cron_from_settings(lambda settings: settings.journey_expiry_cron))
@huey.lock_task("journey-expiry")
def expire_journeys() -> int:
    return expire(runtime.container())
