"""Fixtures for the draft auto-save tests: every test runs on both databases and on both
draft stores (the database alone, and Redis in front of it, a real redis-server of ours)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.revisions import upgrade
from service.api.app import create_app
from service.container import Container, build_container
from service.settings import Settings
from tests.redis_support import RedisProcess, own_redis


@pytest.fixture(scope="session")
def session_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    with own_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


def with_redis(settings: Settings, url: str, **extra: object) -> Settings:
    return Settings(**{**settings.model_dump(), "redis_url": url, **extra}, _env_file=None)


@pytest.fixture(params=["database", "redis"])
def draft_store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def draft_settings(settings: Settings, draft_store: str, request: pytest.FixtureRequest) -> Settings:
    if draft_store == "database":
        return settings
    server: RedisProcess = request.getfixturevalue("session_redis")
    server.client().flushall()
    return with_redis(settings, server.url)


def open_container(settings: Settings) -> Container:
    built = build_container(settings)
    if settings.resolved_database_url.startswith("sqlite"):
        upgrade(built.engine)
    return built


@pytest.fixture
def draft_container(draft_settings: Settings) -> Iterator[Container]:
    built = open_container(draft_settings)
    yield built
    built.close()


@pytest.fixture
def draft_client(draft_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=draft_container)) as test_client:
        yield test_client


@pytest.fixture
def redis_workdir(tmp_path: Path) -> Path:
    path = tmp_path / "redis"
    path.mkdir()
    return path
