"""The impact preview against what the migration then does, contact by contact, on both
databases (queue in immediate mode): the shared example pairs, waits made shorter and
longer, a remap and the exit policy; every bucket paged through; pins; a bad mapping."""

import copy
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import Execution, MigrationItem, Pin, WorkflowVersion
from schemas.impact import BUCKETS
from service.container import Container
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"
MOVED = ("unchanged", "changed_in_place", "timer_earlier", "timer_later", "remapped")


def _workflow(
    client: TestClient, auth: Any, first: dict[str, Any], per_action: int = 2
) -> tuple[str, list[str]]:
    """v1 published, ``per_action`` contacts enrolled and reported at each of its actions."""
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin, definition=first)["id"]
    post_publish(client, admin, wid, 1)
    actions = [a["id"] for a in first["actions"]]
    contacts = [f"{action}#{n}" for action in actions for n in range(per_action)]
    enrolled = client.post(f"{API}/{wid}/executions", json={"contact_ids": contacts}, headers=admin)
    assert enrolled.status_code in (200, 201), enrolled.text
    moves = [{"contact_id": c, "action_id": c.split("#")[0], "status": "waiting"} for c in contacts]
    moved = client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin)
    assert moved.status_code == 200, moved.text
    return wid, contacts


def _publish(client: TestClient, auth: Any, wid: str, definition: dict[str, Any], number: int) -> None:
    admin = auth("workflows:admin")
    post_version(client, admin, wid, definition=definition)
    post_publish(client, admin, wid, number)


def _pin(container: Container, wid: str, contacts: list[str]) -> None:
    """Pins written directly (the pin route is another branch's)."""
    with container.uow("acme", write=True) as uow:
        for contact in contacts:
            uow.session.add(
                Pin(
                    workflow_id=uuid.UUID(wid),
                    contact_id=contact,
                    tenant_id="acme",
                    version_id=None,
                    pinned_by="alice",
                    pinned_at=datetime.now().astimezone(),
                )
            )
        uow.commit()


def _impact(client: TestClient, auth: Any, wid: str, target: int, **params: Any) -> Any:
    response = client.get(
        versions_url(wid, target, "impact"), params={"from": 1, **params}, headers=auth("workflows:read")
    )
    assert response.status_code == 200, response.text
    return response.json()


def _bucket(client: TestClient, auth: Any, wid: str, target: int, bucket: str, **params: Any) -> list[Any]:
    """Every contact of a bucket, paged three at a time."""
    found: list[Any] = []
    cursor = None
    while True:
        page = _impact(
            client,
            auth,
            wid,
            target,
            bucket=bucket,
            limit=3,
            **params,
            **({"cursor": cursor} if cursor else {}),
        )["contacts"]
        assert page["bucket"] == bucket
        assert len(page["items"]) <= 3
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def _state(container: Container, wid: str) -> dict[str, tuple[int, str | None, str]]:
    """Per execution id: (version number, action, status)."""
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(
                Execution.id, WorkflowVersion.version_number, Execution.current_action_id, Execution.status
            )
            .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
            .where(Execution.workflow_id == uuid.UUID(wid))
        )
        return {str(i): (n, a, s) for i, n, a, s in rows}


def _failed_items(container: Container, migration_id: str) -> set[str]:
    with container.uow("acme") as uow:
        return {
            str(i)
            for i in uow.session.scalars(
                select(MigrationItem.execution_id).where(
                    MigrationItem.migration_id == uuid.UUID(migration_id), MigrationItem.outcome == "failed"
                )
            )
        }


