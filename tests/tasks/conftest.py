"""The two stacks the background paths are proven on, with real ``wfv`` processes:
the embedded defaults (SQLite index, SQLite queue) and production's (PostgreSQL as the
service role, Redis queue). Each test gets its own Redis database, flushed first."""

import os
from pathlib import Path

import pytest
import redis

from indexer.migrate import upgrade
from service.container import Container, build_container
from service.settings import Settings
from tests.conftest import REQUIRE_SERVICES, app_role_url, truncate_tables
from tests.e2e.helpers import wfv_env

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
