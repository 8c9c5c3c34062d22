"""A gradual migration's self-halt on a real queue with real ``wfv`` processes (an API
without its embedded worker, and a ``wfv worker``): the failure share is judged per step
(or since the last resume), a resume may set a new threshold, a halt names its step, share
and threshold, and a halted migration can be cancelled. SQLite queue + SQLite index, and
Redis queue + PostgreSQL (as the service role).

Executions fail the realistic way: they wait on 'reminder', which the target version
(welcome-small-b) lacks, with no mapping and the ``fail`` policy. Their ids are chosen so
the batches (keyset ranges in id order) meet them where each test wants them."""

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from indexer.models import AuditEntry, Execution, VersionMigration
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import PROBLEM_JSON, example, published_history, the_migration, wait_for_migration
from tests.tasks.conftest import container_for

SECRET = "halt-test-secret-long-enough-for-hs256"
STEP = 50  # 200 executions in steps of 25%: one batch per step (batches take >= 100)


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET}


@contextmanager
def _api(stack: dict[str, str], tmp_path: Path) -> Iterator[httpx.Client]:
    """The API and one real worker; a client with an admin's token."""
    port = free_port()
    serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    with (
        running(serve, stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"),
        running([WFV, "worker", "--no-periodic"], stack, tmp_path / "worker.log"),
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ) as client,
    ):
        yield client


def _workflow(container: Container, failing_per_step: list[int]) -> uuid.UUID:
    """v1 (welcome-small) and v2 (welcome-small-b, no 'reminder') published; 4 x STEP
    executions on v1 where step ``n``'s slice of ids holds ``failing_per_step[n]`` on
    'reminder' (they fail) and the rest on 'welcome' (they move)."""
    workflow_id, v1, _ = published_history(
        container, 2, documents=[example("welcome-small"), example("welcome-small-b")]
    )
    now = datetime.now(UTC)
    rows = []
    for step in range(4):
        failing = failing_per_step[step] if step < len(failing_per_step) else 0
        for n in range(STEP):
            rows.append(
                {
                    # ids in step order: the first 8 hex digits sort before the random rest
                    "id": uuid.UUID(f"{step * STEP + n:08x}{uuid.uuid4().hex[8:]}"),
                    "tenant_id": "acme",
                    "workflow_id": workflow_id,
                    "version_id": v1,
                    "contact_id": f"c-{step}-{n}",
                    "current_action_id": "reminder" if n < failing else "welcome",
                    "status": "waiting",
                    "enrolled_at": now,
                    "updated_at": now,
                }
            )
    with container.uow("acme", write=True) as uow:
        uow.session.execute(insert(Execution), rows)
        uow.commit()
    return uuid.UUID(str(workflow_id))


def _halted(m: VersionMigration) -> bool:
    return m.status == "paused" and m.halt is not None


def _start(client: httpx.Client, workflow_id: uuid.UUID) -> str:
    response = client.post(
        f"/workflows/{workflow_id}/versions/2/migrate",
        json={"from_versions": [1], "strategy": "gradual", "step_percent": 25, "interval_seconds": 1},
    )
    assert response.status_code == 202, response.text
    return f"/workflows/{workflow_id}/migrations/{response.json()['id']}"


def _audit(container: Container, action: str) -> list[dict[str, Any]]:
    with container.uow("acme") as uow:
        found = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()
        return [dict(entry.details) for entry in found]


def test_a_resume_after_a_halt_judges_the_next_step_alone(stack: dict[str, str], tmp_path: Path) -> None:
    """The issue's case: a halt at 52% failures, then a resume. The share was cumulative,
    so the next (clean) step halted again at 26%; judged per step it runs to the end."""
    container = container_for(stack, jwt_secret=SECRET)
    workflow_id = _workflow(container, [26])
    with _api(stack, tmp_path) as client:
        path = _start(client, workflow_id)
        halted = wait_for_migration(container, _halted, 30)
        assert halted.status == "paused", halted.status_reason
        answer = client.get(path).json()
        assert (answer["status"], answer["migrated"], answer["failed"]) == ("paused", 24, 26)
        assert {k: answer["halt"][k] for k in ("step", "failed", "processed", "share", "threshold")} == {
            "step": 1,
            "failed": 26,
            "processed": 50,
            "share": 0.52,
            "threshold": 0.05,
        }
        assert answer["status_reason"] == "halted in step 1: 26 of 50 executions failed (52% > threshold 5%)"
        assert (answer["eta_seconds"], answer["eta_reason"]) == (None, "halted")

        resumed = client.post(f"{path}/resume")
        assert resumed.status_code == 200, resumed.text
        assert resumed.json()["halt"] is None
        done = wait_for_migration(container, lambda m: m.status != "running", 30)
    assert done.status == "completed", done.status_reason
    assert (done.migrated, done.failed, done.skipped) == (174, 26, 0)
    assert [h["share"] for h in _audit(container, "migration_halt")] == [0.52]
    (resume,) = _audit(container, "migration_resume")
    assert resume["halt"]["share"] == 0.52
    assert resume["failure_threshold"] == 0.05
    container.close()


