"""The engine keeps moving contacts while a migration's batches run: nothing is lost,
nothing is mapped twice, and the counters agree with the rows (both databases)."""

import random
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, insert, select, update

from indexer.models import Execution, JourneyEvent, MigrationItem, VersionMigration
from service.container import Container
from tests.factories import (
    count_executions,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"
CONTACTS = 1500


def _seed(container: Container, wid: str, version_id: str) -> None:
    now = datetime.now(UTC)
    positions = ["welcome", "wait-1d", "reminder"]
    rows = [
        {
            "id": uuid.uuid4(),
            "tenant_id": "acme",
            "workflow_id": uuid.UUID(wid),
            "version_id": uuid.UUID(version_id),
            "contact_id": f"c-{i}",
            "current_action_id": positions[i % 3],
            "status": "waiting",
            "enrolled_at": now,
            "updated_at": now,
        }
        for i in range(CONTACTS)
    ]
    with container.uow("acme", write=True) as uow:
        uow.session.execute(insert(Execution), rows)
        uow.commit()


def test_engine_moves_during_a_migration_are_never_lost_or_doubled(
    client: TestClient, container: Container, auth
) -> None:
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin, definition=example("welcome-small"))
    wid = created["id"]
    v1 = post_publish(client, admin, wid, 1)
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    _seed(container, wid, v1["id"])

    stop = threading.Event()
    accepted: list[int] = []

    def engine() -> None:
        rng = random.Random(7)
        while not stop.is_set():
            contact = f"c-{rng.randrange(CONTACTS)}"
            action = rng.choice(["welcome", "wait-1d", "reminder"])
            response = client.post(
                f"{API}/{wid}/executions/positions",
                json={"moves": [{"contact_id": contact, "action_id": action, "status": "waiting"}]},
                headers=admin,
            )
            assert response.status_code in (200, 422), response.text  # 422: reminder is not in v2
            if response.status_code == 200:
                accepted.append(1)

    thread = threading.Thread(target=engine)
    thread.start()
    try:
        response = client.post(
            versions_url(wid, 2, "migrate"), json={"from_versions": [1], "batch_size": 100}, headers=admin
        )
        assert response.status_code == 202
    finally:
        stop.set()
        thread.join()
    assert accepted  # the engine really raced the batches

    with container.uow("acme") as uow:
        migration = uow.session.scalars(select(VersionMigration)).one()
        assert migration.status == "completed"
        assert count_executions(uow) == CONTACTS  # nothing lost, nothing duplicated
        # Whatever stayed on v1 was reported (the engine may move a reported one within v1 later).
        reported = select(MigrationItem.execution_id).where(MigrationItem.migration_id == migration.id)
        assert (
            count_executions(uow, Execution.version_id == uuid.UUID(v1["id"]), Execution.id.not_in(reported))
            == 0
        )
        moved = count_executions(uow, Execution.last_migration_id == migration.id)
        assert moved == migration.migrated
        items = uow.session.scalars(select(MigrationItem.execution_id)).all()
        assert len(items) == len(set(items)) == migration.failed  # each reported once
        assert migration.migrated + migration.failed + migration.skipped == migration.total == CONTACTS
        left = count_executions(uow, Execution.version_id == uuid.UUID(v1["id"]))
        assert left == migration.failed  # what stayed is exactly what was reported


# SQLite has one writer at a time: nothing commits between a batch's two statements there.
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_report_moving_a_contact_into_a_batch_between_its_two_statements_is_left_to_the_next(
    client: TestClient, container: Container, auth
) -> None:
    """PostgreSQL reads each statement's own snapshot: an engine's report that moves a
    contact onto a mapped action after a batch logged its journey rows, and before its
    UPDATE, must not be moved by that UPDATE unlogged (it was: "moved 66 executions but
    logged 65", and the migration failed). The report lands exactly there, every time: it
    commits from another connection right after the batch's journey INSERT."""
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    v1 = post_publish(client, admin, wid, 1)
    post_version(client, admin, wid, definition=example("welcome-small-b"))  # no 'reminder'
    v2 = post_publish(client, admin, wid, 2)
    _seed(container, wid, v1["id"])  # c-2 waits on 'reminder': unmapped, not in the batch
    reported: list[str] = []

    def report_between(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if reported or not statement.startswith("INSERT INTO execution_journey"):
            return
        reported.append(statement)
        with container.uow("acme", write=True) as uow:  # the engine's report, committed now
            uow.session.execute(
                update(Execution)
                .where(Execution.workflow_id == uuid.UUID(wid), Execution.contact_id == "c-2")
                .values(current_action_id="welcome", revision=Execution.revision + 1)
            )
            uow.commit()

    event.listen(container.engine, "after_cursor_execute", report_between)
    try:
        response = client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1]}, headers=admin)
    finally:
        event.remove(container.engine, "after_cursor_execute", report_between)
    assert response.status_code == 202, response.text
    assert reported  # the report really landed between the two statements

    with container.uow("acme") as uow:
        migration = uow.session.scalars(select(VersionMigration)).one()
        assert migration.status == "completed"
        logged = uow.session.scalar(
            select(func.count()).where(
                JourneyEvent.cause_id == migration.id, JourneyEvent.cause == "migration"
            )
        )
        assert (
            logged == migration.migrated == count_executions(uow, Execution.last_migration_id == migration.id)
        )
        # The sweep, which goes over the ranges again, moved c-2 with its one journey row.
        moved = uow.session.scalars(select(Execution).where(Execution.contact_id == "c-2")).one()
        assert (moved.current_action_id, moved.version_id) == ("welcome", uuid.UUID(v2["id"]))
        rows = select(func.count()).where(
            JourneyEvent.execution_id == moved.id, JourneyEvent.cause_id == migration.id
        )
        assert uow.session.scalar(rows) == 1
