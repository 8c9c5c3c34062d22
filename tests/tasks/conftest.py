"""The two stacks the background paths are proven on, with real ``wfv`` processes:
the embedded defaults (SQLite index, SQLite queue) and production's (PostgreSQL as the
service role, Redis queue). Each test gets its own Redis database, flushed first."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis

from indexer.revisions import upgrade
from service.container import Container, build_container
from service.settings import Settings
from tests.conftest import REQUIRE_SERVICES, app_role_url, truncate_tables
from tests.e2e.helpers import WFV, running, wfv_env

# One Redis database per concurrent suite run (WFV_TEST_REDIS_URL picks another).
REDIS_URL = os.environ.get("WFV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (WFV_REQUIRE_SERVICES=1) but unreachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.postgres)])
def queue_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of the ``wfv`` processes a test starts."""
    data = tmp_path / "var"
    if request.param == "sqlite":
        return wfv_env(data, WFV_QUEUE="sqlite")
    _redis_or_skip()
    url: str = request.getfixturevalue("postgres_url")
    truncate_tables(url)
    return wfv_env(
        data,
        WFV_QUEUE="redis",
        WFV_REDIS_URL=REDIS_URL,
        WFV_DATABASE_URL=app_role_url(url),
        WFV_MIGRATION_DATABASE_URL=url,
    )


def container_for(env: dict[str, str], **settings: object) -> Container:
    """The test's own view of the stack ``env`` describes (its tasks run inline)."""
    built = build_container(
        Settings(
            data_dir=Path(env["WFV_DATA_DIR"]),
            database_url=env.get("WFV_DATABASE_URL"),
            migration_database_url=env.get("WFV_MIGRATION_DATABASE_URL"),
            queue="memory",
            _env_file=None,
            **settings,  # type: ignore[arg-type]
        )
    )
    upgrade(built.migration_engine())
    return built


def run_on_worker(env: dict[str, str], task: str, log: Path) -> Any:
    """Run ``task`` (``module:function``, a task whose result is JSON) on a real ``wfv
    worker``: enqueued by another process, as the API would, its result waited for."""
    module, name = task.split(":")
    result = f"{name}().get(blocking=True, timeout=60)"
    script = f"import json; from {module} import {name}; print(json.dumps({result}))"
    with running([WFV, "worker", "--no-periodic"], env, log):
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=90, check=False
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