def test_a_resume_may_set_a_new_threshold_and_bad_ones_change_nothing(
    stack: dict[str, str], tmp_path: Path
) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    workflow_id = _workflow(container, [26, 15])  # 52% in step 1, 30% in step 2
    with _api(stack, tmp_path) as client:
        path = _start(client, workflow_id)
        assert wait_for_migration(container, _halted, 30).halt is not None
        assert client.post(f"{path}/resume").status_code == 200
        second = wait_for_migration(container, lambda m: _halted(m) and m.step == 2, 30)
        # step 2 alone: 15 of 50 (30%), not 41 of 100 since the start
        assert second.halt is not None
        assert (second.halt["step"], second.halt["failed"], second.halt["processed"]) == (2, 15, 50)
        assert second.halt["share"] == 0.3

        before = client.get(path).json()
        for body in (
            {"failure_threshold": 1.5},
            {"failure_threshold": -0.1},
            {"failure_threshold": "high"},
            {"failure_threshold": 0.5, "force": True},
        ):
            refused = client.post(f"{path}/resume", json=body)
            assert refused.status_code == 422, (body, refused.text)
            assert refused.headers["content-type"].startswith(PROBLEM_JSON)
        assert client.get(path).json() == before  # still halted, same threshold, same halt

        resumed = client.post(f"{path}/resume", json={"failure_threshold": 0.4})
        assert resumed.status_code == 200, resumed.text
        assert resumed.json()["failure_threshold"] == 0.4
        done = wait_for_migration(container, lambda m: m.status != "running", 30)
    assert done.status == "completed", done.status_reason
    assert (done.migrated, done.failed) == (159, 41)
    resumes = _audit(container, "migration_resume")
    assert [(r["failure_threshold"], r.get("previous_failure_threshold")) for r in resumes] == [
        (0.05, None),
        (0.4, 0.05),
    ]
    container.close()


def test_a_halted_migration_can_be_cancelled_and_its_stream_says_why_there_is_no_eta(
    stack: dict[str, str], tmp_path: Path
) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    workflow_id = _workflow(container, [30])
    with _api(stack, tmp_path) as client:
        path = _start(client, workflow_id)
        assert wait_for_migration(container, _halted, 30).halt is not None
        with client.stream("GET", f"{path}/events") as stream:
            first = ""
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    first = line[len("data: ") :]
                    break
        progress = json.loads(first)
        assert (progress["status"], progress["eta_seconds"], progress["eta_reason"]) == (
            "paused",
            None,
            "halted",
        )
        assert progress["halt"]["share"] == 0.6

        cancelled = client.post(f"{path}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        answer = cancelled.json()
        assert (answer["status"], answer["eta_seconds"], answer["eta_reason"]) == ("cancelled", 0.0, None)
        assert answer["halt"]["step"] == 1  # the halt it was cancelled after is still told
        time.sleep(2.5)  # longer than the interval: nothing scheduled moves anything more
        after = the_migration(container)
        assert client.post(f"{path}/resume").status_code == 409
    assert (after.status, after.migrated, after.failed) == ("cancelled", 20, 30)
    with container.uow("acme") as uow:
        moved = uow.session.scalars(select(Execution).where(Execution.last_migration_id == after.id)).all()
    assert len(moved) == 20
    assert [h["threshold"] for h in _audit(container, "migration_halt")] == [0.05]
    assert len(_audit(container, "migration_cancel")) == 1
    container.close()
