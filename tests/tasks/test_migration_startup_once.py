"""A starting ``wfv worker`` resumes each unfinished migration once, not once per worker
thread: Huey runs its start-up hooks in every thread, and each runner enqueued there chains
its own successors for the rest of the migration, so a twin doubles the queue that every
migration waits in (the chaos run's slow recovery after a worker kill). SQLite queue +
SQLite index, and Redis queue + PostgreSQL (as the service role)."""

import time
from pathlib import Path

import httpx
from sqlalchemy import select

from indexer.models import VersionMigration
from service.auth import issue_token
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import migration_ready
from tests.tasks.conftest import container_for

SECRET = "startup-test-secret-long-enough-for-hs256"


def test_a_starting_worker_resumes_each_migration_once(queue_env: dict[str, str], tmp_path: Path) -> None:
    env = queue_env | {"WFV_JWT_SECRET": SECRET}
    container = container_for(env, jwt_secret=SECRET)
    workflow_id, _ = migration_ready(container, 40_000)
    port = free_port()
    api = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(api, env, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"):  # no worker yet
        token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
        response = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/workflows/{workflow_id}/versions/2/migrate",
            json={"from_versions": [1], "batch_size": 100},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
    assert response.status_code == 202, response.text
    migration_id = response.json()["id"]
    log = tmp_path / "worker.log"
    # DEBUG: Huey's "consumer started" line, which says the threads are up, is kept to DEBUG runs.
    with running([WFV, "worker", "--workers", "2", "--no-periodic"], env | {"WFV_LOG_LEVEL": "DEBUG"}, log):
        deadline = time.monotonic() + 60
        while "Huey consumer started" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(1)  # each thread's start-up hooks, run as it starts: milliseconds apart
        with container.uow("acme") as uow:
            state = uow.session.scalars(select(VersionMigration)).one()
    resumed = [
        line for line in log.read_text().splitlines() if f"resuming stalled migration {migration_id}" in line
    ]
    assert state.status in ("queued", "running"), "the migration ended before both threads had started"
    assert len(resumed) == 1, resumed
    container.close()
