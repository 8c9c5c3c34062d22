"""Migrations on a real queue with real ``wfv`` processes: a gradual migration stepping
on the consumer's schedule, and a worker killed (SIGKILL) mid-migration whose successor
finishes it with every execution moved exactly once. SQLite queue + SQLite index, and
Redis queue + PostgreSQL (as the service role) as in production."""

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from indexer.models import Execution, VersionMigration
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import count_executions, migration_ready
from tests.tasks.conftest import container_for

SECRET = "consumer-test-secret-long-enough-for-hs256"


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET}


def _container(env: dict[str, str]) -> Container:
    return container_for(env, jwt_secret=SECRET)


def _state(container: Container) -> VersionMigration:
    with container.uow("acme") as uow:
        return uow.session.scalars(select(VersionMigration)).one()


def _wait_for(container: Container, done: Any, seconds: float) -> VersionMigration:
    deadline = time.monotonic() + seconds
    while True:
        state = _state(container)
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def _start(base: str, workflow_id: uuid.UUID, body: dict[str, Any]) -> dict[str, Any]:
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    response = httpx.post(
        f"{base}/api/v1/workflows/{workflow_id}/versions/2/migrate",
        json={"from_versions": [1], **body},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_gradual_migration_steps_on_the_consumers_schedule(stack: dict[str, str], tmp_path: Path) -> None:
    container = _container(stack)
    workflow_id, _ = migration_ready(container, 40)
    port = free_port()
    with running(
        [WFV, "serve", "--port", str(port)], stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"
    ):
        started = time.monotonic()
        _start(
            f"http://127.0.0.1:{port}",
            workflow_id,
            {"strategy": "gradual", "step_percent": 50, "interval_seconds": 1},
        )
        first = _wait_for(container, lambda m: m.migrated + m.failed >= 20, 20)
        assert first.migrated + first.failed == 20  # the first step only
        assert first.status == "running"
        done = _wait_for(container, lambda m: m.status == "completed", 30)
    assert done.status == "completed", done.status_reason
    assert done.step >= 2
    assert time.monotonic() - started >= 1.0  # waited for the interval between steps
    assert (done.migrated, done.failed, done.skipped) == (40, 0, 0)
    container.close()


def test_a_killed_worker_is_resumed_and_moves_each_execution_once(
    stack: dict[str, str], tmp_path: Path
) -> None:
    total = 12_000
    container = _container(stack)
    workflow_id, v1 = migration_ready(container, total)
    port = free_port()
    api = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(api, stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"):
        with running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker1.log") as worker:
            _start(f"http://127.0.0.1:{port}", workflow_id, {"batch_size": 100})
            partial = _wait_for(container, lambda m: m.migrated > 0, 60)
            worker.kill()  # SIGKILL: no clean shutdown, a batch may be cut mid-transaction
            worker.wait()
        halfway = _state(container)
        assert halfway.status == "running"
        assert 0 < halfway.migrated < total, "the worker finished before it could be killed"
        assert partial.migrated <= halfway.migrated
        with running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker2.log"):
            done = _wait_for(container, lambda m: m.status == "completed", 120)
    assert done.status == "completed"
    with container.uow("acme") as uow:
        assert count_executions(uow) == total
        assert count_executions(uow, Execution.version_id == v1) == 0
        assert count_executions(uow, Execution.last_migration_id == done.id) == total
    assert (done.migrated, done.failed, done.skipped, done.total) == (total, 0, 0, total)
    container.close()
