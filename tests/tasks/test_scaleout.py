"""Scale-out: two API processes (``wfv serve --no-embedded-worker``, two ports) and two
``wfv worker`` processes on one index, one queue and one data dir behave as one service.

Production's stack (PostgreSQL as the service role, Redis queue and drafts) and the
embedded one (SQLite index and queue in the shared data dir). Clients spread over both
APIs: concurrent creations, edits of one draft with If-Match from both (one winner per
lock version), publishes raced from both, a migration started on one API and followed on
the other; then the consistency check and the invariants it does not cover.
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from indexer.models import AuditEntry, Execution, WorkflowVersion
from service.auth import issue_token
from service.container import Container
from service.healing.check import check_consistency
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import example, renamed
from tests.tasks.conftest import container_for

SECRET = "scaleout-test-secret-long-enough-for-hs256"
CONTACTS = 3000
EDIT_ROUNDS = 6
EDITORS_PER_ROUND = 4  # two on each API


@pytest.fixture
def apis(queue_env: dict[str, str], tmp_path: Path) -> Iterator[list[str]]:
    """Two APIs and two workers, started together (both APIs migrate at start)."""
    env = queue_env | {"WFV_JWT_SECRET": SECRET}
    container_for(env).close()  # the schema, before the processes race for it
    ports = [free_port(), free_port()]
    with ExitStack() as stack:
        for n in (1, 2):
            stack.enter_context(running([WFV, "worker", "--workers", "2"], env, tmp_path / f"worker{n}.log"))
        for n, port in enumerate(ports):
            serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
            url = f"http://127.0.0.1:{port}"
            stack.enter_context(running(serve, env, tmp_path / f"api{n}.log", f"{url}/healthz"))
        yield [f"http://127.0.0.1:{port}/api/v1/workflows" for port in ports]


@pytest.fixture
def container(queue_env: dict[str, str]) -> Iterator[Container]:
    built = container_for(queue_env | {"WFV_JWT_SECRET": SECRET}, jwt_secret=SECRET)
    yield built
    built.close()


TOKEN = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def _together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls at once (a barrier), each on its own thread."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _call(method: str, url: str, **kwargs: Any) -> Callable[[], httpx.Response]:
    return lambda: httpx.request(
        method, url, headers={**HEADERS, **kwargs.pop("headers", {})}, timeout=60, **kwargs
    )


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _create(api: str, name: str, document: dict[str, Any] | None = None) -> Callable[[], httpx.Response]:
    return _call("POST", api, json={"name": name, "definition": document or example("welcome-small")})


def _edits_race(apis: list[str], workflow: str) -> list[int]:
    """Each round: four editors (two per API) send the same If-Match; one wins."""
    accepted = []
    for round_ in range(EDIT_ROUNDS):
        lock = round_ + 1
        calls = [
            _call(
                "PATCH",
                f"{apis[n % 2]}/{workflow}/versions/1",
                json={"definition": renamed(example("welcome-small"), f"r{round_}-e{n}")},
                headers={"If-Match": f'"{lock}"'},
            )
            for n in range(EDITORS_PER_ROUND)
        ]
        answers = _together(calls)
        statuses = Counter(answer.status_code for answer in answers)
        # Losers waited for the winner's lock and saw its lock_version: 412, never a
        # "concurrent change" that only the git CAS caught.
        assert statuses == {200: 1, 412: EDITORS_PER_ROUND - 1}, [a.text for a in answers]
        accepted += [answer.json()["lock_version"] for answer in answers if answer.status_code == 200]
    return accepted


def _publish_race(apis: list[str], workflow: str) -> int:
    """The same draft published from both APIs: one 200, one 409; then two drafts at once
    (both published, one after the other). Returns the current version, as both APIs say."""
    answers = _together([_call("POST", f"{api}/{workflow}/versions/1/publish") for api in apis])
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert [a.json()["type"] for a in answers if a.status_code == 409] == ["/problems/invalid-transition"]
    for api in apis:
        _ok(_call("POST", f"{api}/{workflow}/versions", json={})(), 201)  # v2 on one API, v3 on the other
    answers = _together(
        [_call("POST", f"{api}/{workflow}/versions/{n}/publish") for n, api in ((2, apis[0]), (3, apis[1]))]
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    views = [_ok(_call("GET", f"{api}/{workflow}/versions")())["items"] for api in apis]
    current = [[v["version_number"] for v in items if v["is_current"]] for items in views]
    assert current[0] == current[1]
    assert current[0] in ([2], [3])
    return int(current[0][0])


def _draft_across(apis: list[str], workflow: str) -> None:
    """An auto-save on one API (Redis, or the database embedded) is the other API's draft,
    the other API's next save builds on it, and a publish on one closes it on both."""
    draft = f"{{api}}/{workflow}/versions/1/draft"
    document = renamed(example("welcome-small"), "auto-saved")
    saved = _ok(_call("POST", draft.format(api=apis[0]), json={"definition": document, "revision": 0})())
    seen = _ok(_call("GET", draft.format(api=apis[1]))())
    assert (seen["revision"], seen["definition"]["actions"][0]["name"]) == (
        saved["revision"],
        document["actions"][0]["name"],
    )
    stale = _call(
        "POST", draft.format(api=apis[1]), json={"definition": example("welcome-small"), "revision": 0}
    )()
    assert stale.status_code == 200
    assert stale.json()["merged"] is True  # based on revision 0, merged with API 0's save
    assert stale.json()["revision"] == saved["revision"] + 1
    # API 1 remembers v1 is a draft; API 0 publishes it: API 1's next save is refused at once.
    _ok(_call("POST", f"{apis[0]}/{workflow}/versions/1/publish")())
    late = _call("POST", draft.format(api=apis[1]), json={"definition": document, "revision": 2})()
    assert (late.status_code, late.json()["type"]) == (409, "/problems/version-not-draft"), late.text


