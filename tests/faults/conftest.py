"""Fixtures of the fault tests: a PostgreSQL cluster and a Redis of the test's own (the
machine's shared ones are never stopped), and the two stacks the real processes run on:
production's (PostgreSQL as the service role, Redis as queue and draft cache) and the
embedded defaults (SQLite index, SQLite queue)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import app_role_url
from tests.e2e.helpers import wfv_env
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, open_stack
from tests.redis_support import RedisProcess, own_redis

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a fault test (``pytest -m faults`` runs them alone)."""
    for item in items:
        if _HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def pg_cluster() -> Iterator[PrivateCluster]:
    """A migrated database on a cluster of this test's own (about a second to set up)."""
    cluster = PrivateCluster()
    try:
        cluster.prepare()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    workdir = tmp_path / "redis"
    workdir.mkdir()
    with own_redis(workdir) as server:
        yield server


def production_env(data: Path, cluster: PrivateCluster, redis: RedisProcess, **extra: str) -> dict[str, str]:
    return wfv_env(
        data,
        WFV_DATABASE_URL=app_role_url(cluster.owner_url),
        WFV_MIGRATION_DATABASE_URL=cluster.owner_url,
        WFV_REDIS_URL=redis.url,
        WFV_QUEUE="redis",
        **extra,
    )


@pytest.fixture
def pg_stack(tmp_path: Path, pg_cluster: PrivateCluster, redis_server: RedisProcess) -> Iterator[FaultStack]:
    stack = open_stack("postgres", production_env(tmp_path / "var", pg_cluster, redis_server), tmp_path)
    yield stack
    stack.close()


@pytest.fixture
def sqlite_stack(tmp_path: Path) -> Iterator[FaultStack]:
    stack = open_stack("sqlite", wfv_env(tmp_path / "var", WFV_QUEUE="sqlite"), tmp_path)
    yield stack
    stack.close()
