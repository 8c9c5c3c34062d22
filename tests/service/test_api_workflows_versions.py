"""Every REST route, on SQLite and PostgreSQL, with the git side checked by the real git CLI."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

from repo_store import WorkflowRepo
from schemas.canonical import canonical_json
from service.container import Container
from tests.factories import (
    API,
    EXAMPLES,
    assert_problem,
    create_workflow_via_api,
    example,
    get_versions,
    git_cli,
    post_publish,
    post_version,
    renamed,
    versions_url,
)


def repo_of(container: Container, workflow_id: str, tenant: str = "acme") -> WorkflowRepo:
    return container.store.open(tenant, uuid.UUID(workflow_id))


def test_create_workflow(client: TestClient, auth, container: Container) -> None:
    response = client.post(
        API,
        json={"name": "  Welcome  ", "definition": example("welcome-small")},
        headers=auth("workflows:edit"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert {"id", "name", "current_version_id", "created_at", "created_by", "version"} <= body.keys()
    assert body["name"] == "Welcome"
    assert body["current_version_id"] is None
    assert body["created_by"] == "alice"
    assert body["created_at"]
    assert response.headers["location"] == f"{API}/{body['id']}"
    version = body["version"]
    assert (version["version_number"], version["status"], version["lock_version"]) == (1, "draft", 1)
    assert version["workflow_id"] == body["id"]
    assert version["is_current"] is False
    repo = repo_of(container, body["id"])
    assert set(repo.refs("refs/heads/")) == {"refs/heads/drafts/v1"}
    assert repo.ref_target("refs/heads/drafts/v1") == version["commit_sha"]
    assert git_cli(repo.path, "log", "--format=%s", "drafts/v1") == "Create draft v1 of Welcome"
    shown = git_cli(repo.path, "show", "drafts/v1:workflow.json") + "\n"
    assert shown.encode() == canonical_json(example("welcome-small"))


def test_every_example_file_is_accepted(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    for path in sorted(EXAMPLES.glob("*.json")):
        created = create_workflow_via_api(client, headers, path.stem, example(path.stem))
        detail = client.get(versions_url(created["id"], 1), headers=headers).json()
        assert detail["definition"] == example(path.stem), path.name


def test_list_workflows_cursor_pagination(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    made = {create_workflow_via_api(client, headers, f"wf {i}")["id"] for i in range(5)}
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = client.get(API, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == made
    everything = client.get(API, headers=headers).json()
    assert [item["id"] for item in everything["items"]] == seen  # same order, newest first
    assert everything["next_cursor"] is None


def test_get_workflow(client: TestClient, auth) -> None:
    headers = auth("workflows:read", "workflows:edit")
    created = create_workflow_via_api(client, headers)
    response = client.get(f"{API}/{created['id']}", headers=auth("workflows:read"))
    assert response.status_code == 200
    body = response.json()
    assert body == {key: created[key] for key in body}
    assert body["current_version_id"] is None
    assert_problem(client.get(f"{API}/{uuid.uuid4()}", headers=headers), 404, "workflow-not-found")
    assert_problem(client.get(f"{API}/not-a-uuid", headers=headers), 422, "invalid-request")


def test_create_version_copies_current_or_newest(client: TestClient, auth, container: Container) -> None:
    headers = auth("workflows:edit")
    created = create_workflow_via_api(client, headers)
    wid, v1 = created["id"], created["version"]
    response = client.post(versions_url(wid), headers=headers)  # no body at all
    assert response.status_code == 201, response.text
    v2 = response.json()
    assert (v2["version_number"], v2["status"], v2["parent_version_id"]) == (2, "draft", v1["id"])
    assert v2["definition"] == example("welcome-small")
    assert response.headers["location"] == versions_url(wid, v2["id"])
    assert response.headers["etag"] == '"1"'
    v3 = post_version(client, headers, wid, definition=example("welcome-small-b"), message="Shorter")
    assert v3["definition"] == example("welcome-small-b")
    assert v3["parent_version_id"] == v2["id"]
    # nothing published: a copy of the newest (v3)
    v4 = post_version(client, headers, wid)
    assert v4["parent_version_id"] == v3["id"]
    assert v4["definition"] == example("welcome-small-b")
    post_publish(client, headers, wid, 1)
    # v1 is current: the copy is of v1, not of the newest
    v5 = post_version(client, headers, wid)
    assert v5["parent_version_id"] == v1["id"]
    assert v5["definition"] == example("welcome-small")
    v6 = post_version(client, headers, wid, from_version=3)
    assert v6["parent_version_id"] == v3["id"]
    assert v6["definition"] == example("welcome-small-b")
    v7 = post_version(client, headers, wid, from_version=v2["id"])
    assert v7["parent_version_id"] == v2["id"]
    assert v7["version_number"] == 7
    assert_problem(
        client.post(versions_url(wid), json={"from_version": 99}, headers=headers), 404, "version-not-found"
    )
    repo = repo_of(container, wid)
    assert git_cli(repo.path, "log", "-1", "--format=%s", "drafts/v3") == "Shorter"
    assert git_cli(repo.path, "log", "-1", "--format=%s", "drafts/v6") == "Create draft v6 from v3"
    assert git_cli(repo.path, "rev-parse", "drafts/v6^") == v3["commit_sha"]  # history follows the copy
    assert len(repo.refs("refs/heads/drafts/")) == 7


def test_list_versions_filter_and_pagination(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    for _ in range(4):
        post_version(client, headers, wid)
    post_publish(client, headers, wid, 2)
    page = get_versions(client, headers, wid)
    assert [v["version_number"] for v in page["items"]] == [5, 4, 3, 2, 1]
    assert "definition" not in page["items"][0]
    assert [v["version_number"] for v in get_versions(client, headers, wid, status="active")["items"]] == [2]
    drafts = get_versions(client, headers, wid, status="draft")["items"]
    assert [v["version_number"] for v in drafts] == [5, 4, 3, 1]
    assert get_versions(client, headers, wid, status="archived")["items"] == []
    seen, cursor = [], None
    while True:
        page = get_versions(client, headers, wid, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [v["version_number"] for v in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [5, 4, 3, 2, 1]
    first = get_versions(client, headers, wid, limit=2)["next_cursor"]
    for tampered in ("!!not-base64!!", first[:-2] + "zz", "W10", "eyJhIjoxfQ"):
        problem = assert_problem(
            client.get(versions_url(wid), params={"cursor": tampered}, headers=headers), 400
        )
        assert problem["type"] == "/problems/invalid-cursor"
    assert_problem(client.get(versions_url(wid), params={"status": "gone"}, headers=headers), 422)
    assert_problem(client.get(versions_url(wid), params={"limit": 0}, headers=headers), 422)


def test_get_version_by_number_id_and_v_name(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    v2 = post_version(client, headers, wid)
    answers = [client.get(versions_url(wid, ref), headers=headers) for ref in ("2", v2["id"], "v2")]
    assert all(r.status_code == 200 for r in answers)
    # A read carries the version's drain; the answer to a change leaves it null (read it).
    assert v2["drain"] is None
    assert all(r.json() == v2 | {"drain": answers[0].json()["drain"]} for r in answers)
    assert answers[0].json()["drain"]["state"] == "empty"
    assert all(r.headers["etag"] == '"1"' for r in answers)
    assert_problem(client.get(versions_url(wid, "abc"), headers=headers), 422, "invalid-version-ref")
    assert_problem(client.get(versions_url(wid, "0"), headers=headers), 422, "invalid-version-ref")
    assert_problem(client.get(versions_url(wid, "99"), headers=headers), 404, "version-not-found")
    assert_problem(client.get(versions_url(wid, uuid.uuid4()), headers=headers), 404, "version-not-found")
    assert_problem(client.get(versions_url(uuid.uuid4(), 1), headers=headers), 404, "workflow-not-found")


def patch(
    client: TestClient, headers: dict[str, str], wid: str, definition: dict[str, Any], **how: Any
) -> Any:
    """PATCH version 1 (or ``ref``) with ``lock_version`` in the body and/or an If-Match header."""
    body = {"definition": definition} | ({"lock_version": how["lock"]} if "lock" in how else {})
    extra = {"If-Match": how["if_match"]} if "if_match" in how else {}
    return client.patch(versions_url(wid, how.get("ref", 1)), json=body, headers=headers | extra)


def test_patch_optimistic_locking(client: TestClient, auth, container: Container) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    repo = repo_of(container, wid)
    edit = renamed(example("welcome-small"), "edited")
    refs = repo.refs("refs/")
    assert_problem(patch(client, headers, wid, edit), 428, "precondition-required")
    assert repo.refs("refs/") == refs
    response = patch(client, headers, wid, edit, lock=1)
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["lock_version"] == 2
    assert response.headers["etag"] == '"2"'
    assert saved["definition"] == edit
    assert repo.ref_target("refs/heads/drafts/v1") == saved["commit_sha"]
    assert git_cli(repo.path, "log", "--format=%s", "drafts/v1").splitlines()[0] == "Edit draft v1"
    refs = repo.refs("refs/")
    other = renamed(example("welcome-small"), "lost update")
    stale_body = assert_problem(patch(client, headers, wid, other, lock=1), 409, "stale-lock-version")
    assert stale_body["lock_version"] == 2
    stale_etag = assert_problem(patch(client, headers, wid, other, if_match='"1"'), 412)
    assert stale_etag["lock_version"] == 2
    assert stale_etag["type"] == "/problems/stale-lock-version"
    assert_problem(patch(client, headers, wid, other, if_match="nope"), 412)
    after = client.get(versions_url(wid, 1), headers=headers)
    assert after.json()["definition"] == edit
    assert after.json()["commit_sha"] == saved["commit_sha"]
    assert after.headers["etag"] == '"2"'
    assert repo.refs("refs/") == refs
    # If-Match wins over the body's lock_version
    both = patch(client, headers, wid, other, lock=1, if_match='W/"2"')
    assert both.status_code == 200
    assert both.json()["lock_version"] == 3
    # the same document again: nothing to record
    same = patch(client, headers, wid, other, lock=3, ref="v1")
    assert same.status_code == 200
    assert same.json()["lock_version"] == 3
    assert same.json()["commit_sha"] == both.json()["commit_sha"]
    assert repo.ref_target("refs/heads/drafts/v1") == both.json()["commit_sha"]


def test_patch_published_version_is_an_invalid_transition(client: TestClient, auth, container) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    published = post_publish(client, headers, wid, 1)
    refs = repo_of(container, wid).refs("refs/")
    body = {"definition": renamed(example("welcome-small"), "x"), "lock_version": published["lock_version"]}
    problem = assert_problem(
        client.patch(versions_url(wid, 1), json=body, headers=headers), 409, "invalid-transition"
    )
    assert problem["transition"] == "edit"
    assert problem["status_from"] == "active"
    assert repo_of(container, wid).refs("refs/") == refs


def test_delete_draft_keeps_its_number(client: TestClient, auth, container: Container) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    post_version(client, headers, wid)
    assert_problem(client.delete(versions_url(wid, 2), headers=headers | {"If-Match": '"7"'}), 412)
    response = client.delete(versions_url(wid, 2), headers=headers)
    assert response.status_code == 200, response.text
    deleted = response.json()
    assert deleted["deleted_at"] is not None
    assert deleted["lock_version"] == 2
    assert [v["version_number"] for v in get_versions(client, headers, wid)["items"]] == [1]
    shown = get_versions(client, headers, wid, include_deleted="true")["items"]
    assert [(v["version_number"], v["deleted_at"] is not None) for v in shown] == [(2, True), (1, False)]
    assert client.get(versions_url(wid, 2), headers=headers).json()["deleted_at"] == deleted["deleted_at"]
    assert post_version(client, headers, wid)["version_number"] == 3
    assert_problem(client.delete(versions_url(wid, 2), headers=headers), 404, "version-not-found")
    repo = repo_of(container, wid)
    assert git_cli(repo.path, "log", "-1", "--format=%s", "drafts/v2") == "Delete draft v2"
    assert repo.ref_target("refs/heads/drafts/v2") == deleted["commit_sha"]


def test_delete_active_version_is_refused(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    post_publish(client, headers, wid, 1)
    problem = assert_problem(client.delete(versions_url(wid, 1), headers=headers), 409, "invalid-transition")
    assert problem["transition"] == "delete"
    assert client.get(versions_url(wid, 1), headers=headers).json()["deleted_at"] is None


def test_publish_incomplete_draft_lists_problems(client: TestClient, auth, container: Container) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers, definition=example("incomplete"))["id"]
    repo = repo_of(container, wid)
    refs = repo.refs("refs/")
    problem = assert_problem(
        client.post(versions_url(wid, 1, "publish"), headers=headers), 422, "definition-incomplete"
    )
    assert isinstance(problem["problems"], list)
    assert problem["problems"]
    welcome = [p for p in problem["problems"] if p["action_id"] == "welcome"]
    assert welcome
    assert "missing-step" in welcome[0]["message"]
    assert any(p["action_id"] == "orphan" for p in problem["problems"])
    assert repo.refs("refs/") == refs
    assert repo.ref_target("refs/heads/main") is None
    after = client.get(versions_url(wid, 1), headers=headers).json()
    assert (after["status"], after["is_current"], after["lock_version"]) == ("draft", False, 1)


def test_publish_then_rollback(client: TestClient, auth, container: Container) -> None:
    editor, admin = auth("workflows:edit"), auth("workflows:admin", user="root")
    wid = create_workflow_via_api(client, editor)["id"]
    v2 = post_version(client, editor, wid, definition=example("welcome-small-b"))
    v1 = post_publish(client, editor, wid, 1)
    assert (v1["status"], v1["is_current"], v1["published_by"], v1["lock_version"]) == (
        "active",
        True,
        "alice",
        2,
    )
    assert client.get(f"{API}/{wid}", headers=editor).json()["current_version_id"] == v1["id"]
    assert_problem(client.post(versions_url(wid, 1, "publish"), headers=editor), 409, "invalid-transition")
    post_publish(client, editor, wid, v2["id"])
    items = get_versions(client, editor, wid)["items"]
    assert [v["version_number"] for v in items if v["is_current"]] == [2]
    assert [v["status"] for v in items] == ["active", "active"]
    assert_problem(client.post(versions_url(wid, 1, "rollback"), headers=editor), 403, "forbidden")
    response = client.post(versions_url(wid, 1, "rollback"), headers=admin)
    assert response.status_code == 201, response.text
    v3 = response.json()
    assert (v3["version_number"], v3["status"], v3["is_current"]) == (3, "active", True)
    assert v3["definition"] == v1["definition"] == example("welcome-small")
    assert v3["rollback_of_version_id"] == v1["id"]
    assert v3["parent_version_id"] == v1["id"]
    assert v3["published_by"] == "root"
    assert response.headers["location"] == versions_url(wid, v3["id"])
    items = get_versions(client, editor, wid)["items"]
    assert [v["version_number"] for v in items if v["is_current"]] == [3]
    assert client.get(f"{API}/{wid}", headers=editor).json()["current_version_id"] == v3["id"]
    assert_problem(client.post(versions_url(wid, 3, "rollback"), headers=admin), 409, "version-conflict")
    repo = repo_of(container, wid)
    assert repo.ref_target("refs/wfv/head") == repo.ref_target("refs/heads/main")  # the watermark
    post_version(client, editor, wid)
    refs = repo.refs("refs/")
    assert_problem(client.post(versions_url(wid, 4, "rollback"), headers=admin), 409, "version-conflict")
    assert repo.refs("refs/") == refs
    oneline = git_cli(repo.path, "log", "--oneline", "main").splitlines()
    assert [line.split(" ", 1)[1] for line in oneline] == [
        "Rollback to v1",
        "Publish v2",
        "Publish v1",
    ]
    assert git_cli(repo.path, "tag", "-l").splitlines() == ["v1", "v2", "v3"]
    assert all(git_cli(repo.path, "cat-file", "-t", f"v{n}") == "tag" for n in (1, 2, 3))
    assert git_cli(repo.path, "rev-parse", "v3^{commit}") == git_cli(repo.path, "rev-parse", "main")
    assert (git_cli(repo.path, "show", "v3:workflow.json") + "\n").encode() == canonical_json(
        v1["definition"]
    )
    tip = repo.commit_info(repo.ref_target("refs/heads/main") or "")
    assert tip.trailers["Version-Id"] == v3["id"]
    assert tip.trailers["Rollback-Of"] == "1"


def test_audit_trail(client: TestClient, auth) -> None:
    editor, admin = auth("workflows:edit"), auth("workflows:admin", user="root")
    wid = create_workflow_via_api(client, editor)["id"]
    v2 = post_version(client, editor, wid)
    edit = {"definition": renamed(example("welcome-small"), "x"), "lock_version": 1}
    assert client.patch(versions_url(wid, 2), json=edit, headers=editor).status_code == 200
    assert client.delete(versions_url(wid, 2), headers=editor).status_code == 200
    post_publish(client, editor, wid, 1)
    post_version(client, editor, wid)
    post_publish(client, editor, wid, 3)
    v4 = client.post(versions_url(wid, 1, "rollback"), headers=admin).json()
    response = client.get(f"{API}/{wid}/audit", headers=auth("workflows:read"))
    assert response.status_code == 200
    items = response.json()["items"]
    actions = [item["action"] for item in reversed(items)]
    assert actions == [
        "create_workflow",
        "create",
        "update",
        "delete",
        "publish",
        "create",
        "publish",
        "rollback",
    ]
    assert [item["id"] for item in items] == sorted((item["id"] for item in items), reverse=True)
    for item in items:
        assert item["workflow_id"] == wid
        assert item["version_id"]
        assert item["created_at"]
        assert isinstance(item["details"], dict)
        assert "version_number" in item["details"]
    by_action = {item["action"]: item for item in items}
    assert by_action["rollback"]["actor_id"] == "root"
    assert by_action["rollback"]["version_id"] == v4["id"]
    assert by_action["rollback"]["details"]["rollback_of"] == 1
    assert by_action["update"]["actor_id"] == "alice"
    assert by_action["update"]["version_id"] == v2["id"]
    assert by_action["update"]["details"]["before"]["lock_version"] == 1
    assert by_action["update"]["details"]["after"]["lock_version"] == 2
    assert by_action["create_workflow"]["details"]["name"] == "Welcome"
    only = client.get(f"{API}/{wid}/audit", params={"action": "publish"}, headers=editor).json()["items"]
    assert [item["details"]["version_number"] for item in only] == [3, 1]
    page = client.get(f"{API}/{wid}/audit", params={"limit": 3}, headers=editor).json()
    rest = client.get(f"{API}/{wid}/audit", params={"cursor": page["next_cursor"]}, headers=editor).json()
    assert [i["id"] for i in page["items"] + rest["items"]] == [i["id"] for i in items]
