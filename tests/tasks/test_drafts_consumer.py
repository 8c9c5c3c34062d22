"""The draft write-behind and the retention task through real processes: ``wfv serve``
(API only) and ``wfv worker`` on a Huey queue in a real redis-server of the test's own,
with SQLite and with PostgreSQL as the database; and the write-behind after a Redis
outage that took a scheduled flush with it."""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from indexer.models import VersionDraft
from indexer.revisions import upgrade
from schemas.drafts import DraftSave
from schemas.workflow import WorkflowDefinition
from service.auth import issue_token
from service.container import Container, build_container
from service.drafts import autosave as drafts
from service.settings import Settings
from service.versions import workflows
from tests.conftest import JWT_SECRET, app_role_url
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import example, principal
from tests.redis_support import RedisProcess, own_redis

FLUSH_SECONDS = 1.0
SCHEDULE = "huey.schedule.wfv"  # Huey's scheduled tasks, in the queue's Redis
BOUND_SECONDS = 10.0  # flush delay + the consumer's one-second scheduler tick + slack


def _env(
    database_url: str, data: Path, redis_url: str, flush_seconds: float = FLUSH_SECONDS
) -> dict[str, str]:
    extra = {
        "WFV_QUEUE": "redis",
        "WFV_REDIS_URL": redis_url,
        "WFV_JWT_SECRET": JWT_SECRET,
        "WFV_DRAFT_FLUSH_SECONDS": str(flush_seconds),
    }
    if database_url.startswith("sqlite"):
        return wfv_env(data, WFV_DATABASE_URL=database_url, **extra)
    return wfv_env(
        data, WFV_DATABASE_URL=app_role_url(database_url), WFV_MIGRATION_DATABASE_URL=database_url, **extra
    )


def _database_only(env: dict[str, str]) -> Container:
    """The test's own view of the same database and keys (no Redis: what is durable)."""
    return build_container(
        Settings(
            data_dir=Path(env["WFV_DATA_DIR"]),
            database_url=env["WFV_DATABASE_URL"],
            migration_database_url=env.get("WFV_MIGRATION_DATABASE_URL"),
            jwt_secret=JWT_SECRET,
            queue="memory",
            _env_file=None,
        )
    )


def _stored(container: Container) -> dict[str, int]:
    with container.uow("acme") as uow:
        found = uow.session.execute(select(VersionDraft.user_id, VersionDraft.revision)).all()
    return {str(row.user_id): int(row.revision) for row in found}


def _wait_for(container: Container, user: str, revision: int) -> float:
    started = time.monotonic()
    while _stored(container).get(user) != revision:
        assert time.monotonic() - started < BOUND_SECONDS, f"revision {revision} never reached the database"
        time.sleep(0.05)
    return time.monotonic() - started


