"""One runner chain per migration, on a real queue with real ``wfv`` processes (an API
without its embedded worker, and one ``wfv worker``): a gradual migration paused and
resumed while it rests between steps used to run two chains - the resume's and the job
scheduled before the pause - so steps came closer than ``interval_seconds``. SQLite queue
+ SQLite index, and Redis queue + PostgreSQL (as the service role).

Each step is one batch here (10 executions, batches take at least 100), and a batch
stamps the executions it moves with its time: the distinct ``updated_at`` values of the
moved executions are the steps' start times."""

import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from indexer.models import AuditEntry, Execution, VersionMigration
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import migration_ready
from tests.tasks.conftest import container_for

SECRET = "chain-test-secret-long-enough-for-hs256"
INTERVAL = 2  # seconds between steps


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET}


def _state(container: Container) -> VersionMigration:
    with container.uow("acme") as uow:
        return uow.session.scalars(select(VersionMigration)).one()


def _wait_for(
    container: Container, done: Callable[[VersionMigration], bool], seconds: float
) -> VersionMigration:
    deadline = time.monotonic() + seconds
    while True:
        state = _state(container)
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def _step_times(container: Container, migration_id: uuid.UUID) -> list[datetime]:
    with container.uow("acme") as uow:
        stamps = uow.session.scalars(
            select(Execution.updated_at).where(Execution.last_migration_id == migration_id).distinct()
        ).all()
    return sorted(stamps)


def _audit_times(container: Container, action: str) -> list[datetime]:
    with container.uow("acme") as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry.created_at).where(AuditEntry.action == action).order_by(AuditEntry.id)
            ).all()
        )


def test_a_pause_and_resume_between_steps_leaves_one_chain(stack: dict[str, str], tmp_path: Path) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    workflow_id, _ = migration_ready(container, 40)
    port = free_port()
    serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    worker_log = tmp_path / "worker.log"
    with (
        running(serve, stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"),
        running([WFV, "worker", "--no-periodic"], stack, worker_log),
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ) as client,
    ):
        started = client.post(
            f"/workflows/{workflow_id}/versions/2/migrate",
            json={"from_versions": [1], "strategy": "gradual", "step_percent": 25, "interval_seconds": INTERVAL},
        )
        assert started.status_code == 202, started.text
        path = f"/workflows/{workflow_id}/migrations/{started.json()['id']}"
        resting = _wait_for(container, lambda m: m.next_step_at is not None, 20)
        assert (resting.step, resting.migrated) == (2, 10), "the first step ends and its pause begins"
        # Paused and resumed while the job scheduled for step 2 waits in the queue.
        assert client.post(f"{path}/pause").status_code == 200
        resumed = client.post(f"{path}/resume")
        assert resumed.status_code == 200, resumed.text
        done = _wait_for(container, lambda m: m.status != "running", 40)
        time.sleep(INTERVAL + 1.5)  # a second chain, if any, would still be firing
        log: str = worker_log.read_text()
    assert done.status == "completed", done.status_reason
    assert (done.migrated, done.failed, done.skipped) == (40, 0, 0)
    steps = _step_times(container, done.id)
    assert len(steps) == 4, steps
    (resumed_at,) = _audit_times(container, "migration_resume")
    assert resumed_at < steps[0].replace(tzinfo=resumed_at.tzinfo) + timedelta(seconds=INTERVAL), (
        "the resume landed inside the first pause"
    )
    gaps = [(b - a).total_seconds() for a, b in zip(steps, steps[1:], strict=False)]
    assert all(gap >= INTERVAL for gap in gaps), gaps
    # The job scheduled before the pause fired and found its chain replaced; nothing else did.
    stale = [line for line in log.splitlines() if "is not the live chain" in line]
    assert len(stale) == 1, log
    assert f"migration {done.id}" in stale[0]
    container.close()

