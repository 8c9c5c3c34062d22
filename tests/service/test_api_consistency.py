"""Small consistencies of the API (issue 17): ``active_executions`` is a count in every
answer showing a version, every timestamp has one form, and a migration with nothing to
move is refused (its dry run still shows the empty plan)."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import (
    API,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)


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
