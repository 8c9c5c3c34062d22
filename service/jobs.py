"""Enqueueing background work from use cases. Tasks are entry points like routes (they
call use cases), so the queue module is imported here lazily, at call time."""

import uuid


def run_migration(
    tenant_id: str, migration_id: uuid.UUID, generation: int, *, delay: float | None = None
) -> None:
    """A runner job of the chain ``generation`` (``service.migration_runner``)."""
    from tasks.migrations import run_migration as task

    if delay:
        task.schedule(args=(tenant_id, str(migration_id), generation), delay=delay)
    else:
        task(tenant_id, str(migration_id), generation)
