"""Continuity, end to end: 10,000 contacts run by the reference engine (``examples/engine``)
through a real ``wfv serve`` and ``wfv worker``, while the workflow changes under them:

1. v1 published; 8,000 contacts enrolled in four waves, the engine moving them tick by tick;
2. v2 published and the v1 contacts migrated at once, while the engine holds moves it
   computed on v1 (it reports them before it reads the feed): each is refused as stale,
   alone, and re-based on v2 without performing its step again;
3. that migration reverted;
4. v1's contacts migrated to v2 again, gradually, with the engine running on its own
   thread meanwhile;
5. v3 rolled out to 2,000 new contacts (half of them, by their hash), promoted, and v2's
   contacts migrated to it;
6. every contact run to its end.

Then, from the journey history and the API: no contact performed a step twice; every move
the engine reported is an edge of its version's graph for that contact (none skipped,
none computed on a graph the contact had left); none is stuck on an action its version
lacks; wfv applied exactly the moves the engine counted; and the engine's view of every
contact equals wfv's."""

import copy
import threading
import zlib
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select
from wfv_client import AuthenticatedClient

from examples.engine.engine import Engine
from examples.engine.graph import Graph
from indexer.models import JourneyEvent
from tests.factories import example
from tests.faults.stack import FaultStack, wait_for

WAVES, WAVE = 4, 2_000
ROLLED_OUT = 2_000
HOUR = 3600.0
LIVE = ("active", "waiting")


def opened(contact_id: str) -> Mapping[str, Any]:
    """About half the contacts opened the welcome mail: they take ``if_else``'s then."""
    return {"email.opened": "welcome"} if zlib.crc32(contact_id.encode()) % 2 else {}


def _v2() -> dict[str, Any]:
    """v1 with a shorter wait, a new welcome template and a survey after the tips."""
    document = copy.deepcopy(example("welcome-small"))
    actions = {action["id"]: action for action in document["actions"]}
    actions["welcome"]["config"] = {"template": "welcome-2"}
    actions["wait-1d"]["config"] = {"duration": "PT12H"}
    actions["tips"]["next"] = "survey"
    document["actions"].append(
        {"id": "survey", "type": "send_email", "config": {"template": "survey"}, "next": None}
    )
    return document


def _v3() -> dict[str, Any]:
    """v2 whose else branch calls instead of reminding (``reminder`` is gone)."""
    document = _v2()
    document["actions"] = [action for action in document["actions"] if action["id"] != "reminder"]
    for action in document["actions"]:
        if action["id"] == "opened?":
            action["config"]["else"] = "call"
    document["actions"].append(
        {"id": "call", "type": "send_sms", "config": {"text": "We will call you"}, "next": None}
    )
    return document


