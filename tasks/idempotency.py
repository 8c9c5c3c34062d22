"""The sweep of idempotency keys past ``WFV_IDEMPOTENCY_TTL_SECONDS``, on
``WFV_IDEMPOTENCY_SWEEP_CRON``. A key past its time is already treated as absent by every
lookup: the sweep only keeps the table from growing."""

from service.idempotency import expire
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey


@huey.periodic_task(cron_from_settings(lambda settings: settings.idempotency_sweep_cron))
@huey.lock_task("idempotency-sweep")
def expire_idempotency_keys() -> int:
    return expire(runtime.container())
