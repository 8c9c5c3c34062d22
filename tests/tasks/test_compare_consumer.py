"""A migration moved by a real worker shows in the next compare at once: SQLite queue +
SQLite index with the worker inside ``wfv serve`` (one process, its own cache), and
Redis + PostgreSQL as in production, with the worker a process of its own (the two meet
only in Redis)."""

import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from indexer.models import Execution, VersionMigration
from schemas.executions import LIVE
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import count_executions, example, published_history, waiting_contacts
from tests.tasks.conftest import container_for

SECRET = "consumer-test-secret-long-enough-for-hs256"


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET}


def _headers() -> dict[str, str]:
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    return {"Authorization": f"Bearer {token}"}


def _compare(base: str, workflow_id: uuid.UUID) -> Any:
    response = httpx.get(
        f"{base}/api/v1/workflows/{workflow_id}/versions/compare",
        params={"from": "1", "to": "2"},
        headers=_headers(),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _trigger_count(answer: Any) -> int:
    return int(next(b["live_contacts"] for b in answer["breaking"] if b["kind"] == "trigger_type_changed"))


def _live_on(container: Container, version_id: uuid.UUID) -> int:
    with container.uow("acme") as uow:
        return count_executions(uow, Execution.version_id == version_id, Execution.status.in_(LIVE))


def _wait_done(container: Container, seconds: float) -> VersionMigration:
    deadline = time.monotonic() + seconds
    while True:
        with container.uow("acme") as uow:
            state = uow.session.scalars(select(VersionMigration)).one()
        if state.status == "completed" or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def test_a_migration_by_a_real_worker_shows_in_the_next_compare(
    stack: dict[str, str], tmp_path: Path
) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    try:
        workflow_id, v1, _ = published_history(
            container, 2, documents=[example("welcome-small"), example("welcome-small-b")]
        )
        waiting_contacts(container, workflow_id, v1, 30)  # at welcome, wait-1d, tips
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        separate_worker = "WFV_REDIS_URL" in stack
        serve = [WFV, "serve", "--port", str(port)] + (["--no-embedded-worker"] if separate_worker else [])
        with ExitStack() as processes:
            processes.enter_context(running(serve, stack, tmp_path / "serve.log", f"{base}/healthz"))
            if separate_worker:
                processes.enter_context(
                    running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker.log")
                )
            before = _compare(base, workflow_id)
            assert _trigger_count(before) == 30
            assert _compare(base, workflow_id) == before  # warm
            started = httpx.post(
                f"{base}/api/v1/workflows/{workflow_id}/versions/2/migrate",
                json={"from_versions": [1]},
                headers=_headers(),
                timeout=30,
            )
            assert started.status_code == 202, started.text
            done = _wait_done(container, 30)
            assert done.status == "completed", done.status_reason
            after = _compare(base, workflow_id)
        left = _live_on(container, v1)
        assert left == 30 - done.migrated - done.skipped
        assert done.migrated > 0
        assert _trigger_count(after) == left
        assert after["live_counts_as_of"] >= before["live_counts_as_of"]
    finally:
        container.close()
