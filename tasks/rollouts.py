"""The guarded rollouts' schedule on Huey (``service.rollouts.schedule``): a job queued
for the moment of each next step (punctual steps), a periodic look for due rollouts
(``WFV_ROLLOUT_SCHEDULE_CRON``, every minute by default) under it, and a consumer that
starts takes the steps that fell due while no worker ran and queues the rest. The row is
the state: however many of these ask, each step is taken once."""

import logging
import threading
import uuid

from service.healing.scan import known_tenants
from service.rollouts.schedule import advance_due, advance_one, pending_steps
from tasks import runtime
from tasks.periodic import cron_from_settings
from tasks.queue import huey, on_queue_back

log = logging.getLogger("wfv.tasks.rollouts")


@huey.task()
def advance_rollout(tenant_id: str, rollout_id: str) -> str:
    """The next step of one rollout, if it is due (a job early or late does nothing)."""
    return advance_one(runtime.container(), tenant_id, uuid.UUID(rollout_id))


def _advance_every_tenant() -> int:
    container = runtime.container()
    return sum(len(advance_due(container, tenant)) for tenant in sorted(known_tenants(container)))


@huey.periodic_task(cron_from_settings(lambda settings: settings.rollout_schedule_cron))
@huey.lock_task("advance-due-rollouts")
def advance_due_rollouts() -> int:
    """Every due rollout takes its next step: the record is the database, the queue a fast path."""
    return _advance_every_tenant()


def _schedule_pending() -> None:
    """Due steps now, the others queued for their moment (the jobs a killed worker or a
    lost queue held are gone)."""
    container = runtime.container()
    for tenant in sorted(known_tenants(container)):
        advance_due(container, tenant)
        for rollout_id, when in pending_steps(container, tenant):
            advance_rollout.schedule(args=(tenant, str(rollout_id)), eta=when)


_started = threading.Lock()


@huey.on_startup()
def schedule_rollouts_on_startup() -> None:
    """Once per process (the hook runs in every worker thread)."""
    if huey.immediate or not _started.acquire(blocking=False):
        return
    _schedule_pending()


@on_queue_back
def schedule_rollouts_after_queue_outage() -> None:
    _schedule_pending()
