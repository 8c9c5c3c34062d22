"""A real ``wfv serve`` for the git tests, on SQLite and on PostgreSQL (as ``wfv_app``),
plus a container in the test process on the same data dir and database, to build large
histories fast through the use cases and to look at the index afterwards."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.auth import issue_token
from service.container import Container, build_container
from service.settings import Settings
from tests.conftest import JWT_SECRET, app_role_url, truncate_tables
from tests.e2e.helpers import WFV, free_port, running, wfv_env


@dataclass
class GitServer:
    kind: str
    base: str
    data: Path
    container: Container

    def token(self, *permissions: str, user: str = "alice", org: str = "acme") -> str:
        return issue_token(
            secret=JWT_SECRET, user=user, org=org, permissions=list(permissions or ["workflows:admin"])
        )

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=30)

    def url(self, workflow_id: Any) -> str:
        return f"{self.base}/git/{workflow_id}.git"


def _serve(
    kind: str, tmp: Path, database: dict[str, str], *, relative: bool = False, **extra_env: str
) -> Iterator[GitServer]:
    """``relative``: the server runs in ``tmp`` with ``WFV_DATA_DIR=./var``, as ``make serve``
    keeps its data (every other test hands it an absolute folder); ``extra_env``: more
    ``WFV_*`` settings for the server."""
    data = tmp / "var"
    env = wfv_env(data, WFV_JWT_SECRET=JWT_SECRET, WFV_QUEUE="memory", **database, **extra_env)
    if relative:
        env["WFV_DATA_DIR"] = "./var"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(args, env, tmp / "serve.log", f"{base}/healthz", cwd=tmp if relative else None):
        settings = Settings(
            data_dir=data,
            database_url=database.get("WFV_DATABASE_URL"),
            migration_database_url=database.get("WFV_MIGRATION_DATABASE_URL"),
            jwt_secret=JWT_SECRET,
            queue="memory",
            _env_file=None,
        )
        container = build_container(settings)
        try:
            yield GitServer(kind, base, data, container)
        finally:
            container.close()


@pytest.fixture(
    scope="module",
    params=["sqlite", "sqlite-relative", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def git_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GitServer]:
    """One server per module and database (and one on a relative data folder); each test
    makes its own workflows."""
    kind, relative = str(request.param).removesuffix("-relative"), str(request.param).endswith("-relative")
    database: dict[str, str] = {}
    if kind == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_tables(url)
        database = {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}
    tmp = tmp_path_factory.mktemp(f"git-{request.param}")
    yield from _serve(kind, tmp, database, relative=relative)


@pytest.fixture(scope="module")
def sqlite_git_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitServer]:
    """For tests about git serving alone, where the database plays no part."""
    yield from _serve("sqlite", tmp_path_factory.mktemp("git-big"), {})


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GitServer]:
    """One server per module and database, for tests that call the API from outside (the
    generated clients, the engine example); each test makes its own workflows."""
    database: dict[str, str] = {}
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_tables(url)
        database = {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}
    # Webhooks to a receiver on this machine over http (the engine example's): allowed here.
    yield from _serve(
        str(request.param),
        tmp_path_factory.mktemp(f"api-{request.param}"),
        database,
        WFV_WEBHOOK_ALLOW_HTTP="true",
        WFV_WEBHOOK_ALLOW_PRIVATE_NETWORKS="true",
    )
