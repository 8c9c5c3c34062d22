"""Retried POSTs against a real ``wfv serve``, on SQLite and PostgreSQL (as ``wfv_app``):
a request whose connection the client cut before reading the answer, and one whose
server was SIGKILLed between its commit and its answer (the ``committed`` crash point),
are each done once, however often they are sent again with their Idempotency-Key; the
retry gets the first answer. Checked in the index and in git."""

import json
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from indexer.idempotency import KeyScope
from indexer.models import IdempotencyKey, Workflow, WorkflowVersion
from schemas.state import STATE_REF
from service import idempotency
from service.api.idempotency import fingerprint
from service.archival.runs import run_archival
from service.healing.scan import reconcile_all
from tests.conftest import app_role_url, truncate_tables
from tests.e2e.conftest import GitServer, _serve
from tests.factories import example, renamed

serve = contextmanager(_serve)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    url: str = request.getfixturevalue("postgres_url")
    truncate_tables(url)
    return {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}


@pytest.fixture
def server(database: dict[str, str], tmp_path: Path) -> Iterator[GitServer]:
    with serve("server", tmp_path, database) as running:
        yield running


def _workflow(server: GitServer, *, publish: bool = True) -> str:
    with server.api() as api:
        created = api.post("/workflows", json={"name": "w", "definition": example("welcome-small")})
        assert created.status_code == 201, created.text
        wid = str(created.json()["id"])
        if publish:
            assert api.post(f"/workflows/{wid}/versions/1/publish").status_code == 200
    return wid


