"""Blame for a workflow step, answered from git's main line."""

from fastapi.testclient import TestClient

from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    renamed,
)

API = "/api/v1/workflows"


def test_history_of_actions_across_publishes_and_a_rollback(client: TestClient, auth) -> None:
    alice, bob = auth("workflows:admin", user="alice"), auth("workflows:admin", user="bob")
    wid = create_workflow_via_api(client, alice)["id"]
    post_publish(client, alice, wid, 1)
    post_version(client, bob, wid, definition=renamed(example("welcome-small"), "v2"))
    post_publish(client, bob, wid, 2)
    post_version(client, alice, wid, definition=example("welcome-small-b"))  # drops 'reminder'
    post_publish(client, alice, wid, 3)
    assert client.post(f"{API}/{wid}/versions/1/rollback", headers=alice).status_code == 201
    post_version(
        client, alice, wid, definition=renamed(example("welcome-small"), "draft only")
    )  # v5, unpublished

    history = client.get(f"{API}/{wid}/actions/reminder/history", headers=auth("workflows:read")).json()
    assert history["action_id"] == "reminder"
    assert [(e["version_number"], e["change"], e["rollback_of"]) for e in history["entries"]] == [
        (1, "added", None),
        (3, "removed", None),
        (4, "added", 1),
    ]
    assert history["entries"][1]["author_id"] == "alice"
    assert history["entries"][1]["message"] == "Publish v3"

    welcome = client.get(f"{API}/{wid}/actions/welcome/history", headers=auth("workflows:read")).json()[
        "entries"
    ]
    assert [(e["version_number"], e["change"]) for e in welcome] == [
        (1, "added"),
        (2, "modified"),
        (3, "modified"),  # welcome-small-b restores the original name; v4 changes nothing here
    ]
    assert welcome[1]["author_id"] == "bob"
    assert [(f["path"], f["old"], f["new"]) for f in welcome[1]["fields"]] == [
        ("name", "Welcome mail", "Welcome mail v2")
    ]
    assert welcome[1]["action"]["name"] == "Welcome mail v2"


def test_unknown_and_invalid_actions(client: TestClient, auth) -> None:
    wid = create_workflow_via_api(client, auth("workflows:admin"))["id"]
    reader = auth("workflows:read")
    assert client.get(f"{API}/{wid}/actions/nothing-here/history", headers=reader).json()["entries"] == []
    assert_problem(client.get(f"{API}/{wid}/actions/{'x' * 65}/history", headers=reader), 422)
    assert_problem(client.get(f"{API}/{wid}/actions/bad%20id/history", headers=reader), 422)
    assert_problem(
        client.get(f"{API}/{wid}/actions/welcome/history", headers=auth("workflows:read", org="globex")), 404
    )
    question = client.get(f"{API}/{wid}/actions/opened%3F/history", headers=reader)
    assert question.status_code == 200
    assert question.json()["entries"] == []  # nothing published yet
