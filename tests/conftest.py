"""Fixtures: real SQLite and real PostgreSQL (parametrised), real bare repos in tmp_path.

PostgreSQL tests use a database of their own per test session (created and dropped here)
and truncate every table between tests. Without a server they skip, unless
``WFV_REQUIRE_SERVICES=1`` (CI), where a missing server is a failure.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from indexer.db import make_engine
from indexer.models import Base
from indexer.revisions import upgrade
from service.api.app import create_app
from service.auth import issue_token
from service.container import Container, build_container
from service.settings import Settings
from tasks import runtime
from tasks.queue import huey

# Background tasks run inline in these tests (the real consumer paths have their own tests).
huey.configure(Settings(queue="memory", _env_file=None))

PG_ADMIN_URL = os.environ.get("WFV_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_SERVICES = os.environ.get("WFV_REQUIRE_SERVICES") == "1"
JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-use"
APP_ROLE = "wfv_app"


@pytest.fixture(autouse=True)
def _blank_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user or system git config leaks into the tests (as pygit2's own suite does)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


def _postgres_or_skip() -> None:
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"PostgreSQL is required (WFV_REQUIRE_SERVICES=1) but unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, migrated to head."""
    _postgres_or_skip()
    name = f"wfv_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_tables(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def app_role_url(owner_url: str) -> str:
    """The same database as the service role that row-level security binds (``wfv_app``)."""
    scheme, rest = owner_url.split("://", 1)
    return f"{scheme}://{APP_ROLE}@{rest.split('@', 1)[1]}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that uses the database runs on both. This is the schema owner's URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.db'}"
    url: str = request.getfixturevalue("postgres_url")
    truncate_tables(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """On PostgreSQL the service connects as ``wfv_app``, as in production."""
    service_url = database_url if database_url.startswith("sqlite") else app_role_url(database_url)
    return Settings(
        data_dir=tmp_path / "data",
        database_url=service_url,
        migration_database_url=database_url,
        jwt_secret=JWT_SECRET,
        queue="memory",
        _env_file=None,
    )


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    built = build_container(settings)
    if settings.resolved_database_url.startswith("sqlite"):
        upgrade(built.engine)
    runtime.configure(built)  # tasks run inline here, with this test's container
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=container)) as test_client:
        yield test_client


TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture
def auth() -> TokenFactory:
    """``auth("workflows:edit", user="bob", org="acme")`` -> Authorization headers."""

    def headers(*permissions: str, user: str = "alice", org: str = "acme") -> dict[str, str]:
        token = issue_token(secret=JWT_SECRET, user=user, org=org, permissions=list(permissions))
        return {"Authorization": f"Bearer {token}"}

    return headers
