"""A fair share per tenant, on real ``wfv serve`` processes: a tenant over a budget gets a
429 problem with ``Retry-After`` and the RateLimit fields while another tenant is served;
reads, writes and draft saves are three budgets; with Redis two API processes share one
count; with Redis gone requests are served (fail open), never a 500.

Each server runs on SQLite and on PostgreSQL, counting in process and through Redis."""

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.auth import issue_token
from tests.conftest import JWT_SECRET, app_role_url, truncate_tables
from tests.e2e.conftest import GitServer, _serve
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import PROBLEM_JSON, example, within_one_window
from tests.redis_support import RedisProcess, own_redis

pytestmark = pytest.mark.e2e

BUDGETS = {
    "WFV_TENANT_BUDGET_READS": "10",
    "WFV_TENANT_BUDGET_WRITES": "4",
    "WFV_TENANT_BUDGET_DRAFT_SAVES": "6",
    "WFV_TENANT_BUDGET_REFUSAL_DELAY_SECONDS": "0",  # its own test: tests/service/test_tenant_budgets.py
}
NO_DELAY: dict[str, Any] = {"WFV_TENANT_BUDGET_REFUSAL_DELAY_SECONDS": "0"}


def _token(org: str, user: str = "alice") -> dict[str, str]:
    token = issue_token(secret=JWT_SECRET, user=user, org=org, permissions=["workflows:admin"])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def module_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    with own_redis(tmp_path_factory.mktemp("budget-redis")) as server:
        yield server


@pytest.fixture(
    scope="module",
    params=[
        "sqlite-memory",
        "sqlite-redis",
        pytest.param("postgres-memory", marks=pytest.mark.postgres),
        pytest.param("postgres-redis", marks=pytest.mark.postgres),
    ],
)
def budget_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GitServer]:
    kind, counting = str(request.param).split("-")
    database: dict[str, str] = {}
    if kind == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_tables(url)
        database = {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}
    extra: dict[str, Any] = dict(BUDGETS)
    if counting == "redis":
        redis_server: RedisProcess = request.getfixturevalue("module_redis")
        redis_server.client().flushall()
        extra["WFV_REDIS_URL"] = redis_server.url
    tmp = tmp_path_factory.mktemp(f"budgets-{request.param}")
    yield from _serve(kind, tmp, database, **extra)