def test_saves_reach_the_database_through_a_real_worker(database_url: str, tmp_path: Path) -> None:
    with own_redis(tmp_path) as server:
        env = _env(database_url, tmp_path / "var", server.url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
        with (
            running(serve, env, tmp_path / "serve.log", f"{base}/healthz"),
            running([WFV, "worker", "--workers", "2"], env, tmp_path / "worker.log"),
        ):
            token = issue_token(secret=JWT_SECRET, user="alice", org="acme", permissions=["workflows:edit"])
            api = httpx.Client(
                base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10
            )
            created = api.post("/workflows", json={"name": "W", "definition": example("welcome-small")})
            wid = created.json()["id"]
            url = f"/workflows/{wid}/versions/1/draft"
            first = api.post(url, json={"definition": example("welcome-small-b"), "revision": 0})
            assert first.json()["revision"] == 1
            container = _database_only(env)
            assert _wait_for(container, "alice", 1) < BOUND_SECONDS
            for revision in range(1, 6):
                answer = api.post(url, json={"definition": example("welcome-small"), "revision": revision})
                assert answer.json()["revision"] == revision + 1
            assert _wait_for(container, "alice", 6) < BOUND_SECONDS
            assert server.client().zcard("wfv:drafts:dirty") == 0
            server.kill()  # everything acknowledged is already in the database
            assert api.get(url).json()["revision"] == 6
            assert api.post(url, json={"patch": {"x-offline": True}, "revision": 6}).json()["revision"] == 7
        assert "Executing tasks.drafts.flush_drafts" in (tmp_path / "worker.log").read_text()
        container.close()


def _old_draft(container: Container, workflow_id: Any) -> None:
    carol = principal("carol")
    container.clock = lambda: datetime.now(UTC) - timedelta(days=8)
    change = DraftSave.model_validate({"definition": example("welcome-small"), "revision": 0})
    drafts.save_draft(container=container, principal=carol, workflow_id=workflow_id, ref=1, change=change)


def test_the_daily_task_deletes_drafts_older_than_the_retention(database_url: str, tmp_path: Path) -> None:
    with own_redis(tmp_path) as server:
        env = _env(database_url, tmp_path / "var", server.url)
        container = _database_only(env)
        upgrade(container.migration_engine())
        with container.uow("acme", write=True) as uow:
            workflow, _ = workflows.create_workflow(
                uow=uow,
                principal=principal(),
                name="W",
                definition=WorkflowDefinition.model_validate(example("welcome-small")),
            )
            uow.commit()
        _old_draft(container, workflow.id)
        container.clock = lambda: datetime.now(UTC)
        change = DraftSave.model_validate({"definition": example("welcome-small"), "revision": 0})
        drafts.save_draft(
            container=container, principal=principal(), workflow_id=workflow.id, ref=1, change=change
        )
        assert _stored(container) == {"carol": 1, "alice": 1}
        task = "from tasks.drafts import delete_stale_drafts_daily as t; print(t.call_local())"
        done = subprocess.run(
            [sys.executable, "-c", task], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "1"
        assert _stored(container) == {"alice": 1}
        container.close()


def _unschedule_flushes(server: RedisProcess, worker_log: Path, *, scheduled: int) -> None:
    """Take the saves' write-behind out of Huey's schedule, as a worker that took it and
    failed on a Redis outage did. A task with a delay waits in the queue until a running
    worker moves it to the schedule (its time not come) and logs it: ``scheduled`` such
    lines are waited for, so the worker is up before Redis goes away."""
    deadline = time.monotonic() + 30
    while (worker_log.read_text() if worker_log.exists() else "").count("Added task") < scheduled:
        assert time.monotonic() < deadline, "the worker never took the scheduled flush"
        time.sleep(0.1)
    client = server.client()
    entries: list[bytes] = client.zrange(SCHEDULE, 0, -1)  # type: ignore[assignment]
    for entry in entries:
        if b"flush_drafts" in entry:
            client.zrem(SCHEDULE, entry)


def test_a_flush_lost_to_a_redis_outage_runs_when_the_queue_answers_again(
    database_url: str, tmp_path: Path
) -> None:
    """The chaos run's finding: a flush taken from the schedule failed on a Redis outage,
    leaving the save's flag set (an append-only Redis keeps it, for up to 30 s), so no
    later save scheduled another; the acknowledged save stayed only in Redis until the
    minute sweep. Now the worker queues a flush as soon as the queue answers again."""
    with own_redis(tmp_path, appendonly=True) as server:
        # The save's flush is scheduled a minute ahead, so the test takes it out of the
        # schedule before any worker can (a one-second delay raced the worker under load).
        env = _env(database_url, tmp_path / "var", server.url, flush_seconds=60)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
        worker_log = tmp_path / "worker.log"
        with (
            running(serve, env, tmp_path / "serve.log", f"{base}/healthz"),
            running([WFV, "worker", "--workers", "2"], env, worker_log),
        ):
            token = issue_token(secret=JWT_SECRET, user="alice", org="acme", permissions=["workflows:edit"])
            api = httpx.Client(
                base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10
            )
            created = api.post("/workflows", json={"name": "W", "definition": example("welcome-small")})
            url = f"/workflows/{created.json()['id']}/versions/1/draft"
            container = _database_only(env)
            save = {"definition": example("welcome-small-b"), "revision": 0}
            assert api.post(url, json=save).status_code == 200
            _unschedule_flushes(server, worker_log, scheduled=1)  # the worker is up
            # The worker's periodic sweep may have flushed r1 (and cleared the flag): then
            # r2's save schedules a flush of its own, taken out too; else the flag stops it.
            scheduled = 1 + int(_stored(container).get("alice") == 1)
            save = {"definition": example("welcome-small"), "revision": 1}
            assert api.post(url, json=save).status_code == 200
            _unschedule_flushes(server, worker_log, scheduled=scheduled)
            assert _stored(container).get("alice") != 2  # only Redis holds r2
            flushes = worker_log.read_text().count("Executing tasks.drafts.flush_drafts")
            server.kill()
            time.sleep(3.5)  # the worker's scheduler, reading every second, meets the outage
            server.start()  # with the dirty draft and the flag, from the append-only file
            assert _wait_for(container, "alice", 2) < BOUND_SECONDS
            assert api.get(url).json()["revision"] == 2
        log = worker_log.read_text()
        assert "the queue answers again after an outage: resuming the work it carried" in log
        # The queued flush did it, not the minute sweep (which flushes inline, as its own task).
        assert log.count("Executing tasks.drafts.flush_drafts") > flushes
        container.close()
