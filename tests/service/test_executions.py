"""The execution engine's API on both databases: enrolment, position reports (all or
nothing, checked against each execution's version), lists and counts."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexer.models import Execution
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    published_history,
    versions_url,
)

API = "/api/v1/workflows"


def _published(client: TestClient, auth, definition: dict[str, Any] | None = None) -> str:
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin, definition=definition)
    post_publish(client, admin, created["id"], 1)
    return str(created["id"])


def _enroll(client: TestClient, auth, wid: str, contacts: list[str]) -> Any:
    return client.post(
        f"{API}/{wid}/executions", json={"contact_ids": contacts}, headers=auth("workflows:edit")
    )


def test_enrolment_starts_at_the_triggers_first_action(client: TestClient, auth) -> None:
    wid = _published(client, auth)
    response = _enroll(client, auth, wid, ["c-1", "c-2", "c-2"])
    assert response.status_code == 201
    body = response.json()
    assert (body["enrolled"], body["already_enrolled"], body["version_number"], body["action_id"]) == (
        2,
        1,
        1,
        "welcome",
    )
    again = _enroll(client, auth, wid, ["c-1", "c-3"]).json()
    assert (again["enrolled"], again["already_enrolled"]) == (1, 1)
    listed = client.get(f"{API}/{wid}/executions", headers=auth("workflows:read")).json()["items"]
    assert sorted(e["contact_id"] for e in listed) == ["c-1", "c-2", "c-3"]
    assert {(e["current_action_id"], e["status"]) for e in listed} == {("welcome", "active")}


def test_enrolment_needs_a_published_version_and_sane_input(client: TestClient, auth) -> None:
    draft_only = create_workflow_via_api(client, auth("workflows:edit"))["id"]
    assert_problem(_enroll(client, auth, draft_only, ["c-1"]), 409)
    wid = _published(client, auth)
    assert_problem(_enroll(client, auth, wid, []), 422)
    assert_problem(_enroll(client, auth, wid, ["bad\x00id"]), 422)
    assert_problem(_enroll(client, auth, wid, [f"c-{i}" for i in range(10_001)]), 422)
    assert client.get(f"{API}/{wid}/executions", headers=auth("workflows:read")).json()["items"] == []


def test_without_reentry_a_finished_contact_is_not_enrolled_again(client: TestClient, auth) -> None:
    wid = _published(client, auth)  # welcome-small: allow_reentry false
    _enroll(client, auth, wid, ["c-1"])
    moved = client.post(
        f"{API}/{wid}/executions/positions",
        json={"moves": [{"contact_id": "c-1", "action_id": "tips", "status": "completed"}]},
        headers=auth("workflows:edit"),
    )
    assert moved.json() == {"updated": 1, "stale": 0, "stale_moves": []}
    assert _enroll(client, auth, wid, ["c-1"]).json()["enrolled"] == 0
    reentry = _published(client, auth, definition=example("nurture-50"))  # allow_reentry true
    _enroll(client, auth, reentry, ["c-1"])
    first = client.get(f"{API}/{reentry}/executions", headers=auth("workflows:read")).json()["items"][0]
    client.post(
        f"{API}/{reentry}/executions/positions",
        json={"moves": [{"execution_id": first["id"], "status": "completed", "action_id": "step-000"}]},
        headers=auth("workflows:edit"),
    )
    assert _enroll(client, auth, reentry, ["c-1"]).json()["enrolled"] == 1


def test_position_reports_are_all_or_nothing(client: TestClient, auth) -> None:
    wid = _published(client, auth)
    _enroll(client, auth, wid, ["c-1", "c-2"])
    url = f"{API}/{wid}/executions/positions"
    editor = auth("workflows:edit")
    bad = client.post(
        url,
        json={
            "moves": [
                {"contact_id": "c-1", "action_id": "wait-1d", "status": "waiting"},
                {"contact_id": "c-2", "action_id": "not-in-v1", "status": "waiting"},
                {"contact_id": "ghost", "action_id": "tips", "status": "active"},
            ]
        },
        headers=editor,
    )
    problem = assert_problem(bad, 422, "invalid-moves")
    assert [p["index"] for p in problem["problems"]] == [1, 2]
    rows = client.get(f"{API}/{wid}/executions", headers=editor).json()["items"]
    assert {e["current_action_id"] for e in rows} == {"welcome"}
    ok = client.post(
        url,
        json={"moves": [{"contact_id": "c-1", "action_id": "wait-1d", "status": "waiting"}]},
        headers=editor,
    )
    assert ok.json() == {"updated": 1, "stale": 0, "stale_moves": []}
    assert_problem(
        client.post(url, json={"moves": [{"contact_id": "c-1", "status": "active"}]}, headers=editor), 422
    )
    both = {"execution_id": rows[0]["id"], "contact_id": "c-1", "action_id": "tips", "status": "active"}
    assert_problem(client.post(url, json={"moves": [both]}, headers=editor), 422)


def test_lists_summary_and_version_counts(client: TestClient, auth) -> None:
    wid = _published(client, auth)
    _enroll(client, auth, wid, [f"c-{i}" for i in range(5)])
    editor = auth("workflows:edit")
    client.post(
        f"{API}/{wid}/executions/positions",
        json={
            "moves": [
                {"contact_id": "c-0", "action_id": "tips", "status": "completed"},
                {"contact_id": "c-1", "action_id": "wait-1d", "status": "waiting"},
            ]
        },
        headers=editor,
    )
    reader = auth("workflows:read")
    waiting = client.get(
        f"{API}/{wid}/executions", params={"status": "waiting", "version": "1"}, headers=reader
    ).json()
    assert [e["contact_id"] for e in waiting["items"]] == ["c-1"]
    at_welcome = client.get(f"{API}/{wid}/executions", params={"action": "welcome"}, headers=reader).json()[
        "items"
    ]
    assert len(at_welcome) == 3
    seen, cursor = [], None
    while True:
        page = client.get(
            f"{API}/{wid}/executions",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            headers=reader,
        ).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    summary = client.get(f"{API}/{wid}/executions/summary", headers=reader).json()
    assert summary["total"] == 5
    assert {(r["action_id"], r["status"], r["count"]) for r in summary["items"]} == {
        ("welcome", "active", 3),
        ("wait-1d", "waiting", 1),
        ("tips", "completed", 1),
    }
    post_version(client, editor, wid)
    listed = client.get(versions_url(wid), headers=reader).json()["items"]
    assert [(v["version_number"], v["active_executions"]) for v in listed] == [(2, 0), (1, 4)]
    assert_problem(client.get(f"{API}/{wid}/executions", params={"version": "zz"}, headers=reader), 422)
    assert_problem(
        client.get(f"{API}/{wid}/executions/summary", headers=auth("workflows:read", org="globex")), 404
    )


def _all_executions(client: TestClient, auth, wid: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{API}/{wid}/executions", params=params, headers=auth("workflows:read")).json()
        found.update({e["id"]: e for e in page["items"]})
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_a_large_batch_moves_each_execution_to_its_own_place_on_its_own_version(
    client: TestClient, auth
) -> None:
    # 1,500 moves (past the 1,000 rows a statement of some paths holds), executions on two
    # versions whose actions differ, each move with its own action and status: every row
    # ends where its own move says (one statement over arrays on PostgreSQL, so a move
    # paired with another's row would show here).
    wid = _published(client, auth)
    editor, admin = auth("workflows:edit"), auth("workflows:admin")
    _enroll(client, auth, wid, [f"old-{i}" for i in range(750)])
    post_version(client, editor, wid, definition=example("nurture-50"))
    post_publish(client, admin, wid, 2)
    _enroll(client, auth, wid, [f"new-{i}" for i in range(750)])
    executions = _all_executions(client, auth, wid)
    assert len(executions) == 1500
    old_places = [("wait-1d", "waiting"), ("tips", "active"), ("reminder", "completed"), (None, "exited")]
    wanted = {}
    for number, (execution_id, execution) in enumerate(sorted(executions.items())):
        if execution["contact_id"].startswith("old-"):
            wanted[execution_id] = old_places[number % 4]
        else:
            wanted[execution_id] = (f"step-{number % 50:03d}", ("waiting", "failed")[number % 2])
    moves = [{"execution_id": i, "action_id": a, "status": s} for i, (a, s) in wanted.items()]
    moved = client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=editor)
    assert moved.json() == {"updated": 1500, "stale": 0, "stale_moves": []}
    after = _all_executions(client, auth, wid)
    assert {i: (e["current_action_id"], e["status"]) for i, e in after.items()} == wanted
    assert {e["version_id"] for e in after.values() if e["contact_id"].startswith("old-")} == {
        e["version_id"] for e in executions.values() if e["contact_id"].startswith("old-")
    }


def test_an_execution_named_twice_in_a_batch_takes_the_later_move(client: TestClient, auth) -> None:
    # The moves apply in the order sent and each counts, as they always have.
    wid = _published(client, auth)
    _enroll(client, auth, wid, ["c-1", "c-2"])
    first = next(e for e in _all_executions(client, auth, wid).values() if e["contact_id"] == "c-1")
    moves = [
        {"execution_id": first["id"], "action_id": "wait-1d", "status": "waiting"},
        {"contact_id": "c-2", "action_id": "tips", "status": "active"},
        {"contact_id": "c-1", "action_id": "tips", "status": "completed"},
    ]
    moved = client.post(
        f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=auth("workflows:edit")
    )
    assert moved.json() == {"updated": 3, "stale": 0, "stale_moves": []}
    places = {
        e["contact_id"]: (e["current_action_id"], e["status"])
        for e in _all_executions(client, auth, wid).values()
    }
    assert places == {"c-1": ("tips", "completed"), "c-2": ("tips", "active")}


def _execution_rows(container: Any, tenant: str, workflow_id: Any, rows: list[tuple[Any, str, str]]) -> None:
    """Execution rows as (version id, contact id, status), straight into the index."""
    now = datetime.now(UTC)
    with container.uow(tenant, write=True) as uow:
        uow.session.add_all(
            Execution(
                id=uuid.uuid4(),
                tenant_id=tenant,
                workflow_id=workflow_id,
                version_id=version_id,
                contact_id=contact,
                current_action_id=None if status in ("completed", "exited", "failed") else "wait-1d",
                status=status,
                enrolled_at=now,
                updated_at=now,
            )
            for version_id, contact, status in rows
        )
        uow.commit()


def test_a_contacts_executions_on_every_version_with_the_other_filters(
    client: TestClient, auth, container: Any
) -> None:
    wid, v1, v2 = published_history(container, 2)
    _execution_rows(
        container,
        "acme",
        wid,
        [
            (v1, "c-1", "exited"),
            (v1, "c-1", "completed"),
            (v2, "c-1", "waiting"),
            (v2, "c-2", "waiting"),
            (v1, "c-10", "exited"),
            (v1, "C-1", "exited"),
        ],
    )
    url, reader = f"{API}/{wid}/executions", auth("workflows:read")

    def listed(**params: Any) -> list[tuple[str, str, str]]:
        page = client.get(url, params=params, headers=reader)
        assert page.status_code == 200, page.text
        return [(e["contact_id"], e["version_id"], e["status"]) for e in page.json()["items"]]

    mine = listed(contact="c-1")
    assert sorted(mine) == sorted(
        [("c-1", str(v1), "exited"), ("c-1", str(v1), "completed"), ("c-1", str(v2), "waiting")]
    )
    ids = [e["id"] for e in client.get(url, params={"contact": "c-1"}, headers=reader).json()["items"]]
    assert ids == sorted(ids)  # the list's own order (by id), filter or not
    assert listed(contact="c-1", status="exited") == [("c-1", str(v1), "exited")]
    assert sorted(listed(contact="c-1", version="1")) == sorted(
        [("c-1", str(v1), "exited"), ("c-1", str(v1), "completed")]
    )
    assert listed(contact="c-1", status="waiting", version=str(v2)) == [("c-1", str(v2), "waiting")]
    assert listed(contact="c-2", status="exited") == []
    assert listed(contact="nobody") == []
    assert listed(contact="c-1", migration=str(uuid.uuid4())) == []
    seen, cursor = [], None
    while True:
        params = {"contact": "c-1", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params=params, headers=reader).json()
        assert len(page["items"]) <= 2
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


def test_another_tenants_contact_of_the_same_id_is_not_listed(
    client: TestClient, auth, container: Any
) -> None:
    wid, v1 = published_history(container, 1)
    theirs, their_v1 = published_history(container, 1, org="globex")
    _execution_rows(container, "acme", wid, [(v1, "c-1", "waiting")])
    _execution_rows(container, "globex", theirs, [(their_v1, "c-1", "waiting"), (their_v1, "c-1", "exited")])
    # A row of globex's naming acme's workflow: the tenant test, not only the workflow's, keeps it out.
    _execution_rows(container, "globex", wid, [(v1, "c-1", "exited")])
    acme, globex = auth("workflows:read"), auth("workflows:read", org="globex")
    items = client.get(f"{API}/{wid}/executions", params={"contact": "c-1"}, headers=acme).json()["items"]
    assert [(e["contact_id"], e["status"]) for e in items] == [("c-1", "waiting")]
    theirs_listed = client.get(f"{API}/{theirs}/executions", params={"contact": "c-1"}, headers=globex).json()
    assert sorted(e["status"] for e in theirs_listed["items"]) == ["exited", "waiting"]
    assert_problem(client.get(f"{API}/{wid}/executions", params={"contact": "c-1"}, headers=globex), 404)


@pytest.mark.parametrize("bad", ["", "bad\x00id", "tab\there", "x" * 256])
def test_a_bad_contact_filter_is_a_422_that_changes_nothing(
    client: TestClient, auth, container: Any, bad: str
) -> None:
    wid, v1 = published_history(container, 1)
    _execution_rows(container, "acme", wid, [(v1, "c-1", "waiting")])
    url, reader = f"{API}/{wid}/executions", auth("workflows:read")
    before = client.get(url, headers=reader).json()
    assert_problem(client.get(url, params={"contact": bad}, headers=reader), 422)
    assert client.get(url, headers=reader).json() == before
    assert client.get(url, params={"contact": "x" * 255}, headers=reader).json()["items"] == []
