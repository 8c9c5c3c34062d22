"""Small consistencies of the API (issue 17): ``active_executions`` is a count in every
answer showing a version, every timestamp has one form, and a migration with nothing to
move is refused (its dry run still shows the empty plan)."""

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import (
    API,
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

# RFC 3339, UTC, six fractional digits: the one form of the API (README: saved_at).
ONE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
LOOKS_LIKE_A_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _enrol(client: TestClient, headers: dict[str, str], wid: str, *contacts: str) -> None:
    response = client.post(f"{API}/{wid}/executions", json={"contact_ids": list(contacts)}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["enrolled"] == len(contacts)


def _two_published(client: TestClient, admin: dict[str, str]) -> str:
    """v1 published with three contacts in flight, then v2 published (current)."""
    wid: str = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    _enrol(client, admin, wid, "c-1", "c-2", "c-3")
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    return wid


def test_active_executions_is_the_same_count_everywhere(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = _two_published(client, admin)
    post_version(client, admin, wid)  # v3, a draft
    listed = {
        v["version_number"]: v["active_executions"]
        for v in client.get(versions_url(wid), headers=admin).json()["items"]
    }
    assert listed == {3: 0, 2: 0, 1: 3}
    one_by_one = {
        n: client.get(versions_url(wid, n), headers=admin).json()["active_executions"] for n in (1, 2, 3)
    }
    assert one_by_one == listed
    held = client.post(versions_url(wid, 1, "legal-hold"), json={"reason": "audit"}, headers=admin)
    assert held.status_code == 200, held.text
    assert held.json()["active_executions"] == 3
    created = create_workflow_via_api(client, admin, name="Other")
    assert created["version"]["active_executions"] == 0  # an integer, never null


def _timestamps(node: Any, where: str = "") -> list[tuple[str, str]]:
    """Every (place, value) that is a time: keys ending in ``_at`` or ``_as_of`` that are
    set, and any other string that starts like a date and time."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [(where, node)]
    while stack:
        place, item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if (key.endswith(("_at", "_as_of")) and value is not None) or (
                    isinstance(value, str) and LOOKS_LIKE_A_TIME.match(value)
                ):
                    found.append((f"{place}.{key}", value))
                else:
                    stack.append((f"{place}.{key}", value))
        elif isinstance(item, list):
            stack.extend((f"{place}[{i}]", value) for i, value in enumerate(item))
    return found


def test_every_timestamp_has_one_form(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = _two_published(client, admin)
    draft_version = post_version(client, admin, wid)["version_number"]
    saved = client.post(
        versions_url(wid, draft_version, "draft"), json={"revision": 0, "patch": {"name": "x"}}, headers=admin
    )
    assert saved.status_code == 200, saved.text
    started = client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1]}, headers=admin)
    assert started.status_code == 202, started.text
    review = client.post(versions_url(wid, draft_version, "reviews"), headers=admin)
    assert review.status_code == 201, review.text
    answers = {
        "workflow created": create_workflow_via_api(client, admin, name="Other"),
        "workflow": client.get(f"{API}/{wid}", headers=admin).json(),
        "workflows": client.get(API, headers=admin).json(),
        "version": client.get(versions_url(wid, 1), headers=admin).json(),
        "versions": client.get(versions_url(wid), headers=admin).json(),
        "audit": client.get(f"{API}/{wid}/audit", headers=admin).json(),
        "draft saved": saved.json(),
        "draft": client.get(versions_url(wid, draft_version, "draft"), headers=admin).json(),
        "migration started": started.json(),
        "migration": client.get(f"{API}/{wid}/migrations/{started.json()['id']}", headers=admin).json(),
        "migrations": client.get(f"{API}/{wid}/migrations", headers=admin).json(),
        "review": review.json(),
        "executions": client.get(f"{API}/{wid}/executions", headers=admin).json(),
        "history": client.get(f"{API}/{wid}/actions/welcome/history", headers=admin).json(),
    }
    seen = [
        (f"{name}{place}", value) for name, answer in answers.items() for place, value in _timestamps(answer)
    ]
    assert len({place.split(".")[0].split("[")[0] for place, _ in seen}) == len(answers)  # each has times
    assert [
        (place, value) for place, value in seen if not isinstance(value, str) or not ONE_FORM.match(value)
    ] == []
    # the migration ran (tasks run inline here): its end is a time of the same form
    assert answers["migration"]["status"] == "completed"
    assert ONE_FORM.match(answers["migration"]["finished_at"])


def test_a_migration_with_nothing_to_move_is_refused(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    _enrol(client, admin, wid, "c-1", "c-2")  # on v2, the current version: none left on v1
    url = versions_url(wid, 2, "migrate")

    plan = client.post(url, json={"from_versions": [1], "dry_run": True}, headers=admin)
    assert plan.status_code == 200, plan.text
    assert (plan.json()["total"], plan.json()["plan"]) == (0, [])

    problem = assert_problem(
        client.post(url, json={"from_versions": [1]}, headers=admin), 409, "nothing-to-migrate"
    )
    assert problem["detail"] == "nothing to move to v2: no execution is active or waiting on v1"
    assert (problem["from_versions"], problem["target_version"]) == ([1], 2)
    manual = client.post(
        url, json={"from_versions": [1], "strategy": "manual", "contact_ids": ["c-1"]}, headers=admin
    )
    assert "none of the listed" in assert_problem(manual, 409, "nothing-to-migrate")["detail"]

    assert client.get(f"{API}/{wid}/migrations", headers=admin).json()["items"] == []
    actions = [entry["action"] for entry in client.get(f"{API}/{wid}/audit", headers=admin).json()["items"]]
    assert "migration_start" not in actions
    placed = client.get(f"{API}/{wid}/executions", headers=admin).json()["items"]
    current = client.get(versions_url(wid, 2), headers=admin).json()["id"]
    assert {e["version_id"] for e in placed} == {current}
