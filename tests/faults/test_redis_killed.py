"""Redis SIGKILLed (a private ``redis-server``, no persistence: it comes back empty) while a
real ``wfv serve`` and ``wfv worker`` use it as the task queue and the draft cache.

Drafts, as their issue says: every save keeps succeeding (to the database while Redis is
away), and after Redis returns the newest acknowledged revision is what a restore gives and
what the database ends up holding. The queue: a publish and a migration start while Redis is
down succeed (the work is recorded in the database; its job could not be queued); the
migration that was running may have lost its queued successor with the queue; both
complete once Redis is back, no process restarted: the worker's scheduler finds the queue
emptied and resumes unfinished migrations at once (``tasks.queue``), not at the minute
watchdog."""

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from indexer import drafts as draft_rows
from indexer.drafts import DraftKey
from indexer.models import Execution, VersionMigration
from tests.factories import count_executions, example, migration_ready, published_history, renamed
from tests.faults.checks import consistency_problems
from tests.faults.stack import FaultStack, wait_for
from tests.redis_support import RedisProcess

RUNNING_CONTACTS = 12_000
QUEUED_CONTACTS = 2_000
DRAFTS = {"WFV_DRAFT_REDIS_RETRY_SECONDS": "1", "WFV_DRAFT_FLUSH_SECONDS": "0.5"}


@dataclass
class Drafter:
    """An editor auto-saving its whole working copy, based on its last acknowledged save."""

    stack: FaultStack
    workflow_id: uuid.UUID
    acks: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        document = example("welcome-small")
        with self.stack.client() as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                revision = self.acks[-1][0] if self.acks else 0
                body = renamed(document, f"save {n}")
                try:
                    response = client.post(
                        f"/workflows/{self.workflow_id}/versions/2/draft",
                        json={"revision": revision, "definition": body},
                    )
                except Exception as exc:
                    self.refusals.append(repr(exc))
                    continue
                if response.status_code != 200:
                    self.refusals.append(f"{response.status_code} {response.text[:300]}")
                    continue
                self.acks.append((response.json()["revision"], body))
                self.stop.wait(0.03)


def _migrations(stack: FaultStack) -> dict[uuid.UUID, VersionMigration]:
    with stack.container.uow("acme") as uow:
        return {m.workflow_id: m for m in uow.session.scalars(select(VersionMigration))}


def _migrate(client: Any, workflow_id: uuid.UUID) -> None:
    response = client.post(
        f"/workflows/{workflow_id}/versions/2/migrate", json={"from_versions": [1], "batch_size": 100}
    )
    assert response.status_code == 202, response.text


def _stored_revision(stack: FaultStack, workflow_id: uuid.UUID, version_id: uuid.UUID) -> int:
    with stack.container.uow("acme") as uow:
        row = draft_rows.get_draft(uow.session, DraftKey("acme", workflow_id, version_id, "alice"))
    return row.revision if row else 0


def test_redis_killed_under_drafts_and_queue(pg_stack: FaultStack, redis_server: RedisProcess) -> None:
    stack = pg_stack
    stack.env |= DRAFTS
    running, running_v1 = migration_ready(stack.container, RUNNING_CONTACTS)
    queued, queued_v1 = migration_ready(stack.container, QUEUED_CONTACTS)
    edited, _, draft_id = published_history(stack.container, 1, drafts=1)
    published, *_ = published_history(stack.container, 1, drafts=1)
    stack.serve()
    stack.worker()
    drafter = Drafter(stack, edited)
    saving = threading.Thread(target=drafter.run, daemon=True)
    saving.start()
    with stack.client() as client:
        _migrate(client, running)
        wait_for(
            "under way", lambda: _migrations(stack)[running].migrated > 0 and len(drafter.acks) > 5, 30, stack
        )

        redis_server.kill()
        down = len(drafter.acks)
        _migrate(client, queued)  # recorded; its job cannot be queued
        publish = client.post(f"/workflows/{published}/versions/2/publish")
        assert publish.status_code == 200, publish.text
        wait_for("saves during the outage", lambda: len(drafter.acks) > down + 10, 20, stack)
        redis_server.start()
        up = len(drafter.acks)
        wait_for("saves after", lambda: len(drafter.acks) > up + 10, 20, stack)

        wait_for(
            "both migrations completed",
            lambda: all(m.status == "completed" for m in _migrations(stack).values()),
            45,
            stack,
        )
        drafter.stop.set()
        saving.join(timeout=10)
        restored = client.get(f"/workflows/{edited}/versions/2/draft")
    assert drafter.refusals == []
    revisions = [revision for revision, _ in drafter.acks]
    assert revisions == sorted(set(revisions)), revisions  # never went back
    newest, newest_body = drafter.acks[-1]
    assert restored.status_code == 200, restored.text
    assert (restored.json()["revision"], restored.json()["definition"]) == (newest, newest_body)
    wait_for(
        "write-behind of the newest", lambda: _stored_revision(stack, edited, draft_id) == newest, 20, stack
    )

    found = _migrations(stack)
    with stack.container.uow("acme") as uow:
        for workflow_id, v1, total in (
            (running, running_v1, RUNNING_CONTACTS),
            (queued, queued_v1, QUEUED_CONTACTS),
        ):
            done = found[workflow_id]
            assert (done.migrated, done.failed, done.skipped) == (total, 0, 0)
            assert count_executions(uow, Execution.version_id == v1) == 0
            assert count_executions(uow, Execution.last_migration_id == done.id) == total
    assert consistency_problems(stack.container) == []