def _ok(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def _version(api: httpx.Client, workflow_id: UUID, document: dict[str, Any]) -> int:
    made = _ok(api.post(f"/workflows/{workflow_id}/versions", json={"definition": document}), 201)
    number: int = made["version_number"]
    return number


def _publish(api: httpx.Client, workflow_id: UUID, number: int) -> None:
    _ok(api.post(f"/workflows/{workflow_id}/versions/{number}/publish"))


def _migrate(
    stack: FaultStack, api: httpx.Client, workflow_id: UUID, number: int, **body: Any
) -> dict[str, Any]:
    """A migration to ``number``, started and waited for; its final record."""
    started = _ok(api.post(f"/workflows/{workflow_id}/versions/{number}/migrate", json=body), 202)
    path = f"/workflows/{workflow_id}/migrations/{started['id']}"
    return _finished(stack, api, path)


def _finished(stack: FaultStack, api: httpx.Client, path: str) -> dict[str, Any]:
    record: dict[str, Any] = {}

    def done() -> bool:
        record.update(_ok(api.get(path)))
        return record["status"] in ("completed", "failed", "cancelled")

    wait_for(path, done, 120, stack)
    assert record["status"] == "completed", record
    return record


def _in_background(engine: Engine, stop: threading.Event, failures: list[BaseException]) -> None:
    """The engine on its own thread: a simulated hour a turn, until told to stop."""
    try:
        while not stop.is_set():
            engine.tick(HOUR)
    except BaseException as failure:  # raised again by the test's thread
        failures.append(failure)


def _is_edge(graph: Graph, row: JourneyEvent) -> bool:
    """Whether an engine's move is one step of its version's graph for its contact."""
    here = row.from_action_id
    if row.version_id != row.from_version_id or row.from_status not in LIVE or not graph.has(here):
        return False
    assert here is not None
    if graph.waits(here) and row.from_status == "active":
        return (row.action_id, row.status) == (here, "waiting")
    following = graph.after(here, opened(row.contact_id))
    if following is None:
        return (row.action_id, row.status) == (here, "completed")
    return (row.action_id, row.status) == (following, "waiting" if graph.waits(following) else "active")


def _journeys(stack: FaultStack, workflow_id: UUID) -> dict[str, list[JourneyEvent]]:
    """Every contact's journey, in the order of its revisions."""
    journeys: dict[str, list[JourneyEvent]] = defaultdict(list)
    with stack.container.uow("acme") as uow:
        rows = uow.session.scalars(
            select(JourneyEvent)
            .where(JourneyEvent.workflow_id == workflow_id)
            .order_by(JourneyEvent.contact_id, JourneyEvent.revision)
        )
        for row in rows:
            uow.session.expunge(row)
            journeys[row.contact_id].append(row)
    return journeys


def _executions(api: httpx.Client, workflow_id: UUID) -> dict[str, dict[str, Any]]:
    """Every execution of the workflow as the API shows it, by contact."""
    found: dict[str, dict[str, Any]] = {}
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
        page = _ok(api.get(f"/workflows/{workflow_id}/executions", params=params))
        found.update({item["contact_id"]: item for item in page["items"]})
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_contacts_keep_their_journeys_through_migrations_a_revert_and_a_rollout(stack: FaultStack) -> None:
    stack.serve()
    stack.worker()
    token = stack.token(user="engine")
    with (
        stack.client(timeout=120) as api,
        AuthenticatedClient(base_url=stack.base, token=token, timeout=httpx.Timeout(120)) as client,
    ):
        made = _ok(
            api.post("/workflows", json={"name": "continuity", "definition": example("welcome-small")}), 201
        )
        workflow_id = UUID(made["id"])
        _publish(api, workflow_id, 1)
        engine = Engine(client, workflow_id, attributes=opened, clock=datetime(2026, 12, 1, tzinfo=UTC))

        # 1. Four waves on v1; the last is enrolled and not yet moved.
        for wave in range(WAVES):
            engine.enrol([f"a-{n}" for n in range(wave * WAVE, (wave + 1) * WAVE)])
            if wave < WAVES - 1:
                engine.tick(6 * HOUR)

        # 2. v2, and every v1 contact moved to it, while the engine holds moves based on v1.
        _publish(api, workflow_id, _version(api, workflow_id, _v2()))
        immediate = _migrate(stack, api, workflow_id, 2, from_versions=[1], batch_size=1000)
        assert immediate["failed"] == 0, immediate
        engine.advance()  # before following the feed: the moves of the last wave are stale
        assert engine.tally.stale >= WAVE, engine.tally
        assert engine.tally.rebased >= WAVE, engine.tally
        last_wave = [engine.contacts[f"a-{n}"] for n in range((WAVES - 1) * WAVE, WAVES * WAVE)]
        assert all(contact.performed == ["welcome"] for contact in last_wave)
        assert all(
            contact.version_id != engine.graph(contact.version_id).version_id or True for contact in last_wave
        )

        # 3. That migration undone: the contacts the engine has not moved since go back.
        revert_path = f"/workflows/{workflow_id}/migrations/{immediate['id']}/revert"
        _ok(api.post(revert_path, json={}), 202)
        revert = _finished(stack, api, revert_path)
        assert revert["restored"] > 0, revert
        assert revert["moved_since"] >= WAVE, revert
        engine.tick(6 * HOUR)

        # 4. v1's contacts to v2 again, gradually, while the engine runs beside it.
        stop, failures = threading.Event(), list[BaseException]()
        runner = threading.Thread(target=_in_background, args=(engine, stop, failures))
        runner.start()
        try:
            gradual = _migrate(
                stack,
                api,
                workflow_id,
                2,
                from_versions=[1],
                strategy="gradual",
                step_percent=25,
                interval_seconds=1,
                batch_size=200,
            )
        finally:
            stop.set()
            runner.join(timeout=120)
        assert not failures, failures
        assert gradual["failed"] == 0, gradual

        # 5. v3 rolled out to new contacts, promoted, and v2's contacts moved to it.
        steps = [{"percent": 50, "seconds": 3600}, {"percent": 100, "seconds": 3600}]
        _ok(
            api.post(
                f"/workflows/{workflow_id}/versions/{_version(api, workflow_id, _v3())}/rollout",
                json={"steps": steps},
            ),
            201,
        )
        engine.enrol([f"b-{n}" for n in range(ROLLED_OUT)])
        engine.tick(6 * HOUR)
        assert _ok(api.post(f"/workflows/{workflow_id}/rollout/promote"))["state"] == "published"
        onto_v3 = _migrate(stack, api, workflow_id, 3, from_versions=[2], mapping={"reminder": "call"})
        assert onto_v3["failed"] == 0, onto_v3

        # 6. Every contact to its end.
        for _tick in range(60):
            if not any(contact.live for contact in engine.contacts.values()):
                break
            engine.tick(6 * HOUR)
        engine.follow()
        shown = _executions(api, workflow_id)

    contacts = engine.contacts
    assert len(contacts) == WAVES * WAVE + ROLLED_OUT == len(shown)
    on = {
        str(version): engine.graph(version).version_number
        for version in {c.version_id for c in contacts.values()}
    }
    assert set(on.values()) >= {2, 3}, on
    # The engine's view is wfv's, contact by contact.
    mine = {c.contact_id: (str(c.version_id), c.action_id, c.status, c.revision) for c in contacts.values()}
    theirs = {
        contact: (item["version_id"], item["current_action_id"], item["status"], item["revision"])
        for contact, item in shown.items()
    }
    assert mine == theirs

    # None stuck: every contact ended, on an action its version has.
    assert {c.status for c in contacts.values()} == {"completed"}
    assert all(engine.graph(c.version_id).has(c.action_id) for c in contacts.values())

    # No step performed twice (the graphs have no loops).
    twice = {
        c.contact_id: c.performed for c in contacts.values() if len(set(c.performed)) != len(c.performed)
    }
    assert not twice

    # From the journeys: each engine move an edge of its graph, each action reached once,
    # and exactly the moves the engine counted as applied.
    journeys = _journeys(stack, workflow_id)
    assert set(journeys) == set(contacts)
    engine_rows, bad, reached_twice = 0, [], []
    for contact_id, rows in journeys.items():
        assert rows[0].cause == "enrolment"
        assert rows[0].action_id == engine.graph(rows[0].version_id).first
        assert [row.revision for row in rows] == list(range(1, len(rows) + 1)), contact_id
        reached: list[str | None] = [rows[0].action_id]
        for row in rows[1:]:
            if row.cause != "engine":
                continue
            engine_rows += 1
            if not _is_edge(engine.graph(row.version_id), row):
                bad.append((contact_id, row.from_version_id, row.from_action_id, row.action_id, row.status))
            if row.action_id != row.from_action_id:
                reached.append(row.action_id)
        if len(set(reached)) != len(reached):
            reached_twice.append((contact_id, reached))
    assert not bad, bad[:5]
    assert not reached_twice, reached_twice[:5]
    assert engine_rows == engine.tally.reported
    # The rollout enrolled new contacts on both sides.
    rolled = {journeys[f"b-{n}"][0].version_id for n in range(ROLLED_OUT)}
    assert {engine.graph(version).version_number for version in rolled} == {2, 3}
    causes = {row.cause for rows in journeys.values() for row in rows}
    assert causes == {"enrolment", "engine", "migration", "revert"}
