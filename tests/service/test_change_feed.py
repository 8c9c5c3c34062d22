"""The change feed of what wfv moved (``GET /api/v1/executions/changes``), on both
databases, through the real write paths: a migration then its revert are the feed, in
commit order, with where each execution was and went; enrolments and the engine's reports
are not; paging by cursor gives every change once; the workflow filter and the tenant
wall; the long-poll answers as a change commits; ``executions.moved`` names the batch's
cursors; and on PostgreSQL a transaction that commits late is never skipped."""

import json
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, text

from indexer import journey
from indexer.models import Execution, JourneyEvent, WebhookEvent, WorkflowVersion
from indexer.pagination import encode_cursor
from service.container import Container
from service.journeys import feed
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    principal,
    versions_url,
)

API = "/api/v1/workflows"
FEED = "/api/v1/executions/changes"
CONTACTS = [f"c-{i}" for i in range(6)]


def _workflow(client: TestClient, admin: dict[str, str], contacts: list[str] = CONTACTS) -> str:
    """v1 with the contacts enrolled, one moved on by the engine, and v2 published."""
    wid: str = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    enrolled = client.post(f"{API}/{wid}/executions", json={"contact_ids": contacts}, headers=admin)
    assert enrolled.status_code == 201, enrolled.text
    moves = [{"contact_id": contacts[0], "action_id": "wait-1d", "status": "waiting"}]
    moved = client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin)
    assert moved.status_code == 200, moved.text
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    return wid


def _migrate(client: TestClient, admin: dict[str, str], wid: str) -> str:
    started = client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1]}, headers=admin)
    assert started.status_code == 202, started.text
    migration: str = started.json()["id"]
    assert client.get(f"{API}/{wid}/migrations/{migration}", headers=admin).json()["status"] == "completed"
    return migration


def _revert(client: TestClient, admin: dict[str, str], wid: str, migration: str) -> str:
    answer = client.post(f"{API}/{wid}/migrations/{migration}/revert", json={"dry_run": False}, headers=admin)
    assert answer.status_code == 202, answer.text
    state = client.get(f"{API}/{wid}/migrations/{migration}/revert", headers=admin).json()
    assert state["status"] == "completed", state
    revert: str = state["id"]
    return revert


def _caught_up(container: Container) -> None:
    """Wait until the feed serves everything committed so far. On PostgreSQL it holds back
    what any transaction still running in the cluster might commit before (other
    databases' too: transaction ids are the cluster's), and the machine's PostgreSQL is
    shared with other test runs: wait for the horizon to pass a transaction begun now."""
    if container.settings.resolved_database_url.startswith("sqlite"):
        return
    with container.uow("acme", write=True) as uow:
        now = uow.session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one()
        uow.commit()
    deadline = time.monotonic() + 60
    while True:
        with container.uow("acme") as uow:
            horizon = uow.session.execute(
                text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            ).scalar_one()
        if horizon > now:
            return
        assert time.monotonic() < deadline, "a transaction of the cluster ran for a minute"
        time.sleep(0.05)


