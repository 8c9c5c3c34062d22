"""One runner chain per migration, on a real queue with real ``wfv`` processes (an API
without its embedded worker, and one ``wfv worker``): a gradual migration paused and
resumed while it rests between steps used to run two chains - the resume's and the job
scheduled before the pause - so steps came closer than ``interval_seconds``. SQLite queue
+ SQLite index, and Redis queue + PostgreSQL (as the service role).

The worker logs each step's start (with the generation of the chain that started it) and
each job that exits because its chain was replaced; the test reads both from its log."""

import itertools
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from service.auth import issue_token
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import migration_ready, wait_for_migration
from tests.tasks.conftest import container_for

SECRET = "chain-test-secret-long-enough-for-hs256"
INTERVAL = 4  # seconds between steps: room for a pause and a resume on a loaded machine


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET}


def _step_starts(log: str) -> list[tuple[datetime, int, int]]:
    """(when, step, generation) of every window the worker logged opening (here: each step's start)."""
    found = re.findall(
        r"^(\S+ \S+) INFO wfv.migrations .* opens a window in step (\d+) \(generation (\d+)\)$", log, re.M
    )
    return [(datetime.strptime(at, "%Y-%m-%d %H:%M:%S,%f"), int(step), int(gen)) for at, step, gen in found]


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
            json={
                "from_versions": [1],
                "strategy": "gradual",
                "step_percent": 25,
                "interval_seconds": INTERVAL,
            },
        )
        assert started.status_code == 202, started.text
        path = f"/workflows/{workflow_id}/migrations/{started.json()['id']}"
        resting = wait_for_migration(container, lambda m: m.next_step_at is not None, 20)
        assert (resting.step, resting.migrated) == (2, 10), "the first step ends and its pause begins"
        # Paused and resumed while the job scheduled for step 2 waits in the queue.
        assert client.post(f"{path}/pause").status_code == 200
        resumed = client.post(f"{path}/resume")
        assert resumed.status_code == 200, resumed.text
        # The resume landed inside the pause: the next step is still ahead.
        assert datetime.fromisoformat(resumed.json()["next_step_at"]) > datetime.now(UTC)
        done = wait_for_migration(container, lambda m: m.status != "running", 40)
        time.sleep(INTERVAL + 1.5)  # a second chain, if any, would still be firing
        log: str = worker_log.read_text()
    assert done.status == "completed", done.status_reason
    assert (done.migrated, done.failed, done.skipped) == (40, 0, 0)
    starts = _step_starts(log)
    assert [step for _, step, _ in starts] == [1, 2, 3, 4], log
    gaps = [(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(starts)]
    assert all(gap >= INTERVAL for gap in gaps), gaps
    # Step 1's chain was replaced by the resume's: its job scheduled for step 2 fired and exited.
    before, after = starts[0][2], starts[1][2]
    assert after > before
    assert {gen for _, _, gen in starts[1:]} == {after}, "every later step was started by one chain"
    assert f"migration {done.id}: a runner of generation {before} exits" in log, log
    container.close()
