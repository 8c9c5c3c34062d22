"""/readyz against real dependencies: the database (both), a real Redis, the repository
folder; and against broken ones: a refused port, a port that never answers, a repository
folder that cannot be written. Unauthenticated, bounded in time, no addresses revealed."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.container import build_container
from service.settings import Settings
from tests.factories import assert_problem
from tests.ops.silent import closed_port, silent_port
from tests.redis_support import RedisProcess


@contextmanager
def _client(settings: Settings) -> Iterator[TestClient]:
    container = build_container(settings)
    with TestClient(create_app(container=container)) as client:
        yield client
    container.close()


def _ready(client: TestClient) -> dict[str, object]:
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, object] = response.json()
    return body


def test_ready_on_the_database_and_repository_folder(client: TestClient, container) -> None:
    before = sorted(container.settings.repos_dir.iterdir())
    body = _ready(client)
    assert body == {"status": "ready", "checks": {"database": "ok", "repos": "ok"}}
    assert sorted(container.settings.repos_dir.iterdir()) == before  # the probe file is gone


def test_ready_with_a_real_redis(settings: Settings, session_redis: RedisProcess) -> None:
    with_redis = settings.model_copy(update={"redis_url": session_redis.url})
    with _client(with_redis) as client:
        assert _ready(client)["checks"] == {"database": "ok", "repos": "ok", "redis": "ok"}


def test_a_refused_redis_is_named_without_its_address(tmp_path: Path) -> None:
    port = closed_port()
    settings = Settings(
        data_dir=tmp_path / "data", redis_url=f"redis://127.0.0.1:{port}/0", queue="memory", _env_file=None
    )
    with _client(settings) as client:
        response = client.get("/readyz")
        body = assert_problem(response, 503, "not-ready")
        assert body["checks"] == {"database": "ok", "repos": "ok", "redis": "failed (ConnectionError)"}
        assert body["detail"] == "failing: redis"
        assert str(port) not in response.text
        assert "127.0.0.1" not in response.text


def test_hung_database_and_redis_time_out_instead_of_hanging_the_probe(tmp_path: Path) -> None:
    with silent_port() as port:
        settings = Settings(
            data_dir=tmp_path / "data",
            database_url=f"postgresql+psycopg://wfv_app:pw-not-shown@127.0.0.1:{port}/wfv",
            redis_url=f"redis://127.0.0.1:{port}/0",
            readiness_timeout_seconds=0.5,
            queue="memory",
            _env_file=None,
        )
        with _client(settings) as client:
            started = time.monotonic()
            response = client.get("/readyz")
            elapsed = time.monotonic() - started
            body = assert_problem(response, 503, "not-ready")
            assert body["checks"] == {"database": "timeout", "repos": "ok", "redis": "timeout"}
            assert elapsed < 2.5, f"the probe took {elapsed:.1f}s"
            assert "pw-not-shown" not in response.text
            assert str(port) not in response.text
            # The app still serves while the abandoned checks wait.
            assert client.get("/healthz").json() == {"status": "ok"}


def test_an_unwritable_repository_folder_is_not_ready(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", queue="memory", _env_file=None)
    with _client(settings) as client:
        repos = settings.repos_dir
        repos.rmdir()
        repos.write_text("a file where the repositories should be")  # even root cannot write in it
        body = assert_problem(client.get("/readyz"), 503, "not-ready")
        assert body["checks"]["repos"] == "failed (NotADirectoryError)"
        assert body["checks"]["database"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_need_no_token(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