def _assert_refused(answer: httpx.Response, budget: str, quota: int) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    problem = answer.json()
    assert problem["type"] == "/problems/rate-limited"
    assert problem["budget"] == budget
    assert problem["quota"] == quota
    assert problem["window_seconds"] == 60
    retry_after = int(answer.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert problem["retry_after"] == retry_after
    assert answer.headers["ratelimit-policy"] == f'"{budget}";q={quota};w=60'
    assert answer.headers["ratelimit"] == f'"{budget}";r=0;t={retry_after}'
    assert answer.headers["x-request-id"]


def test_a_tenant_over_its_budgets_is_refused_and_another_is_not(budget_server: GitServer) -> None:
    base = f"{budget_server.base}/api/v1/workflows"
    tenant = f"busy-{budget_server.kind}"
    busy, quiet = _token(tenant), _token(f"quiet-{budget_server.kind}")
    within_one_window(60, needed=5)  # counted in process, the windows start on the minute
    with httpx.Client(timeout=30) as http:
        created = http.post(base, json={"name": "one", "definition": example("welcome-small")}, headers=busy)
        assert created.status_code == 201, created.text  # write 1 of 4
        draft = f"{base}/{created.json()['id']}/versions/1/draft"
        revision = 0
        for _ in range(6):
            saved = http.post(
                draft, json={"revision": revision, "definition": example("welcome-small")}, headers=busy
            )
            assert saved.status_code == 200, saved.text
            revision = saved.json()["revision"]
        refused = http.post(draft, json={"revision": revision, "definition": {}}, headers=busy)
        _assert_refused(refused, "draft-saves", 6)

        # Draft saves spent; writes and reads are budgets of their own.
        for n in range(3):  # writes 2..4
            answer = http.post(
                base, json={"name": f"w{n}", "definition": example("welcome-small")}, headers=busy
            )
            assert answer.status_code == 201, answer.text
        _assert_refused(http.post(base, json={"name": "five", "definition": {}}, headers=busy), "writes", 4)
        for _ in range(10):
            assert http.get(base, headers=busy).status_code == 200
        _assert_refused(http.get(base, headers=busy), "reads", 10)

        # Another tenant is untouched by all three.
        assert http.get(base, headers=quiet).status_code == 200
        mine = http.post(base, json={"name": "q", "definition": example("welcome-small")}, headers=quiet)
        assert mine.status_code == 201, mine.text
        quiet_draft = f"{base}/{mine.json()['id']}/versions/1/draft"
        saved = http.post(
            quiet_draft, json={"revision": 0, "definition": example("welcome-small")}, headers=quiet
        )
        assert saved.status_code == 200, saved.text

        # Unauthenticated requests are charged to nobody and fail auth as ever; probes are free.
        assert http.get(base).status_code == 401
        assert http.get(base, headers={"Authorization": "Bearer forged"}).status_code == 401
        assert http.get(f"{budget_server.base}/healthz").status_code == 200
        # Another user of the busy tenant shares its budget: it is the tenant's.
        _assert_refused(http.get(base, headers=_token(tenant, user="bob")), "reads", 10)
    listed = budget_server.api(budget_server.token(org=tenant)).get("/workflows")
    assert listed.status_code == 429  # the same server, still over: nothing leaks past it


def test_git_fetch_counts_as_a_read_and_push_as_a_write(budget_server: GitServer) -> None:
    tenant = f"git-{budget_server.kind}"
    headers = _token(tenant)
    within_one_window(60, needed=5)  # counted in process, the windows start on the minute
    with httpx.Client(timeout=30) as http:
        created = http.post(
            f"{budget_server.base}/api/v1/workflows",
            json={"name": "g", "definition": example("welcome-small")},
            headers=headers,
        )
        assert created.status_code == 201
        repo = budget_server.url(created.json()["id"])
        for _ in range(10):
            advertised = http.get(f"{repo}/info/refs?service=git-upload-pack", headers=headers)
            assert advertised.status_code == 200, advertised.text
        _assert_refused(
            http.post(
                f"{repo}/git-upload-pack",
                content=b"0000",
                headers={**headers, "Content-Type": "application/x-git-upload-pack-request"},
            ),
            "reads",
            10,
        )
        # A push's request is a write: the write budget still has 3 of 4 left.
        pushed = http.post(
            f"{repo}/git-receive-pack",
            content=b"0000",
            headers={**headers, "Content-Type": "application/x-git-receive-pack-request"},
        )
        assert pushed.status_code != 429, pushed.text


def _access_pids(log: Path) -> set[int]:
    pids = set()
    for raw in log.read_text().splitlines():
        if raw.startswith("{"):
            line = json.loads(raw)
            if line.get("logger") == "wfv.access" and line.get("route") == "/api/v1/workflows":
                pids.add(line["pid"])
    return pids


@pytest.fixture
def redis_workdir(tmp_path: Path) -> Path:
    path = tmp_path / "redis"
    path.mkdir()
    return path


def test_two_processes_share_one_budget_through_redis(tmp_path: Path, redis_workdir: Path) -> None:
    with own_redis(redis_workdir) as redis_server:
        env = wfv_env(
            tmp_path / "var",
            WFV_JWT_SECRET=JWT_SECRET,
            WFV_QUEUE="memory",
            WFV_REDIS_URL=redis_server.url,
            WFV_LOG_FORMAT="json",
            WFV_TENANT_BUDGET_READS="30",
            WFV_TENANT_BUDGET_REFUSAL_DELAY_SECONDS="0",
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp_path / "serve.log"
        args = [WFV, "serve", "--port", str(port), "--processes", "2", "--no-embedded-worker"]
        with running(args, env, log, f"{base}/healthz"):
            headers = _token("shared")
            statuses: list[int] = []
            deadline = time.monotonic() + 60
            # Each call is a new connection, which the kernel hands to either process.
            while len(_access_pids(log)) < 2 or len(statuses) < 60:
                assert time.monotonic() < deadline, "one process answered every request"
                statuses.append(
                    httpx.get(f"{base}/api/v1/workflows", headers=headers, timeout=10).status_code
                )
                time.sleep(0.01)
            assert set(statuses) == {200, 429}
            # Per process, each would have let 30 through: together they let 30 through.
            assert statuses.count(200) == 30
            assert statuses[:30] == [200] * 30


def _metric(base: str, name: str) -> float:
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_redis_down_serves_requests_unchecked(
    kind: str, tmp_path: Path, redis_workdir: Path, request: pytest.FixtureRequest
) -> None:
    database: dict[str, str] = {}
    if kind == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_tables(url)
        database = {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}
    with own_redis(redis_workdir) as redis_server:
        serving = contextmanager(_serve)
        with serving(
            kind, tmp_path, database, WFV_REDIS_URL=redis_server.url, WFV_TENANT_BUDGET_READS="5", **NO_DELAY
        ) as server:
            base = f"{server.base}/api/v1/workflows"
            headers = _token("unchecked")
            assert [httpx.get(base, headers=headers).status_code for _ in range(6)] == [200] * 5 + [429]
            redis_server.kill()
            time.sleep(1.1)  # the refusal this process remembered has lapsed
            answers = [httpx.get(base, headers=headers, timeout=10) for _ in range(20)]
            assert [answer.status_code for answer in answers] == [200] * 20
            assert _metric(server.base, "wfv_tenant_budget_unchecked_total") >= 20
            # Writes too (a workflow needs no Redis: the queue is in memory here).
            created = httpx.post(
                base, json={"name": "x", "definition": example("welcome-small")}, headers=headers
            )
            assert created.status_code == 201, created.text
    text = (tmp_path / "serve.log").read_text()
    assert len(re.findall(r"tenant budgets: Redis did not answer", text)) == 1, text