def _feed(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = client.get(FEED, params={k: v for k, v in params.items() if v is not None}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _all(
    client: TestClient, headers: dict[str, str], **params: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """Every change after ``after``, a page of ``limit`` at a time; and the last cursor."""
    items: list[dict[str, Any]] = []
    cursor = params.pop("after", None)
    while True:
        page = _feed(client, headers, after=cursor, **params)
        items += page["items"]
        if not page["items"]:
            assert page["next_cursor"] == cursor  # caught up: the same cursor back
            return items, cursor
        cursor = page["next_cursor"]
        assert cursor == page["items"][-1]["cursor"]


def test_a_migration_then_its_revert_are_the_feed_in_commit_order(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    wid = _workflow(client, admin)
    assert _feed(client, reader) == {"items": [], "next_cursor": None}  # enrolments, reports: not wfv's moves
    migration = _migrate(client, admin, wid)
    revert = _revert(client, admin, wid, migration)
    _caught_up(container)

    items, _ = _all(client, reader)
    assert [i["cause"] for i in items] == ["migration"] * 6 + ["revert"] * 6
    assert {i["cause_id"] for i in items[:6]} == {migration}
    assert {i["cause_id"] for i in items[6:]} == {revert}
    assert sorted(i["contact_id"] for i in items[:6]) == CONTACTS
    assert sorted(i["contact_id"] for i in items[6:]) == CONTACTS
    assert {i["workflow_id"] for i in items} == {wid}
    by_contact = {(i["cause"], i["contact_id"]): i for i in items}
    moved, back = by_contact[("migration", "c-0")], by_contact[("revert", "c-0")]
    assert (moved["from_version_number"], moved["version_number"]) == (1, 2)
    assert (moved["from_action_id"], moved["action_id"]) == ("wait-1d", "wait-1d")
    assert (moved["from_status"], moved["status"], moved["revision"]) == ("waiting", "waiting", 3)
    assert (back["from_version_number"], back["version_number"], back["revision"]) == (2, 1, 4)
    assert (back["from_action_id"], back["action_id"]) == ("wait-1d", "wait-1d")
    assert back["execution_id"] == moved["execution_id"]
    other = by_contact[("migration", "c-1")]
    assert (other["from_action_id"], other["from_status"], other["revision"]) == ("welcome", "active", 2)
    assert (other["from_version_id"] is not None, other["version_id"] != other["from_version_id"]) == (
        True,
        True,
    )
    assert all(i["at"].endswith("Z") for i in items)

    # The engine reporting afterwards adds nothing to the feed.
    report = [{"contact_id": "c-1", "status": "completed"}]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": report}, headers=admin).status_code
        == 200
    )
    assert _feed(client, reader, after=items[-1]["cursor"])["items"] == []


def test_paging_by_cursor_gives_every_change_exactly_once(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    wid = _workflow(client, admin)
    migration = _migrate(client, admin, wid)
    _caught_up(container)
    whole = _feed(client, reader, limit=1000)["items"]
    for limit in (1, 4, 5):
        paged, last = _all(client, reader, limit=limit)
        assert paged == whole
        assert last == whole[-1]["cursor"]
    _revert(client, admin, wid, migration)
    _caught_up(container)
    # From the last cursor, exactly the revert's changes: none again, none missed.
    after, _ = _all(client, reader, after=whole[-1]["cursor"], limit=4)
    assert [i["cause"] for i in after] == ["revert"] * 6
    assert {i["execution_id"] for i in after} == {i["execution_id"] for i in whole}


def test_a_workflow_filter_and_the_tenant_wall(client: TestClient, container: Container, auth: Any) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    first, second = _workflow(client, admin), _workflow(client, admin, ["d-1", "d-2"])
    _migrate(client, admin, first)
    _migrate(client, admin, second)
    _caught_up(container)
    assert len(_all(client, reader)[0]) == 8
    only = _all(client, reader, workflow_id=second)[0]
    assert sorted(i["contact_id"] for i in only) == ["d-1", "d-2"]
    assert {i["workflow_id"] for i in only} == {second}

    globex = auth("workflows:read", org="globex")
    assert _feed(client, globex) == {"items": [], "next_cursor": None}
    assert_problem(client.get(FEED, params={"workflow_id": first}, headers=globex), 404)
    assert_problem(client.get(FEED, params={"workflow_id": str(uuid.uuid4())}, headers=reader), 404)
    for forged in ("not-a-cursor", encode_cursor(2**64, 1), encode_cursor("1", 1), encode_cursor(1)):
        assert_problem(client.get(FEED, params={"after": forged}, headers=reader), 400, "invalid-cursor")
    assert client.get(FEED, params={"wait": 31}, headers=reader).status_code == 422
    assert client.get(FEED, params={"limit": 0}, headers=reader).status_code == 422
    assert client.get(FEED).status_code == 401
    # A reader's token is enough; one with no permission on workflows is not.
    assert client.get(FEED, headers=auth()).status_code == 403


def _move_later(container: Container, wid: str, delay: float) -> threading.Thread:
    """After ``delay`` seconds, a migration-like move of the workflow's v1 executions to
    v2 commits (through ``indexer.journey.moved``, the migrations' own write)."""

    def run() -> None:
        time.sleep(delay)
        with container.uow("acme", write=True) as uow:
            versions = dict(
                uow.session.execute(
                    select(WorkflowVersion.version_number, WorkflowVersion.id).where(
                        WorkflowVersion.workflow_id == uuid.UUID(wid)
                    )
                ).all()
            )
            journey.moved(
                uow.session,
                Execution.version_id == versions[1],
                {"version_id": versions[2]},
                cause="migration",
                cause_id=uuid.uuid4(),
                at=datetime.now(UTC),
                journal=True,
            )
            uow.commit()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_long_poll_returns_as_soon_as_a_change_commits(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    wid = _workflow(client, admin)
    started = time.monotonic()
    empty = _feed(client, reader, wait=0.5)
    assert empty == {"items": [], "next_cursor": None}
    assert 0.4 <= time.monotonic() - started < 3

    started = time.monotonic()  # before the move's delay starts, so at least that long passes
    thread = _move_later(container, wid, 0.5)
    page = _feed(client, reader, wait=20)
    took = time.monotonic() - started
    thread.join()
    assert len(page["items"]) == 6
    # Well before the wait (the generous bound: the machine's PostgreSQL is shared, and a
    # transaction still running anywhere on it holds the feed back until it ends).
    assert 0.4 <= took < 10, took
    assert page["next_cursor"] == page["items"][-1]["cursor"]
    assert _feed(client, reader, after=page["next_cursor"], wait=0.2)["items"] == []


def test_a_long_poll_takes_a_stream_slot(client: TestClient, container: Container, auth: Any) -> None:
    """Waiting long-polls are bounded per user like event streams (a 429 past the bound,
    before any wait); a poll that finds changes at once takes no slot."""
    reader = auth("workflows:read")
    slots = client.app.state.streams  # type: ignore[attr-defined]
    held = [slots.take("acme", "alice", limit=100) for _ in range(container.settings.stream_max_per_user)]
    try:
        assert_problem(client.get(FEED, params={"wait": 5}, headers=reader), 429, "too-many-streams")
        assert _feed(client, reader) == {"items": [], "next_cursor": None}  # no wait: no slot
    finally:
        for slot in held:
            slot.release()
    _feed(client, reader, wait=0.2)
    assert slots.open_count("acme", "alice") == 0


def test_executions_moved_names_the_batch_by_its_feed_cursors(
    client: TestClient, container: Container, auth: Any
) -> None:
    container.settings = container.settings.model_copy(
        update={
            "webhook_allow_http": True,
            "webhook_allow_private_networks": True,
            "webhook_timeout_seconds": 0.2,
        }
    )
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    # Nobody listens there: the delivery fails, the event stays in the outbox to read.
    hook = {"url": "http://127.0.0.1:9/hook", "event_types": ["executions.moved"]}
    assert client.post("/api/v1/admin/webhooks", json=hook, headers=admin).status_code == 201
    wid = _workflow(client, admin)
    migration = _migrate(client, admin, wid)
    revert = _revert(client, admin, wid, migration)
    _caught_up(container)
    with container.uow("acme") as uow:
        payloads = [
            e.payload for e in uow.session.scalars(select(WebhookEvent).order_by(WebhookEvent.created_at))
        ]
    data = [p["data"] for p in payloads]
    assert {p["type"] for p in payloads} == {"executions.moved"}
    assert [(d["cause"], d["count"]) for d in data] == [("migration", 6), ("revert", 6)]
    assert (data[0]["migration_id"], data[1]["revert_id"], data[1]["migration_id"]) == (
        migration,
        revert,
        migration,
    )
    for event in data:
        cause_id = event["migration_id"] if event["cause"] == "migration" else event["revert_id"]
        page = _feed(client, reader, after=event["after_cursor"], limit=event["count"])
        assert {i["cause_id"] for i in page["items"]} == {cause_id}
        assert page["next_cursor"] == event["last_cursor"]


@pytest.mark.postgres
def test_a_late_commit_holds_the_feed_back_and_is_never_skipped(
    client: TestClient, container: Container, auth: Any, database_url: str
) -> None:
    """Two sessions: A writes a move first (the smaller seq) and commits last. While A is
    open, B's committed move is held back (a reader that took it would have a cursor past
    A's row); once A commits the feed gives A's, then B's: nothing skipped."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: seq is commit order there")
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    wid = _workflow(client, admin)
    with container.uow("acme") as uow:
        execution = uow.session.scalars(select(Execution)).first()
        assert execution is not None
        versions = dict(
            uow.session.execute(
                select(WorkflowVersion.version_number, WorkflowVersion.id).where(
                    WorkflowVersion.workflow_id == uuid.UUID(wid)
                )
            ).all()
        )
    row = {
        "tenant_id": "acme",
        "workflow_id": execution.workflow_id,
        "execution_id": execution.id,
        "contact_id": execution.contact_id,
        "at": datetime.now(UTC),
        "version_id": versions[2],
        "action_id": "welcome",
        "status": "active",
        "revision": 2,
        "cause": "migration",
        "from_version_id": versions[1],
        "from_action_id": "welcome",
        "from_status": "active",
    }
    late, early = uuid.uuid4(), uuid.uuid4()
    with container.uow("acme", write=True) as a:
        first = a.session.execute(
            insert(JourneyEvent).values(**row, cause_id=late).returning(JourneyEvent.seq)
        )
        late_seq = first.scalar_one()
        with container.uow("acme", write=True) as b:
            b.session.execute(insert(JourneyEvent).values(**row, cause_id=early))
            b.commit()
        held = _feed(client, reader)
        assert held == {"items": [], "next_cursor": None}  # B's row waits for A
        a.commit()
    _caught_up(container)
    items, _ = _all(client, reader)
    assert [i["cause_id"] for i in items] == [str(late), str(early)]
    with container.uow("acme") as uow:
        seqs = dict(uow.session.execute(select(JourneyEvent.cause_id, JourneyEvent.seq)).all())
    assert seqs[late] == late_seq < seqs[early]  # seq order was not commit order


def test_the_json_the_database_writes_is_the_models_answer(
    client: TestClient, container: Container, auth: Any
) -> None:
    """On PostgreSQL a page's items are written as JSON by the database
    (``indexer.journey_feed.rendered``); they must be exactly what the answer's models
    give for the same page: every field, null or not, each time and each cursor. (On
    SQLite both are the models' path.)"""
    admin = auth("workflows:admin")
    wid = _workflow(client, admin)
    owner = principal()

    def both(**asked: Any) -> None:
        with container.uow("acme") as uow:
            written = json.loads(feed.page(uow=uow, principal=owner, **asked).body)
            modelled = feed.models(uow=uow, principal=owner, **asked).model_dump(mode="json")
        assert written == modelled

    both(after=None, workflow_id=None, limit=100)  # nothing yet: no items, no cursor
    migration = _migrate(client, admin, wid)
    _revert(client, admin, wid, migration)
    _caught_up(container)
    with container.uow("acme") as uow:
        items = feed.models(uow=uow, principal=owner, after=None, workflow_id=None, limit=1000).items
    assert len(items) == 12
    for after in (None, items[0].cursor, items[5].cursor, items[-1].cursor):
        for limit in (1, 5, 1000):
            both(after=after, workflow_id=None, limit=limit)
            both(after=after, workflow_id=uuid.UUID(wid), limit=limit)
