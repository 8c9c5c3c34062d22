"""The queue's side of ``service.jobs``: what a use case asks for becomes a Huey task."""

import uuid

from tasks.migrations import run_migration
from tasks.webhooks import deliver_webhook


class QueueJobs:
    def run_migration(
        self, tenant_id: str, migration_id: uuid.UUID, generation: int, *, delay: float | None = None
    ) -> None:
        if delay:
            run_migration.schedule(args=(tenant_id, str(migration_id), generation), delay=delay)
        else:
            run_migration(tenant_id, str(migration_id), generation)

    def deliver_webhook(self, tenant_id: str, delivery_id: uuid.UUID, *, delay: float | None = None) -> None:
        if delay:
            deliver_webhook.schedule(args=(tenant_id, str(delivery_id)), delay=delay)
        else:
            deliver_webhook(tenant_id, str(delivery_id))
