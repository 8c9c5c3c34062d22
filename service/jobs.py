"""Background work a use case asks for, through a port the container holds.

Use cases sit below the task queue (``tasks/`` calls use cases, as routes do), so they never
import it: the process that hosts a queue attaches its own ``Jobs`` (``tasks.jobs``) when
it builds the app or the worker. A container with none attached says so, in the log of the
after-commit hook that tried, and the migration watchdog picks the work up later.
"""

import uuid
from datetime import datetime
from typing import Protocol


class Jobs(Protocol):
    def run_migration(
        self, tenant_id: str, migration_id: uuid.UUID, generation: int, *, delay: float | None = None
    ) -> None:
        """A runner job of the chain ``generation`` of a migration of contacts (at once, or
        after ``delay`` seconds): ``service.executions.runner``."""

    def run_revert(self, tenant_id: str, revert_id: uuid.UUID, generation: int) -> None:
        """A runner job of the chain ``generation`` of a migration's revert:
        ``service.executions.revert_runner``."""

    def deliver_webhook(self, tenant_id: str, delivery_id: uuid.UUID, *, delay: float | None = None) -> None:
        """One attempt of a webhook delivery (at once, or after ``delay`` seconds):
        ``service.webhooks.delivery``."""

    def advance_rollout(self, tenant_id: str, rollout_id: uuid.UUID, when: datetime) -> None:
        """A look at a rollout at ``when``, its next step's moment: ``service.rollouts.schedule``."""


class NoQueue:
    """The port of a container no queue is attached to."""

    def run_migration(
        self, tenant_id: str, migration_id: uuid.UUID, generation: int, *, delay: float | None = None
    ) -> None:
        when = f" in {delay} s" if delay else ""
        raise RuntimeError(
            f"no task queue attached: migration {migration_id} of {tenant_id} (chain {generation}, asked "
            f"for{when or ' now'}) waits for the watchdog"
        )

    def run_revert(self, tenant_id: str, revert_id: uuid.UUID, generation: int) -> None:
        raise RuntimeError(
            f"no task queue attached: revert {revert_id} of {tenant_id} (chain {generation}) waits for"
            " the watchdog"
        )

    def deliver_webhook(self, tenant_id: str, delivery_id: uuid.UUID, *, delay: float | None = None) -> None:
        raise RuntimeError(
            f"no task queue attached: webhook delivery {delivery_id} of {tenant_id} (asked for "
            f"{f'in {delay} s' if delay else 'now'}) waits for the sweep"
        )

    def advance_rollout(self, tenant_id: str, rollout_id: uuid.UUID, when: datetime) -> None:
        raise RuntimeError(
            f"no task queue attached: rollout {rollout_id} of {tenant_id} (next step at "
            f"{when.isoformat()}) waits for the periodic schedule"
        )
