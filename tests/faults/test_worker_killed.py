"""``wfv worker`` SIGKILLed while it runs a migration and a scheduled archival run at once,
then started again: both resume where their last committed batch left them and complete,
every execution moved exactly once, the archived versions exactly those the retention
policy names, each archived (and audited) once.

A trigger that sleeps a little per archived row keeps the archival run going for seconds,
so the kill lands inside it as surely as inside the 12,000-contact migration."""

import uuid

import psycopg
from huey import RedisHuey
from sqlalchemy import func, select

from indexer.models import ArchivalRun, AuditEntry, Execution, VersionMigration, WorkflowVersion
from tests.factories import count_executions, migration_ready, published_long_ago
from tests.faults.checks import consistency_problems
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, wait_for

CONTACTS = 12_000
IDLE_WORKFLOWS = 30
POLICY = {
    "WFV_ARCHIVAL_CRON": "* * * * *",  # the scheduler enqueues it as the worker starts
    "WFV_KEEP_VERSIONS": "1",
    "WFV_ARCHIVAL_BATCH_WORKFLOWS": "1",
}
SLOW_ARCHIVE = """
CREATE FUNCTION fault_slow_archive() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN IF NEW.status = 'archived' THEN PERFORM pg_sleep(0.05); END IF; RETURN NEW; END $$;
CREATE TRIGGER fault_slow_archive BEFORE UPDATE ON workflow_versions
FOR EACH ROW EXECUTE FUNCTION fault_slow_archive();
"""


def _migration(stack: FaultStack) -> VersionMigration:
    with stack.container.uow("acme") as uow:
        return uow.session.scalars(select(VersionMigration)).one()


def _run(stack: FaultStack) -> ArchivalRun | None:
    """The first archival run (a later scheduled one may follow it)."""
    with stack.container.uow("acme") as uow:
        return uow.session.scalars(select(ArchivalRun).order_by(ArchivalRun.started_at).limit(1)).first()


def _batches(stack: FaultStack) -> int:
    run = _run(stack)
    return run.batches if run is not None else 0


def _run_status(stack: FaultStack, run_id: uuid.UUID) -> str:
    with stack.container.uow("acme") as uow:
        run = uow.session.get(ArchivalRun, run_id)
        assert run is not None
        return run.status


def _start_migration(stack: FaultStack, workflow_id: uuid.UUID) -> None:
    with stack.client() as client:
        response = client.post(
            f"/workflows/{workflow_id}/versions/2/migrate", json={"from_versions": [1], "batch_size": 100}
        )
    assert response.status_code == 202, response.text


def _archived(stack: FaultStack) -> dict[uuid.UUID, list[int]]:
    with stack.container.uow("acme") as uow:
        rows = uow.session.execute(
            select(WorkflowVersion.workflow_id, WorkflowVersion.version_number).where(
                WorkflowVersion.status == "archived"
            )
        )
        found: dict[uuid.UUID, list[int]] = {}
        for workflow_id, number in rows:
            found.setdefault(workflow_id, []).append(number)
        return {key: sorted(numbers) for key, numbers in found.items()}


def test_worker_killed_mid_migration_and_mid_archival(
    pg_cluster: PrivateCluster, pg_stack: FaultStack
) -> None:
    stack = pg_stack
    stack.env |= POLICY
    with psycopg.connect(pg_cluster.owner_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(SLOW_ARCHIVE)
    moving, v1 = migration_ready(stack.container, CONTACTS)
    idle = {published_long_ago(stack.container) for _ in range(IDLE_WORKFLOWS)}
    stack.serve()
    worker = stack.worker(name="worker-1")
    _start_migration(stack, moving)
    wait_for(
        "both under way",
        lambda: _migration(stack).migrated > 0 and (_run(stack) or ArchivalRun(batches=0)).batches > 2,
        30,
        stack,
    )
    worker.kill()

    cut_migration, cut_run = _migration(stack), _run(stack)
    assert cut_run is not None
    assert cut_migration.status == "running"
    assert 0 < cut_migration.migrated < CONTACTS, "the migration ended before the kill"
    assert cut_run.status == "running"
    assert cut_run.archived < 2 * IDLE_WORKFLOWS, "the archival run ended before the kill"

    queue = RedisHuey(name="wfv", url=stack.env["WFV_REDIS_URL"])
    assert queue.is_locked("archive-versions")  # the killed worker's lock, which never expires
    stack.worker(name="worker-2")
    wait_for("the stale lock cleared", lambda: not queue.is_locked("archive-versions"), 15, stack)
    wait_for("migration completed", lambda: _migration(stack).status == "completed", 60, stack)
    wait_for("archival completed", lambda: _run_status(stack, cut_run.id) == "completed", 60, stack)

    done = _migration(stack)
    with stack.container.uow("acme") as uow:
        assert count_executions(uow) == CONTACTS
        assert count_executions(uow, Execution.version_id == v1) == 0
        assert count_executions(uow, Execution.last_migration_id == done.id) == CONTACTS
        archive_audits = uow.session.execute(
            select(AuditEntry.version_id, func.count())
            .where(AuditEntry.action == "archive")
            .group_by(AuditEntry.version_id)
        ).all()
        runs = {r.id: r for r in uow.session.scalars(select(ArchivalRun))}
    assert (done.migrated, done.failed, done.skipped, done.total) == (CONTACTS, 0, 0, CONTACTS)
    # The policy (keep the newest published version, nothing idle less than 90 days): v1 and
    # v2 of every idle workflow, nothing of the one just migrated; the run that was cut did
    # it all (resumed, not restarted), a later scheduled run found nothing left.
    assert _archived(stack) == {workflow_id: [1, 2] for workflow_id in idle}
    assert runs[cut_run.id].archived == 2 * IDLE_WORKFLOWS
    assert all(r.archived == 0 for key, r in runs.items() if key != cut_run.id)
    assert len(archive_audits) == 2 * IDLE_WORKFLOWS
    assert all(count == 1 for _, count in archive_audits)
    assert consistency_problems(stack.container) == []
