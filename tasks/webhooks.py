"""Webhook deliveries on Huey: one attempt per job (``service.webhooks.delivery``); the
sweep (``WFV_WEBHOOK_SWEEP_CRON``, every minute by default) queues whatever is due and
lost its job; a consumer that starts queues every open delivery for when it is due (the
jobs a killed worker held are gone with it)."""

import logging
import threading
import uuid

from service.healing.scan import known_tenants
from service.webhooks.delivery import deliver, schedule_open, sweep
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey, on_queue_back

log = logging.getLogger("wfv.tasks.webhooks")


@huey.task()
def deliver_webhook(tenant_id: str, delivery_id: str) -> str:
    """One attempt of a delivery, if it is due (another job may have made it already)."""
    return deliver(runtime.container(), tenant_id, uuid.UUID(delivery_id))


@huey.periodic_task(cron_from_settings(lambda settings: settings.webhook_sweep_cron))
@huey.lock_task("sweep-webhook-deliveries")
def sweep_webhook_deliveries() -> int:
    """Queue the deliveries that are due: the record is the database, the queue a fast path."""
    container = runtime.container()
    return sweep(container, sorted(known_tenants(container)))


_started = threading.Lock()


@huey.on_startup()
def schedule_webhooks_on_startup() -> None:
    """Once per process (the hook runs in every worker thread): every open delivery is
    queued for when it is due, a claim a killed worker left behind for when it runs out."""
    if huey.immediate or not _started.acquire(blocking=False):
        return
    container = runtime.container()
    scheduled = schedule_open(container, sorted(known_tenants(container)))
    if scheduled:
        log.info("%d open webhook delivery(ies) queued at start-up", scheduled)


@on_queue_back
def schedule_webhooks_after_queue_outage() -> None:
    """The queue came back, maybe empty: the deliveries it held are queued again."""
    container = runtime.container()
    schedule_open(container, sorted(known_tenants(container)))
