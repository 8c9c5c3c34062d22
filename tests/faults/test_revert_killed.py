"""``wfv worker`` SIGKILLed mid-revert, then a new worker started: the revert resumes from
its last committed batch and completes, every execution the migration moved restored
exactly once (one revert journey row each). A trigger that sleeps a little per updated
execution, made after the migration, keeps each revert batch going for seconds."""

import psycopg
from sqlalchemy import func, select

from indexer.models import Execution, JourneyEvent, MigrationRevert, VersionMigration
from tests.factories import count_executions, migration_ready
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, wait_for

CONTACTS = 12_000
SLOW_UPDATE = """
CREATE FUNCTION fault_slow_update() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_sleep(0.0004); RETURN NEW; END $$;
CREATE TRIGGER fault_slow_update BEFORE UPDATE ON executions
FOR EACH ROW EXECUTE FUNCTION fault_slow_update();
"""


def _migration_status(stack: FaultStack) -> str:
    with stack.container.uow("acme") as uow:
        return uow.session.scalars(select(VersionMigration.status)).one()


def _revert(stack: FaultStack) -> MigrationRevert | None:
    with stack.container.uow("acme") as uow:
        return uow.session.scalars(select(MigrationRevert)).one_or_none()


def test_worker_killed_mid_revert_resumes_and_restores_each_once(
    pg_cluster: PrivateCluster, pg_stack: FaultStack
) -> None:
    stack = pg_stack
    workflow_id, v1 = migration_ready(stack.container, CONTACTS)
    stack.serve()
    worker = stack.worker(name="worker-1")
    with stack.client() as client:
        started = client.post(
            f"/workflows/{workflow_id}/versions/2/migrate", json={"from_versions": [1], "batch_size": 5000}
        )
        assert started.status_code == 202, started.text
        migration_id = started.json()["id"]
        wait_for("migration completed", lambda: _migration_status(stack) == "completed", 60, stack)
        with psycopg.connect(pg_cluster.owner_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(SLOW_UPDATE)
        revert = client.post(f"/workflows/{workflow_id}/migrations/{migration_id}/revert", json={})
        assert revert.status_code == 202, revert.text
    wait_for(
        "a batch restored", lambda: (_revert(stack) or MigrationRevert(restored=0)).restored > 0, 60, stack
    )
    worker.kill()
    cut = _revert(stack)
    assert cut is not None
    assert cut.status == "running"
    assert 0 < cut.restored < CONTACTS, "the revert ended before the kill"

    stack.worker(name="worker-2")
    wait_for(
        "revert completed", lambda: (_revert(stack) or MigrationRevert()).status == "completed", 90, stack
    )
    done = _revert(stack)
    assert done is not None
    assert (done.total, done.restored, done.moved_since, done.pinned, done.blocked) == (
        CONTACTS,
        CONTACTS,
        0,
        0,
        0,
    )
    with stack.container.uow("acme") as uow:
        assert count_executions(uow, Execution.version_id == v1) == CONTACTS
        per_execution = uow.session.execute(
            select(func.count()).select_from(
                select(JourneyEvent.execution_id)
                .where(JourneyEvent.cause_id == done.id, JourneyEvent.cause == "revert")
                .group_by(JourneyEvent.execution_id)
                .having(func.count() == 1)
                .subquery()
            )
        ).scalar_one()
        rows = uow.session.scalar(
            select(func.count()).select_from(JourneyEvent).where(JourneyEvent.cause_id == done.id)
        )
    assert (per_execution, rows) == (CONTACTS, CONTACTS)
