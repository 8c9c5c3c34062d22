"""A contact's journey through the real write path, read back over HTTP, on both
databases with the clock of record held at chosen instants (``clock_at``): enrolled,
moved by the engine, migrated, completed; the journey is exactly those events and as-of
answers each state at the instants between them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from schemas.timestamps import rfc3339
from tests.factories import (
    assert_problem,
    clock_at,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"
NOW = datetime.now(UTC).replace(microsecond=0)
ENROLLED, MOVED, MIGRATED, COMPLETED = (NOW - timedelta(minutes=m) for m in (120, 90, 60, 30))


def _as_of(client: TestClient, headers: dict[str, str], wid: str, contact: str, at: datetime) -> Any:
    return client.get(f"{API}/{wid}/contacts/{contact}/as-of", params={"at": at.isoformat()}, headers=headers)


def test_enrolled_moved_migrated_and_completed_is_that_journey_and_as_of_follows_it(
    client: TestClient, auth: Any
) -> None:
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    with clock_at(ENROLLED):
        wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
        post_publish(client, admin, wid, 1)
        enrolled = client.post(f"{API}/{wid}/executions", json={"contact_ids": ["c-1"]}, headers=admin)
        assert enrolled.status_code == 201, enrolled.text
    with clock_at(MOVED):
        moves = [{"contact_id": "c-1", "action_id": "wait-1d", "status": "waiting"}]
        assert (
            client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).status_code
            == 200
        )
    with clock_at(MIGRATED):
        post_version(client, admin, wid, definition=example("welcome-small-b"))
        post_publish(client, admin, wid, 2)
        started = client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1]}, headers=admin)
        assert started.status_code == 202, started.text
        migration = started.json()["id"]
        assert (
            client.get(f"{API}/{wid}/migrations/{migration}", headers=admin).json()["status"] == "completed"
        )
    with clock_at(COMPLETED):
        moves = [{"contact_id": "c-1", "status": "completed"}]
        assert (
            client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).status_code
            == 200
        )

    execution = client.get(f"{API}/{wid}/executions", headers=reader).json()["items"][0]["id"]
    page = client.get(f"{API}/{wid}/executions/{execution}/journey", headers=reader)
    assert page.status_code == 200, page.text
    events = [
        (
            e["cause"],
            e["at"],
            e["version_number"],
            e["action_id"],
            e["status"],
            e["revision"],
            e["from_version_number"],
            e["from_action_id"],
            e["from_status"],
        )
        for e in page.json()["items"]
    ]
    assert events == [
        ("enrolment", rfc3339(ENROLLED), 1, "welcome", "active", 1, None, None, None),
        ("engine", rfc3339(MOVED), 1, "wait-1d", "waiting", 2, 1, "welcome", "active"),
        ("migration", rfc3339(MIGRATED), 2, "wait-1d", "waiting", 3, 1, "wait-1d", "waiting"),
        ("engine", rfc3339(COMPLETED), 2, None, "completed", 4, 2, "wait-1d", "waiting"),
    ]
    assert [e["cause_id"] for e in page.json()["items"]] == [None, None, migration, None]

    second = timedelta(seconds=1)
    assert_problem(_as_of(client, reader, wid, "c-1", ENROLLED - second), 404, "not-enrolled-then")
    expected = [
        (ENROLLED, 1, "welcome", "active", "enrolment"),
        (MOVED - second, 1, "welcome", "active", "enrolment"),
        (MOVED, 1, "wait-1d", "waiting", "engine"),
        (MIGRATED - second, 1, "wait-1d", "waiting", "engine"),
        (MIGRATED, 2, "wait-1d", "waiting", "migration"),
        (COMPLETED - second, 2, "wait-1d", "waiting", "migration"),
    ]
    for at, number, action, status, cause in expected:
        body = _as_of(client, reader, wid, "c-1", at).json()
        assert (body["version_number"], body["action_id"], body["status"], body["event"]["cause"]) == (
            number,
            action,
            status,
            cause,
        ), at
        assert body["left"] is False
        assert body["execution_id"] == execution
    for at in (COMPLETED, NOW + timedelta(days=1)):
        body = _as_of(client, reader, wid, "c-1", at).json()
        assert (body["left"], body["left_at"], body["status"], body["since"]) == (
            True,
            rfc3339(COMPLETED),
            "completed",
            rfc3339(COMPLETED),
        )
    assert_problem(_as_of(client, auth("workflows:read", org="globex"), wid, "c-1", NOW), 404)


def test_enrolled_moved_migrated_and_reverted_is_that_journey_and_as_of_follows_it(
    client: TestClient, auth: Any
) -> None:
    """The issue's own story: the revert is the journey's last event, back where the
    migration found the contact, and as-of answers each state between the events."""
    admin, reader = auth("workflows:admin"), auth("workflows:read")
    reverted_at = COMPLETED
    with clock_at(ENROLLED):
        wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
        post_publish(client, admin, wid, 1)
        assert (
            client.post(f"{API}/{wid}/executions", json={"contact_ids": ["c-2"]}, headers=admin).status_code
            == 201
        )
    with clock_at(MOVED):
        moves = [{"contact_id": "c-2", "action_id": "reminder", "status": "waiting"}]
        assert (
            client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).status_code
            == 200
        )
    with clock_at(MIGRATED):
        post_version(client, admin, wid, definition=example("welcome-small-b"))
        post_publish(client, admin, wid, 2)
        # "reminder" is gone from v2: mapped to "tips".
        body = {"from_versions": [1], "mapping": {"reminder": "tips"}}
        started = client.post(versions_url(wid, 2, "migrate"), json=body, headers=admin)
        assert started.status_code == 202, started.text
        migration = started.json()["id"]
    with clock_at(reverted_at):
        revert = client.post(
            f"{API}/{wid}/migrations/{migration}/revert", json={"dry_run": False}, headers=admin
        )
        assert revert.status_code == 202, revert.text
    state = client.get(f"{API}/{wid}/migrations/{migration}/revert", headers=reader).json()
    assert (state["status"], state["restored"]) == ("completed", 1), state

    execution = client.get(f"{API}/{wid}/executions", headers=reader).json()["items"][0]["id"]
    items = client.get(f"{API}/{wid}/executions/{execution}/journey", headers=reader).json()["items"]
    assert [
        (e["cause"], e["at"], e["version_number"], e["action_id"], e["status"], e["revision"]) for e in items
    ] == [
        ("enrolment", rfc3339(ENROLLED), 1, "welcome", "active", 1),
        ("engine", rfc3339(MOVED), 1, "reminder", "waiting", 2),
        ("migration", rfc3339(MIGRATED), 2, "tips", "waiting", 3),
        ("revert", rfc3339(reverted_at), 1, "reminder", "waiting", 4),
    ]
    assert items[-1]["cause_id"] == state["id"]
    assert (items[-1]["from_version_number"], items[-1]["from_action_id"]) == (2, "tips")

    second = timedelta(seconds=1)
    assert_problem(_as_of(client, reader, wid, "c-2", ENROLLED - second), 404, "not-enrolled-then")
    expected = [
        (MOVED - second, 1, "welcome", "enrolment"),
        (MIGRATED - second, 1, "reminder", "engine"),
        (reverted_at - second, 2, "tips", "migration"),
        (reverted_at, 1, "reminder", "revert"),
        (NOW + timedelta(days=1), 1, "reminder", "revert"),
    ]
    for at, number, action, cause in expected:
        answer = _as_of(client, reader, wid, "c-2", at).json()
        assert (answer["version_number"], answer["action_id"], answer["event"]["cause"]) == (
            number,
            action,
            cause,
        ), at
        assert answer["left"] is False