def _migration(apis: list[str]) -> tuple[str, str]:
    """v1 with CONTACTS enrolled, v2 published; migrate on one API, follow on the other."""
    workflow = _ok(_create(apis[0], "migrating")(), 201)["id"]
    _ok(_call("POST", f"{apis[1]}/{workflow}/versions/1/publish")())
    contacts = [f"c-{n}" for n in range(CONTACTS)]
    _ok(_call("POST", f"{apis[0]}/{workflow}/executions", json={"contact_ids": contacts})(), 201)
    _ok(
        _call("POST", f"{apis[1]}/{workflow}/versions", json={"definition": example("welcome-small-a")})(),
        201,
    )
    _ok(_call("POST", f"{apis[0]}/{workflow}/versions/2/publish")())
    started = _ok(
        _call(
            "POST", f"{apis[0]}/{workflow}/versions/2/migrate", json={"from_versions": [1], "batch_size": 250}
        )(),
        202,
    )
    for _ in range(600):
        state = _ok(_call("GET", f"{apis[1]}/{workflow}/migrations/{started['id']}")())
        if state["status"] not in ("queued", "running"):
            break
        threading.Event().wait(0.1)
    assert state["status"] == "completed", state
    assert (state["migrated"], state["failed"], state["skipped"], state["total"]) == (
        CONTACTS,
        0,
        0,
        CONTACTS,
    )
    return workflow, started["id"]


def test_two_apis_and_two_workers_behave_as_one_service(apis: list[str], container: Container) -> None:
    created = _together([_create(apis[n % 2], f"flow-{n}") for n in range(12)])
    ids = [_ok(answer, 201)["id"] for answer in created]
    assert len(set(ids)) == 12
    for api in apis:  # every workflow visible from either API
        assert {w["id"] for w in _ok(_call("GET", f"{api}?limit=100")())["items"]} >= set(ids)

    accepted = _edits_race(apis, ids[0])
    assert accepted == list(range(2, EDIT_ROUNDS + 2))  # each lock version accepted once, in order
    _draft_across(apis, ids[1])
    current = _publish_race(apis, ids[0])
    migrated_flow, migration_id = _migration(apis)

    report = check_consistency(container)
    assert report.problems == [], report.problems
    assert report.healable == []
    assert report.workflows_checked == 13
    with container.uow("acme") as uow:
        numbers = uow.session.execute(
            select(
                WorkflowVersion.workflow_id, func.count(), func.max(WorkflowVersion.version_number)
            ).group_by(WorkflowVersion.workflow_id)
        ).all()
        assert all(count == top for _, count, top in numbers)  # 1..N, no gap, no duplicate
        edits = uow.session.scalar(
            select(func.count()).where(
                AuditEntry.workflow_id == uuid.UUID(ids[0]), AuditEntry.action == "update"
            )
        )
        assert edits == EDIT_ROUNDS
        publishes = uow.session.scalars(
            select(AuditEntry.details)
            .where(AuditEntry.workflow_id == uuid.UUID(ids[0]), AuditEntry.action == "publish")
            .order_by(AuditEntry.id)
        ).all()
        assert sorted(d["version_number"] for d in publishes) == [1, 2, 3]  # each once
        assert publishes[-1]["version_number"] == current  # the later of the raced publishes is current
        scope = Execution.workflow_id == uuid.UUID(migrated_flow)
        moved = uow.session.scalar(
            select(func.count()).where(scope, Execution.last_migration_id == uuid.UUID(migration_id))
        )
        on_versions = dict(
            uow.session.execute(
                select(WorkflowVersion.version_number, func.count())
                .select_from(Execution)
                .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
                .where(scope)
                .group_by(WorkflowVersion.version_number)
            ).all()
        )
    assert moved == CONTACTS  # every execution moved exactly once
    assert on_versions == {2: CONTACTS}
