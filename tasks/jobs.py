"""The queue's side of ``service.jobs``: what a use case asks for becomes a Huey task."""

import uuid
from datetime import datetime

from tasks.migrations import run_migration
from tasks.reverts import run_revert
from tasks.rollouts import advance_rollout
from tasks.webhooks import deliver_webhook


class QueueJobs:
    def run_migration(
        self, tenant_id: str, migration_id: uuid.UUID, generation: int, *, delay: float | None = None
    ) -> None:
        if delay:
            run_migration.schedule(args=(tenant_id, str(migration_id), generation), delay=delay)
        else:
            run_migration(tenant_id, str(migration_id), generation)

    def run_revert(self, tenant_id: str, revert_id: uuid.UUID, generation: int) -> None:
        run_revert(tenant_id, str(revert_id), generation)

    def deliver_webhook(self, tenant_id: str, delivery_id: uuid.UUID, *, delay: float | None = None) -> None:
        if delay:
            deliver_webhook.schedule(args=(tenant_id, str(delivery_id)), delay=delay)
        else:
            deliver_webhook(tenant_id, str(delivery_id))

    def advance_rollout(self, tenant_id: str, rollout_id: uuid.UUID, when: datetime) -> None:
        advance_rollout.schedule(args=(tenant_id, str(rollout_id)), eta=when)