def _check(
    client: TestClient,
    container: Container,
    auth: Any,
    wid: str,
    target: int,
    *,
    mapping: dict[str, str] | None = None,
    unmapped: str = "fail",
) -> dict[str, list[Any]]:
    """Preview, migrate, and hold every listed contact to its bucket's promise."""
    params: dict[str, Any] = {"unmapped": unmapped, "map": [f"{s}:{t}" for s, t in (mapping or {}).items()]}
    preview = _impact(client, auth, wid, target, **params)
    assert set(preview["counts"]) == set(BUCKETS)
    assert sum(preview["counts"].values()) == preview["total"]
    assert preview["total"] == sum(
        1 for _, _, s in _state(container, wid).values() if s in ("active", "waiting")
    )
    assert sum(p["count"] + p["pinned"] for p in preview["positions"]) == preview["total"]
    listed: dict[str, list[Any]] = {b: _bucket(client, auth, wid, target, b, **params) for b in BUCKETS}
    for bucket, contacts in listed.items():
        assert len(contacts) == preview["counts"][bucket], bucket
        assert len({c["execution_id"] for c in contacts}) == len(contacts)
    dry = client.post(
        versions_url(wid, target, "migrate"),
        json={"from_versions": [1], "mapping": mapping or {}, "unmapped": unmapped, "dry_run": True},
        headers=auth("workflows:edit"),
    ).json()
    assert dry["impact"] == preview["counts"]
    started = client.post(
        versions_url(wid, target, "migrate"),
        json={"from_versions": [1], "mapping": mapping or {}, "unmapped": unmapped},
        headers=auth("workflows:edit"),
    )
    assert started.status_code == 202, started.text
    migration = client.get(started.headers["Location"], headers=auth("workflows:read")).json()
    assert migration["status"] == "completed"
    after, failed = _state(container, wid), _failed_items(container, migration["id"])
    for bucket in MOVED:
        for contact in listed[bucket]:
            assert after[contact["execution_id"]] == (target, contact["to_action"], "waiting"), (
                bucket,
                contact,
            )
    for contact in listed["exits"]:
        assert after[contact["execution_id"]][2] == "exited", contact
    for contact in listed["fails"]:
        assert after[contact["execution_id"]] == (1, contact["from_action"], "waiting"), contact
        assert contact["execution_id"] in failed
    return listed


def test_welcome_pair_buckets_match_the_migration(
    client: TestClient, container: Container, auth: Any
) -> None:
    wid, _ = _workflow(client, auth, example("welcome-small-a"), per_action=3)
    _publish(client, auth, wid, example("welcome-small-b"), 2)
    _pin(container, wid, ["welcome#0", "reminder#0"])
    preview = _impact(client, auth, wid, 2)
    assert preview["target_version"] == 2
    assert preview["from_versions"] == [1]
    assert preview["counts"] == {
        "unchanged": 5,  # welcome (one pinned), tips
        "changed_in_place": 6,  # wait-1d (a wait_until now), opened? (its else)
        "timer_earlier": 0,
        "timer_later": 0,
        "remapped": 0,
        "exits": 0,
        "fails": 2,  # reminder is gone (one pinned)
        "pinned": 2,
    }
    rows = {
        p["from_action"]: (p["to_action"], p["bucket"], p["count"], p["pinned"]) for p in preview["positions"]
    }
    assert rows == {
        "welcome": ("welcome", "unchanged", 2, 1),
        "wait-1d": ("wait-1d", "changed_in_place", 3, 0),
        "opened?": ("opened?", "changed_in_place", 3, 0),
        "tips": ("tips", "unchanged", 3, 0),
        "reminder": (None, "fails", 2, 1),
    }
    listed = _check(client, container, auth, wid, 2)
    assert sorted(c["contact_id"] for c in listed["pinned"]) == ["reminder#0", "welcome#0"]
    assert all(c["to_action"] is None for c in listed["pinned"])


def test_pinned_contacts_stay_where_they_are(client: TestClient, container: Container, auth: Any) -> None:
    wid, _ = _workflow(client, auth, example("welcome-small-a"))
    _publish(client, auth, wid, example("welcome-small-b"), 2)
    _pin(container, wid, ["welcome#0", "reminder#0", "wait-1d#1"])
    before = _state(container, wid)
    listed = _check(client, container, auth, wid, 2)
    after = _state(container, wid)
    assert len(listed["pinned"]) == 3
    for contact in listed["pinned"]:
        assert after[contact["execution_id"]] == before[contact["execution_id"]]


def test_nurture_pair_buckets_match_the_migration(
    client: TestClient, container: Container, auth: Any
) -> None:
    wid, _ = _workflow(client, auth, example("nurture-50-a"), per_action=1)
    _publish(client, auth, wid, example("nurture-50-b"), 2)
    preview = _impact(client, auth, wid, 2)
    buckets = {p["from_action"]: p["bucket"] for p in preview["positions"]}
    assert buckets["step-020"] == "fails"  # removed
    assert buckets["step-005"] == "changed_in_place"  # another subject and template
    assert buckets["step-019"] == "changed_in_place"  # both branches to step-021
    assert buckets["step-000"] == "unchanged"
    assert preview["total"] == 50
    _check(client, container, auth, wid, 2)


