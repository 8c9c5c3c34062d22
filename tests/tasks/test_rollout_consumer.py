"""A rollout's schedule on a real queue with real ``wfv`` processes: a worker SIGKILLed
between steps, none running while a step falls due, then a new worker that takes that step
(once, not two) and publishes at the end. SQLite queue + SQLite index, and Redis queue +
PostgreSQL (as the service role) as in production."""

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from indexer.models import AuditEntry, Rollout
from schemas.history import ROLLOUTS_NOTES_REF
from schemas.rollouts import parse_note
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import example, published_history
from tests.tasks.conftest import container_for

SECRET = "consumer-test-secret-long-enough-for-hs256"
STEPS = [{"percent": 10, "seconds": 2}, {"percent": 50, "seconds": 4}, {"percent": 100, "seconds": 2}]


def _row(container: Container) -> Rollout:
    with container.uow("acme") as uow:
        return uow.session.scalars(select(Rollout)).one()


def _wait_for(container: Container, done: Any, seconds: float) -> Rollout:
    deadline = time.monotonic() + seconds
    while True:
        row = _row(container)
        if done(row) or time.monotonic() > deadline:
            return row
        time.sleep(0.05)


def test_a_killed_worker_resumes_the_schedule_without_skipping_or_repeating_a_step(
    queue_env: dict[str, str], tmp_path: Path
) -> None:
    stack = queue_env | {"WFV_JWT_SECRET": SECRET}
    container = container_for(stack, jwt_secret=SECRET)
    workflow_id, _, v2 = published_history(
        container, 1, drafts=1, documents=[example("welcome-small"), example("welcome-small-a")]
    )
    port = free_port()
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:edit"])
    api = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(api, stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"):
        with running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker1.log") as worker:
            response = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/workflows/{workflow_id}/versions/2/rollout",
                json={"steps": STEPS},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert response.status_code == 201, response.text
            first = _wait_for(container, lambda r: r.step_index >= 1, 20)
            worker.kill()  # SIGKILL, between steps
            worker.wait()
        assert (first.state, first.step_index) == ("running", 1)
        assert first.next_step_at is not None
        # No worker: the step falls due and nobody takes it.
        time.sleep(max(0.0, (first.next_step_at.timestamp() - time.time())) + 1.5)
        stalled = _row(container)
        assert (stalled.state, stalled.step_index, stalled.revision) == ("running", 1, first.revision)
        with running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker2.log"):
            done = _wait_for(container, lambda r: r.state == "published", 30)
    assert done.state == "published", (done.state, done.step_index)
    with container.uow("acme") as uow:
        audited = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    steps = [e.details["step_index"] for e in audited if e.action == "rollout_step"]
    assert steps == [1, 2]  # each step once, in order
    assert [e.action for e in audited].count("rollout_published") == 1
    assert [e.version_id for e in audited if e.action == "publish"].count(v2) == 1
    # The step taken by the second worker started when it was taken, after the kill.
    second = next(e for e in audited if e.action == "rollout_step" and e.details["step_index"] == 2)
    assert second.created_at >= stalled.next_step_at  # type: ignore[operator]
    repo = container.store.open("acme", uuid.UUID(str(workflow_id)))
    main = repo.ref_target("refs/heads/main") or ""
    records = parse_note(repo.note(ROLLOUTS_NOTES_REF, main) or "")
    assert [(r.event, r.step_index) for r in records] == [
        ("rollout_started", 0),
        ("rollout_step", 1),
        ("rollout_step", 2),
        ("rollout_published", 2),
    ]
    container.close()
