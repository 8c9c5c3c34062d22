"""``scripts/stack`` for real, against the machine's PostgreSQL and Redis: a database of its
own (created by the script), its own ports, Redis database and folders; ready, serving an
authenticated call as the wfv_app role, the worker's metrics up; then stopped, every
process of it gone."""

import os
import subprocess
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, _postgres_or_skip
from tests.e2e.helpers import WFV, free_port, run_wfv, wfv_env
from tests.factories import example
from tests.tasks.conftest import REDIS_URL, _redis_or_skip

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
STACK = Path(__file__).parents[2] / "scripts" / "stack"


def _stack(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STACK), command], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def test_stack_starts_serves_and_stops(tmp_path: Path) -> None:
    _postgres_or_skip()
    _redis_or_skip()
    database = f"wfv_stack_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    api_port, metrics_port = free_port(), free_port()
    env = wfv_env(
        tmp_path / "data",
        WFV_STACK_DIR=str(tmp_path / "stack"),
        WFV_STACK_PG=PG_ADMIN_URL.rsplit("/", 1)[0],
        WFV_STACK_DB=database,
        WFV_STACK_API_PORT=str(api_port),
        WFV_STACK_WORKER_METRICS_PORT=str(metrics_port),
        WFV_STACK_WFV=WFV,
        WFV_REDIS_URL=REDIS_URL,
    )
    try:
        started = _stack("start", env)
        assert started.returncode == 0, started.stdout + started.stderr
        pids = {name: int((tmp_path / "stack" / f"{name}.pid").read_text()) for name in ("api", "worker")}

        ready = httpx.get(f"http://127.0.0.1:{api_port}/readyz", timeout=10)
        assert ready.json() == {"status": "ready", "checks": {"database": "ok", "repos": "ok", "redis": "ok"}}
        token = run_wfv(
            "token", "--user", "alice", "--org", "acme", "--perm", "workflows:admin", env=env
        ).strip()
        api = httpx.Client(
            base_url=f"http://127.0.0.1:{api_port}/api/v1", headers={"Authorization": f"Bearer {token}"}
        )
        created = api.post("/workflows", json={"name": "Stack", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        assert [w["id"] for w in api.get("/workflows").json()["items"]] == [created.json()["id"]]
        worker_metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
        assert "wfv_queue_up 1.0" in worker_metrics
        # The long-running processes know only the service role's URL.
        for pid in pids.values():
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            service_url = next(i for i in environ if i.startswith(b"WFV_DATABASE_URL=")).decode()
            assert service_url.startswith("WFV_DATABASE_URL=postgresql+psycopg://wfv_app@")
            assert service_url.endswith(f"/{database}")
            assert not any(item.startswith(b"WFV_MIGRATION_DATABASE_URL=") for item in environ)
        assert len(_group_members(pids["api"])) >= 3  # the supervisor and its two workers
        assert _stack("status", env).returncode == 0

        stopped = _stack("stop", env)
        assert stopped.returncode == 0, stopped.stderr
        assert _group_members(pids["api"]) == []
        assert _group_members(pids["worker"]) == []
        assert not (tmp_path / "stack" / "api.pid").exists()
        status = _stack("status", env)
        assert status.returncode == 1
        assert "api: stopped" in status.stdout
    finally:
        _stack("stop", env)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