def _with_wait(duration: str) -> dict[str, Any]:
    """welcome-small-a with its wait changed, ``tips`` and ``reminder`` replaced by ``bye``."""
    document = copy.deepcopy(example("welcome-small-a"))
    actions = {a["id"]: a for a in document["actions"]}
    actions["wait-1d"]["config"]["duration"] = duration
    actions["opened?"]["config"]["then"] = actions["opened?"]["config"]["else"] = "bye"
    bye = {"id": "bye", "type": "send_email", "config": {"template": "bye"}, "next": None}
    document["actions"] = [actions["welcome"], actions["wait-1d"], actions["opened?"], bye]
    return document


@pytest.mark.parametrize(
    ("duration", "bucket", "delta"), [("PT12H", "timer_earlier", -12), ("P1DT6H", "timer_later", 6)]
)
def test_timers_remap_and_exit_policy(
    client: TestClient, container: Container, auth: Any, duration: str, bucket: str, delta: int
) -> None:
    wid, _ = _workflow(client, auth, example("welcome-small-a"))
    _publish(client, auth, wid, _with_wait(duration), 2)
    mapping = {"reminder": "bye"}
    preview = _impact(client, auth, wid, 2, map="reminder:bye", unmapped="exit")
    rows = {p["from_action"]: p for p in preview["positions"]}
    assert {a: (p["bucket"], p["to_action"]) for a, p in rows.items()} == {
        "welcome": ("unchanged", "welcome"),
        "wait-1d": (bucket, "wait-1d"),
        "opened?": ("changed_in_place", "opened?"),
        "tips": ("exits", None),
        "reminder": ("remapped", "bye"),
    }
    assert (rows["wait-1d"]["old_duration"], rows["wait-1d"]["new_duration"]) == ("P1D", duration)
    timers = _impact(client, auth, wid, 2, map="reminder:bye", unmapped="exit", bucket=bucket)["contacts"][
        "items"
    ]
    assert len(timers) == 2
    for contact in timers:
        reached = datetime.fromisoformat(contact["reached_at"])
        assert datetime.fromisoformat(contact["was_waking_at"]) == reached + timedelta(days=1)
        assert datetime.fromisoformat(contact["wakes_at"]) == reached + timedelta(days=1, hours=delta)
    listed = _check(client, container, auth, wid, 2, mapping=mapping, unmapped="exit")
    assert len(listed["exits"]) == 2
    assert len(listed["remapped"]) == 2


def test_bad_mapping_is_the_migrations_422(client: TestClient, auth: Any) -> None:
    wid, _ = _workflow(client, auth, example("welcome-small-a"))
    _publish(client, auth, wid, example("welcome-small-b"), 2)
    reader = auth("workflows:read")
    url = versions_url(wid, 2, "impact")
    assert_problem(
        client.get(url, params={"from": 1, "map": "nowhere:tips"}, headers=reader), 422, "mapping-invalid"
    )
    assert_problem(
        client.get(url, params={"from": 1, "map": "reminder:gone"}, headers=reader), 422, "mapping-invalid"
    )
    assert_problem(
        client.get(url, params={"from": 1, "map": "reminder"}, headers=reader), 422, "mapping-invalid"
    )
    assert_problem(
        client.get(url, params={"from": 1, "unmapped": "to:gone"}, headers=reader), 422, "mapping-invalid"
    )
    assert_problem(client.get(url, params={"from": 2}, headers=reader), 409, "migration-conflict")
    assert_problem(client.get(url, params={"from": "x1"}, headers=reader), 422)
    assert_problem(client.get(url, headers=reader), 422)
    assert_problem(
        client.get(url, params={"from": 1, "bucket": "fails", "cursor": "nope"}, headers=reader), 400
    )
    migrate = client.post(
        versions_url(wid, 2, "migrate"),
        json={"from_versions": [1], "mapping": {"nowhere": "tips"}, "dry_run": True},
        headers=auth("workflows:edit"),
    )
    assert_problem(migrate, 422, "mapping-invalid")


def test_a_draft_target_and_two_sources(client: TestClient, container: Container, auth: Any) -> None:
    """Before publishing: the target may be a draft; several sources add up."""
    wid, _ = _workflow(client, auth, example("welcome-small-a"))
    _publish(client, auth, wid, example("welcome-small-a"), 2)
    admin = auth("workflows:admin")
    client.post(f"{API}/{wid}/executions", json={"contact_ids": ["late-1", "late-2"]}, headers=admin)
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    preview = _impact(client, auth, wid, 3, **{"from": [1, 2]})
    assert preview["from_versions"] == [1, 2]
    assert preview["total"] == 12
    assert preview["counts"]["fails"] == 2
    assert {(p["from_version"], p["from_action"]) for p in preview["positions"] if p["count"]} >= {
        (2, "welcome")
    }
