"""Pull-request-style review of drafts on both databases: threads, verdict rules, the
publish gate, and the thread carried into git as notes."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.container import Container
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    git_cli,
    post_publish,
    post_version,
    renamed,
    versions_url,
)

API = "/api/v1/workflows"


@pytest.fixture
def draft(client: TestClient, auth) -> dict[str, str]:
    """v1 published by alice, v2 a draft written by alice; the workflow needs 1 approval."""
    alice = auth("workflows:admin", user="alice")
    created = create_workflow_via_api(client, alice)
    post_publish(client, alice, created["id"], 1)
    post_version(client, alice, created["id"])
    rule = client.patch(f"{API}/{created['id']}", json={"required_approvals": 1}, headers=alice)
    assert rule.status_code == 200
    assert rule.json()["required_approvals"] == 1
    return {"workflow": created["id"]}


def _open(client: TestClient, auth, workflow: str, user: str = "alice") -> Any:
    response = client.post(
        versions_url(workflow, 2, "reviews"),
        json={"title": "New copy"},
        headers=auth("workflows:edit", user=user),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _verdict(client: TestClient, auth, workflow: str, review: str, user: str, verdict: str):
    return client.post(
        f"{API}/{workflow}/reviews/{review}/verdicts",
        json={"verdict": verdict},
        headers=auth("workflows:edit", user=user),
    )


def _publish(client: TestClient, auth, workflow: str):
    return client.post(versions_url(workflow, 2, "publish"), headers=auth("workflows:edit", user="alice"))


def test_publish_needs_a_review_with_enough_current_approvals(
    client: TestClient, auth, draft: dict[str, str]
) -> None:
    workflow = draft["workflow"]
    blocked = assert_problem(_publish(client, auth, workflow), 409, "publish-blocked")
    assert blocked["missing"] == ["an open review"]
    review = _open(client, auth, workflow)
    assert review["state"] == {
        "required_approvals": 1,
        "approved_by": [],
        "stale_approvals": [],
        "changes_requested_by": [],
        "publishable": False,
        "missing": ["1 more approval(s) of the current edit needed"],
        "problems": [],
        "problems_truncated": False,
    }
    approved = _verdict(client, auth, workflow, review["id"], "bob", "approve")
    assert approved.status_code == 201
    assert approved.json()["state"]["approved_by"] == ["bob"]
    assert approved.json()["state"]["publishable"] is True
    published = _publish(client, auth, workflow)
    assert published.status_code == 200, published.text
    after = client.get(f"{API}/{workflow}/reviews/{review['id']}", headers=auth("workflows:read")).json()
    assert after["status"] == "merged"
    assert after["closed_at"] is not None


def test_authors_cannot_approve_their_own_draft(client: TestClient, auth, draft: dict[str, str]) -> None:
    review = _open(client, auth, draft["workflow"])
    assert_problem(
        _verdict(client, auth, draft["workflow"], review["id"], "alice", "approve"), 403, "self-approval"
    )
    # an editor of the draft is an author too
    editor = auth("workflows:edit", user="dave")
    current = client.get(versions_url(draft["workflow"], 2), headers=editor).json()
    edit = client.patch(
        versions_url(draft["workflow"], 2),
        json={
            "definition": renamed(current["definition"], "by dave"),
            "lock_version": current["lock_version"],
        },
        headers=editor,
    )
    assert edit.status_code == 200
    assert_problem(
        _verdict(client, auth, draft["workflow"], review["id"], "dave", "approve"), 403, "self-approval"
    )


def test_an_edit_after_approval_makes_it_stale(client: TestClient, auth, draft: dict[str, str]) -> None:
    workflow = draft["workflow"]
    review = _open(client, auth, workflow)
    _verdict(client, auth, workflow, review["id"], "bob", "approve")
    alice = auth("workflows:edit", user="alice")
    current = client.get(versions_url(workflow, 2), headers=alice).json()
    edited = client.patch(
        versions_url(workflow, 2),
        json={"definition": renamed(current["definition"], "again"), "lock_version": current["lock_version"]},
        headers=alice,
    )
    assert edited.status_code == 200
    state = client.get(f"{API}/{workflow}/reviews/{review['id']}", headers=alice).json()
    assert state["state"]["stale_approvals"] == ["bob"]
    assert state["state"]["approved_by"] == []
    assert [e["stale"] for e in state["events"]] == [True]
    blocked = assert_problem(_publish(client, auth, workflow), 409, "publish-blocked")
    assert "stale" in blocked["detail"]
    _verdict(client, auth, workflow, review["id"], "bob", "approve")
    assert _publish(client, auth, workflow).status_code == 200


def test_a_request_for_changes_stands_until_that_reviewer_approves(
    client: TestClient, auth, draft: dict[str, str]
) -> None:
    workflow = draft["workflow"]
    review = _open(client, auth, workflow)
    _verdict(client, auth, workflow, review["id"], "carol", "request_changes")
    _verdict(client, auth, workflow, review["id"], "bob", "approve")
    blocked = assert_problem(_publish(client, auth, workflow), 409, "publish-blocked")
    assert blocked["missing"] == ["changes requested by carol"]
    _verdict(client, auth, workflow, review["id"], "carol", "approve")
    assert _publish(client, auth, workflow).status_code == 200


def test_without_a_rule_a_standing_request_still_blocks(client: TestClient, auth) -> None:
    alice = auth("workflows:admin", user="alice")
    created = create_workflow_via_api(client, alice)
    review = client.post(versions_url(created["id"], 1, "reviews"), headers=alice).json()
    _verdict(client, auth, created["id"], review["id"], "carol", "request_changes")
    assert_problem(
        client.post(versions_url(created["id"], 1, "publish"), headers=alice), 409, "publish-blocked"
    )


def test_comments_anchor_to_existing_actions(client: TestClient, auth, draft: dict[str, str]) -> None:
    workflow = draft["workflow"]
    review = _open(client, auth, workflow)
    url = f"{API}/{workflow}/reviews/{review['id']}/comments"
    bob = auth("workflows:edit", user="bob")
    ok = client.post(
        url, json={"body": "Shorter subject?", "action_id": "welcome", "path": "config.template"}, headers=bob
    )
    assert ok.status_code == 201
    event = ok.json()["events"][-1]
    assert (event["kind"], event["action_id"], event["json_path"], event["author_id"]) == (
        "comment",
        "welcome",
        "config.template",
        "bob",
    )
    assert_problem(
        client.post(url, json={"body": "?", "action_id": "nope"}, headers=bob), 422, "unknown-anchor"
    )
    assert_problem(client.post(url, json={"body": ""}, headers=bob), 422)
    assert_problem(client.post(url, json={"body": "x"}, headers=auth("workflows:read", user="eve")), 403)


def test_one_open_review_per_draft_and_only_drafts(client: TestClient, auth, draft: dict[str, str]) -> None:
    workflow = draft["workflow"]
    _open(client, auth, workflow)
    assert_problem(
        client.post(versions_url(workflow, 2, "reviews"), headers=auth("workflows:edit")),
        409,
        "review-conflict",
    )
    assert_problem(
        client.post(versions_url(workflow, 1, "reviews"), headers=auth("workflows:edit")),
        409,
        "review-conflict",
    )
    listed = client.get(versions_url(workflow, 2, "reviews"), headers=auth("workflows:read")).json()["items"]
    assert len(listed) == 1


def test_deleting_the_draft_closes_its_review(client: TestClient, auth, draft: dict[str, str]) -> None:
    workflow = draft["workflow"]
    review = _open(client, auth, workflow)
    assert client.delete(versions_url(workflow, 2), headers=auth("workflows:edit")).status_code == 200
    closed = client.get(f"{API}/{workflow}/reviews/{review['id']}", headers=auth("workflows:read")).json()
    assert closed["status"] == "closed"
    assert_problem(_verdict(client, auth, workflow, review["id"], "bob", "approve"), 409, "review-conflict")


def test_the_thread_travels_in_git_notes_and_the_audit(
    client: TestClient, container: Container, auth, draft: dict[str, str]
) -> None:
    workflow = draft["workflow"]
    review = _open(client, auth, workflow)
    client.post(
        f"{API}/{workflow}/reviews/{review['id']}/comments",
        json={"body": "Nice wording", "action_id": "welcome"},
        headers=auth("workflows:edit", user="bob"),
    )
    _verdict(client, auth, workflow, review["id"], "bob", "approve")
    assert _publish(client, auth, workflow).status_code == 200
    repo = container.store.path_for("acme", uuid.UUID(workflow))
    shown = git_cli(repo, "log", "-1", "--notes=reviews", "main")
    assert "Review: v2 (merged)" in shown
    assert "[comment] bob" in shown
    assert "on action 'welcome'" in shown
    assert "[approve] bob" in shown
    actions = [
        e["action"]
        for e in client.get(f"{API}/{workflow}/audit", headers=auth("workflows:read")).json()["items"]
    ]
    assert actions[:4] == ["publish", "review_approve", "review_comment", "review_open"]


def test_other_tenants_see_no_review(client: TestClient, auth, draft: dict[str, str]) -> None:
    review = _open(client, auth, draft["workflow"])
    stranger = auth("workflows:admin", org="globex")
    assert_problem(client.get(f"{API}/{draft['workflow']}/reviews/{review['id']}", headers=stranger), 404)
    unknown = f"{API}/{draft['workflow']}/reviews/{uuid.uuid4()}/verdicts"
    assert_problem(
        client.post(unknown, json={"verdict": "approve"}, headers=auth("workflows:edit")),
        404,
        "review-not-found",
    )


def test_required_approvals_is_an_admin_setting(client: TestClient, auth, draft: dict[str, str]) -> None:
    url = f"{API}/{draft['workflow']}"
    assert_problem(client.patch(url, json={"required_approvals": 0}, headers=auth("workflows:edit")), 403)
    assert_problem(client.patch(url, json={"required_approvals": 11}, headers=auth("workflows:admin")), 422)
    assert client.get(url, headers=auth("workflows:read")).json()["required_approvals"] == 1