def _send_and_hang_up(server: GitServer, path: str, key: str, body: dict[str, Any] | None) -> None:
    """Send a whole request, then close the socket without reading a byte of the answer."""
    address = urlsplit(server.base)
    payload = json.dumps(body).encode() if body is not None else b""
    head = (
        f"POST /api/v1{path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Authorization: Bearer {server.token()}\r\nIdempotency-Key: {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port)) as sock:
        sock.sendall(head.encode() + payload)


def _key_state(server: GitServer, key: str) -> str | None:
    with server.container.uow("acme") as uow:
        row = uow.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
        return row.state if row is not None else None


def _retry(server: GitServer, path: str, key: str, body: dict[str, Any] | None) -> httpx.Response:
    """What a client does: send again with the same key, waiting as long as it is told
    (409 in use, Retry-After), until there is an answer."""
    deadline = time.monotonic() + 60
    with server.api() as api:
        while True:
            answer = api.post(path, json=body, headers={"Idempotency-Key": key})
            if answer.status_code != 409 or answer.json()["type"] != "/problems/idempotency-key-in-use":
                return answer
            assert time.monotonic() < deadline, "the key stayed in use"
            time.sleep(float(answer.headers["retry-after"]) / 10)


def _wait_for_claim(server: GitServer, key: str) -> None:
    deadline = time.monotonic() + 30
    while _key_state(server, key) is None:
        assert time.monotonic() < deadline, "the request never reached the server"
        time.sleep(0.02)


def _versions(server: GitServer, wid: str) -> list[tuple[int, str]]:
    with server.container.uow("acme") as uow:
        rows = uow.session.scalars(
            select(WorkflowVersion).where(WorkflowVersion.workflow_id == uuid.UUID(wid))
        )
        return sorted((row.version_number, row.status) for row in rows)


def test_a_create_cut_mid_request_and_retried_is_done_once(server: GitServer) -> None:
    wid = _workflow(server)
    path, key = f"/workflows/{wid}/versions", "cut-create"
    body = {"definition": renamed(example("welcome-small"), "second")}
    _send_and_hang_up(server, path, key, body)
    _wait_for_claim(server, key)
    answer = _retry(server, path, key, body)
    assert (answer.status_code, answer.headers.get("idempotent-replayed")) == (201, "true"), answer.text
    assert answer.json()["version_number"] == 2
    assert _retry(server, path, key, body).content == answer.content  # and again: the same
    assert _versions(server, wid) == [(1, "active"), (2, "draft")]
    repo = server.container.store.open("acme", uuid.UUID(wid))
    assert sorted(repo.refs("refs/heads/")) == [
        "refs/heads/drafts/v1",
        "refs/heads/drafts/v2",
        "refs/heads/main",
    ]
    assert repo.ref_target("refs/heads/drafts/v2") == answer.json()["commit_sha"]


def test_a_publish_cut_mid_request_and_retried_is_one_commit_and_one_tag(server: GitServer) -> None:
    wid = _workflow(server)
    with server.api() as api:
        body = {"definition": renamed(example("welcome-small"), "second")}
        assert api.post(f"/workflows/{wid}/versions", json=body).status_code == 201
    path, key = f"/workflows/{wid}/versions/2/publish", "cut-publish"
    _send_and_hang_up(server, path, key, None)
    _wait_for_claim(server, key)
    answer = _retry(server, path, key, None)
    assert (answer.status_code, answer.headers["idempotent-replayed"]) == (200, "true")
    assert answer.json()["is_current"] is True
    assert _versions(server, wid) == [(1, "active"), (2, "active")]
    repo = server.container.store.open("acme", uuid.UUID(wid))
    assert sorted(repo.refs("refs/tags/")) == ["refs/tags/v1", "refs/tags/v2"]
    main = repo.ref_target("refs/heads/main")
    assert main is not None
    assert len(list(repo.first_parent_walk(main))) == 2  # one commit per publish


def test_an_answer_lost_to_a_crash_after_the_commit_is_replayed_by_the_next_server(
    database: dict[str, str], tmp_path: Path
) -> None:
    """The server dies between its commit and its answer (the ``committed`` crash point):
    the client saw nothing. A fresh server answers the retry with the committed answer."""
    body = {"definition": renamed(example("welcome-small"), "second")}
    key = "crash-after-commit"
    with serve("server", tmp_path, database) as first:
        wid = _workflow(first)
    with serve("server", tmp_path, database, WFV_TEST_CRASH_POINTS=json.dumps(["committed"])) as doomed:
        with doomed.api() as api, pytest.raises(httpx.TransportError):
            api.post(f"/workflows/{wid}/versions", json=body, headers={"Idempotency-Key": key})
        log = (tmp_path / "serve.log").read_text()
        assert "crash point committed reached" in log
    with serve("server", tmp_path, database) as fresh:
        assert _key_state(fresh, key) == "done"
        answer = _retry(fresh, f"/workflows/{wid}/versions", key, body)
        assert (answer.status_code, answer.headers["idempotent-replayed"]) == (201, "true")
        assert answer.json()["version_number"] == 2
        assert _versions(fresh, wid) == [(1, "active"), (2, "draft")]


def test_a_claim_left_by_a_dead_request_lapses_and_the_retry_does_the_work(
    database: dict[str, str], tmp_path: Path
) -> None:
    """A request that claimed its key and died before its transaction committed (here an
    enrolment, SQL alone) did nothing: the retry is told to wait (409, Retry-After) while
    the claim's lease runs, then does the work, once. The dead request's claim is made by
    the test's own container, with a two-second lease."""
    with serve("server", tmp_path, database) as server:
        wid = _workflow(server)
        path, key, body = f"/workflows/{wid}/executions", "dead-request", {"contact_ids": ["c-1", "c-2"]}
        sent = httpx.Request("POST", f"{server.base}/api/v1{path}", json=body)
        print_ = fingerprint("POST", f"/api/v1{path}", "", "", sent.content)
        server.container.settings.idempotency_lease_seconds = 2
        claimed = idempotency.claim(server.container, KeyScope("acme", "alice", key), print_)
        assert isinstance(claimed, idempotency.Claim)
        with server.api() as api:
            busy = api.post(path, json=body, headers={"Idempotency-Key": key})
        assert (busy.status_code, busy.headers["retry-after"]) == (409, "1")
        answer = _retry(server, path, key, body)
        assert answer.status_code == 201, answer.text
        assert "idempotent-replayed" not in answer.headers
        assert answer.json()["enrolled"] == 2
        assert _retry(server, path, key, body).headers["idempotent-replayed"] == "true"


def _workflows(server: GitServer) -> list[str]:
    with server.container.uow("acme") as uow:
        return sorted(str(row.id) for row in uow.session.scalars(select(Workflow)))


def _commits(server: GitServer, wid: str) -> set[str]:
    repo = server.container.store.open("acme", uuid.UUID(wid))
    return {info.sha for tip in repo.refs("refs/heads/").values() for info in repo.first_parent_walk(tip)}


def _request_killed_after_its_ref_move(
    database: dict[str, str], tmp_path: Path, path: str, key: str, body: dict[str, Any] | None
) -> None:
    """Send the request to a server armed to die between moving its refs and committing
    (the ``refs-moved`` crash point), with a one-second lease, and wait the lease out."""
    points, lease = json.dumps(["refs-moved"]), "1"
    with serve(
        "server", tmp_path, database, WFV_TEST_CRASH_POINTS=points, WFV_IDEMPOTENCY_LEASE_SECONDS=lease
    ) as doomed:
        with doomed.api() as api, pytest.raises(httpx.TransportError):
            api.post(path, json=body, headers={"Idempotency-Key": key})
        assert "crash point refs-moved reached" in (tmp_path / "serve.log").read_text()
        assert _key_state(doomed, key) == "running"  # the claim, and nothing else, committed
    time.sleep(1.2)


def test_retries_of_requests_killed_after_their_ref_move_answer_from_git_and_do_nothing_twice(
    database: dict[str, str], tmp_path: Path
) -> None:
    """A request that died after moving its refs and before its SQL commit left its effect
    in git alone, and its claim running. Its retry, once the lease lapsed, finds that
    effect by the claim's trailer (healed into the index) and answers from it: one
    workflow, one version, one publish, one edit, one rollback, each as git has it."""
    with serve("server", tmp_path, database) as first:
        wid = _workflow(first, publish=False)
        with first.api() as api:
            draft = {"revision": 0, "definition": renamed(example("welcome-small"), "saved")}
            assert api.post(f"/workflows/{wid}/versions/1/draft", json=draft).status_code == 200
    created = {"name": "retried", "definition": example("welcome-small")}
    steps: list[tuple[str, str, dict[str, Any] | None, int]] = [
        ("/workflows", "create-workflow", created, 201),
        (f"/workflows/{wid}/versions/1/draft/commit", "commit-draft", {"lock_version": 1}, 200),
        (f"/workflows/{wid}/versions/1/publish", "publish", None, 200),
        (
            f"/workflows/{wid}/versions",
            "create-version",
            {"definition": renamed(example("welcome-small"), "2")},
            201,
        ),
        (f"/workflows/{wid}/versions/2/publish", "publish-2", None, 200),
        (f"/workflows/{wid}/versions/1/rollback", "rollback", None, 201),
    ]
    for path, key, body, status in steps:
        _request_killed_after_its_ref_move(database, tmp_path, path, key, body)
        with serve("server", tmp_path, database) as fresh:
            answer = _retry(fresh, path, key, body)
            assert answer.status_code == status, (key, answer.text)
            assert "idempotent-replayed" not in answer.headers  # built afresh from what git holds
            again = _retry(fresh, path, key, body)
            assert (again.headers["idempotent-replayed"], again.content) == ("true", answer.content)
            if key == "create-workflow":
                reconcile_all(fresh.container)  # what the periodic task does: every repository indexed
                assert _workflows(fresh) == sorted([wid, answer.json()["id"]])
                assert (
                    fresh.container.store.open("acme", uuid.UUID(answer.json()["id"])).ref_target(
                        "refs/heads/drafts/v1"
                    )
                    == answer.json()["version"]["commit_sha"]
                )
            else:
                assert answer.json()["commit_sha"] in _commits(fresh, wid)
    with serve("server", tmp_path, database) as last:
        assert _versions(last, wid) == [(1, "active"), (2, "active"), (3, "active")]
        repo = last.container.store.open("acme", uuid.UUID(wid))
        main = repo.ref_target("refs/heads/main")
        assert main is not None
        assert len(list(repo.first_parent_walk(main))) == 3  # publish v1, publish v2, rollback v3
        assert sorted(repo.refs("refs/tags/")) == ["refs/tags/v1", "refs/tags/v2", "refs/tags/v3"]
        assert len(list(repo.first_parent_walk(str(repo.ref_target("refs/heads/drafts/v1"))))) == 2


def _state_line(server: GitServer, wid: str) -> list[str]:
    """The summaries of the retention state commits, newest first."""
    repo = server.container.store.open("acme", uuid.UUID(wid))
    tip = repo.ref_target(STATE_REF)
    return [info.summary for info in repo.first_parent_walk(tip)] if tip else []


def test_retention_changes_killed_after_their_ref_move_are_answered_from_git_once(
    database: dict[str, str], tmp_path: Path
) -> None:
    """An unarchive and a legal hold whose requests died after moving ``refs/wfv/state``
    and before their SQL commit: the retry finds the state commit its claim wrote (healed
    into the index) and answers from it, where doing the work again would refuse the
    unarchive (409, the version is active already) and record the hold twice."""
    with serve("server", tmp_path, database) as first:
        wid = _workflow(first)
        with first.api() as api:
            made = api.post(
                f"/workflows/{wid}/versions", json={"definition": renamed(example("welcome-small"), "2")}
            )
            assert made.status_code == 201, made.text
            assert api.post(f"/workflows/{wid}/versions/2/publish").status_code == 200
        first.container.settings.keep_versions = 1
        later = datetime.now(UTC) + timedelta(days=400)
        first.container.clock = lambda: later
        run = run_archival(
            first.container, "acme", trigger="manual", actor="alice", workflow_id=uuid.UUID(wid)
        )
        assert (run.status, run.archived) == ("completed", 1)
        assert _versions(first, wid) == [(1, "archived"), (2, "active")]
    steps = [
        (f"/workflows/{wid}/versions/1/unarchive", "unarchive", None, "Unarchive v1"),
        (f"/workflows/{wid}/versions/1/legal-hold", "hold", {"reason": "audit 2026"}, "Legal hold on v1"),
    ]
    for path, key, body, summary in steps:
        _request_killed_after_its_ref_move(database, tmp_path, path, key, body)
        with serve("server", tmp_path, database) as fresh:
            assert _state_line(fresh, wid)[0] == summary  # in git, not yet in the index
            answer = _retry(fresh, path, key, body)
            assert answer.status_code == 200, (key, answer.text)
            assert "idempotent-replayed" not in answer.headers  # built afresh from what git holds
            assert answer.json()["status"] == "active"
            again = _retry(fresh, path, key, body)
            assert (again.headers["idempotent-replayed"], again.content) == ("true", answer.content)
            assert _state_line(fresh, wid).count(summary) == 1  # done once
    with serve("server", tmp_path, database) as last:
        assert _versions(last, wid) == [(1, "active"), (2, "active")]
        with last.api() as api:
            [v1] = [
                v for v in api.get(f"/workflows/{wid}/versions").json()["items"] if v["version_number"] == 1
            ]
        assert v1["legal_hold_reason"] == "audit 2026"
