"""What an acknowledged draft save survives: production refuses a real Redis without an
append-only file (at start-up and in /readyz) unless a setting accepts the risk; a managed
Redis refusing CONFIG is read through INFO; and acknowledgement after the database write
keeps a save that a SIGKILLed Redis without persistence lost."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.drafts.durability import DraftsNotDurable, read_persistence
from service.settings import Settings
from tests.factories import assert_problem, create_workflow_via_api
from tests.redis_support import RedisProcess, own_redis
from tests.service.conftest import open_container, with_redis
from tests.service.test_drafts_api import BASE, action, named, restore, saved
from tests.service.test_drafts_storage import raw_rows

PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "jwt_secret": "a-production-secret-that-is-long-enough",
    "public_url": "https://wfv.example.com",
    "draft_keys": Fernet.generate_key().decode(),
    "metrics_token": "a-metrics-token-long-enough-for-production",
}


@pytest.fixture
def server(redis_workdir: Path) -> Iterator[RedisProcess]:
    with own_redis(redis_workdir) as process:
        yield process


def production(settings: Settings, url: str, **extra: object) -> Settings:
    return with_redis(settings, url, database_url=settings.resolved_database_url, **PRODUCTION, **extra)


@contextmanager
def app(settings: Settings) -> Iterator[TestClient]:
    container = open_container(settings)
    try:
        with TestClient(create_app(container=container)) as client:
            yield client
    finally:
        container.close()


def limited_user(server: RedisProcess, *denied: str) -> str:
    """A Redis user without some commands, as a managed Redis gives (ACL, not a mock)."""
    admin = server.client()
    admin.acl_setuser(
        "managed", enabled=True, nopass=True, keys=["*"], channels=["*"], commands=["+@all", *denied]
    )
    admin.close()
    return server.url.replace("redis://", "redis://managed:x@")


def test_persistence_is_read_from_config(server: RedisProcess) -> None:
    client = server.client()
    assert read_persistence(client).describe() == "none"
    client.config_set("appendonly", "yes")
    for fsync in ("everysec", "always"):
        client.config_set("appendfsync", fsync)
        found = read_persistence(client)
        assert (found.aof, found.fsync, found.source) == (True, fsync, "config")


def test_a_redis_refusing_config_is_read_through_info(server: RedisProcess) -> None:
    client = redis.Redis.from_url(limited_user(server, "-config"))
    with pytest.raises(redis.ResponseError):
        client.config_get("appendonly")  # refused, as a managed Redis does
    assert (read_persistence(client).aof, read_persistence(client).source) == (False, "info")
    server.client().config_set("appendonly", "yes")
    assert read_persistence(client).aof is True


def test_production_refuses_to_start_on_a_redis_without_persistence(
    settings: Settings, server: RedisProcess
) -> None:
    with (
        pytest.raises(DraftsNotDurable, match="WFV_DRAFT_ACCEPT_VOLATILE_REDIS"),
        app(production(settings, server.url)),
    ):
        pass


def test_production_refuses_a_redis_whose_persistence_cannot_be_read(
    settings: Settings, server: RedisProcess
) -> None:
    url = limited_user(server, "-config", "-info")
    server.client().config_set("appendonly", "yes")  # on, but this user cannot see it
    with pytest.raises(DraftsNotDurable, match="unknown"), app(production(settings, url)):
        pass


@pytest.mark.parametrize("setting", ["draft_accept_volatile_redis", "draft_ack_after_database"])
def test_a_setting_accepts_a_redis_without_persistence(
    settings: Settings, server: RedisProcess, setting: str
) -> None:
    with app(production(settings, server.url, **{setting: True})) as client:
        response = client.get("/readyz")
        assert response.status_code == 200, response.text
        assert "redis_persistence" not in response.json()["checks"]


def test_readyz_fails_when_redis_loses_its_append_only_file(settings: Settings, server: RedisProcess) -> None:
    server.client().config_set("appendonly", "yes")
    with app(production(settings, server.url)) as client:
        assert client.get("/readyz").json()["checks"]["redis_persistence"] == "ok"
        server.client().config_set("appendonly", "no")  # a failover to a replica without one
        body = assert_problem(client.get("/readyz"), 503, "not-ready")
        assert body["checks"]["redis_persistence"] == "failed (DraftsNotDurable)"
        assert str(server.port) not in str(body)


def test_acknowledged_after_the_database_a_save_survives_a_volatile_redis(
    settings: Settings, server: RedisProcess, auth: Any
) -> None:
    editor = auth("workflows:edit")
    container = open_container(with_redis(settings, server.url, draft_ack_after_database=True))
    try:
        with TestClient(create_app(container=container)) as client:
            wid = create_workflow_via_api(client, editor)["id"]
            saved(client, editor, wid, {"definition": named(BASE, "welcome", "one"), "revision": 0})
            answer = saved(client, editor, wid, {"definition": named(BASE, "welcome", "two"), "revision": 1})
            assert answer["revision"] == 2
            # No write-behind ran: the save itself wrote the database's copy.
            assert [row.revision for row in raw_rows(container)] == [2]
            server.kill()  # no persistence: Redis comes back empty
            server.start()
            found = restore(client, editor, wid)
            assert (found["revision"], action(found["definition"], "welcome")["name"]) == (2, "two")
    finally:
        container.close()
