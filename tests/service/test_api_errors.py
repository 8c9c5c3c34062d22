"""REST errors: problem documents, bodies, authentication, tenants and the version limit."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from indexer.revisions import upgrade
from service.api.app import create_app
from service.container import build_container
from service.settings import Settings
from tests.factories import (
    API,
    assert_problem,
    create_workflow_via_api,
    example,
    get_versions,
    post_publish,
    post_version,
    versions_url,
)

# --- errors, auth, tenants, limits ---------------------------------------------------


def test_malformed_json_is_a_400_problem(client: TestClient, auth) -> None:
    headers = auth("workflows:edit") | {"Content-Type": "application/json"}
    response = client.post(API, content=b'{"name": "x", "definition": {', headers=headers)
    assert_problem(response, 400, "malformed-json")


def test_invalid_definition_names_the_action(client: TestClient, auth) -> None:
    document = example("welcome-small")
    document["actions"][1]["id"] = "wait 1d"
    response = client.post(API, json={"name": "x", "definition": document}, headers=auth("workflows:edit"))
    problem = assert_problem(response, 422, "invalid-request")
    mine = [e for e in problem["errors"] if e.get("action_id") == "wait 1d"]
    assert mine
    assert "in action 'wait 1d'" in mine[0]["message"]
    assert mine[0]["field"] == "body.definition.actions.1.id"
    extra = client.post(
        API,
        json={"name": "x", "definition": example("welcome-small"), "owner": "me"},
        headers=auth("workflows:edit"),
    )
    assert_problem(extra, 422, "invalid-request")
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


def test_body_over_one_mib_is_413(client: TestClient, auth) -> None:
    document = example("welcome-small") | {"settings": {"pad": "x" * (1024 * 1024 + 10)}}
    response = client.post(API, json={"name": "big", "definition": document}, headers=auth("workflows:edit"))
    assert_problem(response, 413, "payload-too-large")
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


def test_chunked_body_over_one_mib_is_413(client: TestClient, auth) -> None:
    document = example("welcome-small") | {"settings": {"pad": "x" * (1024 * 1024 + 10)}}
    raw = json.dumps({"name": "big", "definition": document}).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: the middleware has to count
        for start in range(0, len(raw), 64 * 1024):
            yield raw[start : start + 64 * 1024]

    headers = auth("workflows:edit") | {"Content-Type": "application/json"}
    response = client.post(API, content=chunks(), headers=headers)
    assert_problem(response, 413, "payload-too-large")


def test_authentication_and_permissions(client: TestClient, auth) -> None:
    problem = assert_problem(client.get(API), 401, "unauthorized")
    assert "detail" in problem
    assert client.get(API).headers["www-authenticate"].startswith("Bearer")
    assert_problem(client.get(API, headers={"Authorization": "Bearer not.a.token"}), 401)
    assert_problem(client.get(API, headers={"Authorization": "Basic abc"}), 401)
    body = {"name": "x", "definition": example("welcome-small")}
    assert_problem(client.post(API, json=body, headers=auth("workflows:read")), 403, "forbidden")
    assert_problem(client.post(API, json=body, headers=auth()), 403, "forbidden")
    assert client.get(API, headers=auth("workflows:read")).status_code == 200
    assert (
        client.post(API, json=body, headers=auth("workflows:admin")).status_code == 201
    )  # admin implies edit


def test_other_tenant_sees_nothing(client: TestClient, auth) -> None:
    headers = auth("workflows:admin")
    wid = create_workflow_via_api(client, headers)["id"]
    stranger = auth("workflows:admin", org="other")
    assert_problem(client.get(f"{API}/{wid}", headers=stranger), 404, "workflow-not-found")
    assert client.get(API, headers=stranger).json() == {"items": [], "next_cursor": None}
    assert_problem(client.get(versions_url(wid), headers=stranger), 404)
    assert_problem(client.get(versions_url(wid, 1), headers=stranger), 404)
    assert_problem(client.post(versions_url(wid), headers=stranger), 404)
    assert_problem(client.post(versions_url(wid, 1, "publish"), headers=stranger), 404)
    assert_problem(client.get(f"{API}/{wid}/audit", headers=stranger), 404)
    assert client.get(versions_url(wid, 1), headers=headers).json()["status"] == "draft"


@pytest.fixture
def limited_client(settings: Settings) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"max_versions_per_workflow": 3})
    built = build_container(limited)
    if limited.resolved_database_url.startswith("sqlite"):
        upgrade(built.engine)
    with TestClient(create_app(container=built)) as test_client:
        yield test_client
    built.close()


def test_version_limit(limited_client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(limited_client, headers)["id"]
    assert post_version(limited_client, headers, wid)["version_number"] == 2
    assert post_version(limited_client, headers, wid)["version_number"] == 3
    problem = assert_problem(
        limited_client.post(versions_url(wid), headers=headers), 409, "version-limit-reached"
    )
    assert problem["limit"] == 3
    assert len(get_versions(limited_client, headers, wid)["items"]) == 3
    assert limited_client.get(versions_url(wid, 3), headers=headers).json()["version_number"] == 3


def test_unknown_body_fields_and_bad_lock_versions(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    document = example("welcome-small")
    for body in (
        {"definition": document, "lock_version": 1, "owner": "me"},
        {"definition": document, "lock_version": 0},
        {"lock_version": 1},
    ):
        assert_problem(client.patch(versions_url(wid, 1), json=body, headers=headers), 422, "invalid-request")
    assert_problem(client.post(versions_url(wid), json={"from": 1}, headers=headers), 422)
    version = client.get(versions_url(wid, 1), headers=headers).json()
    assert version["lock_version"] == 1
    assert version["definition"] == document


def test_publish_checks_the_lock_too(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    stale = client.post(versions_url(wid, 1, "publish"), json={"lock_version": 5}, headers=headers)
    assert assert_problem(stale, 409, "stale-lock-version")["lock_version"] == 1
    stale = client.post(versions_url(wid, 1, "publish"), headers=headers | {"If-Match": '"5"'})
    assert_problem(stale, 412)
    assert client.get(versions_url(wid, 1), headers=headers).json()["status"] == "draft"
    ok = client.post(versions_url(wid, 1, "publish"), json={"lock_version": 1}, headers=headers)
    assert ok.status_code == 200
    assert ok.json()["status"] == "active"
    assert ok.headers["etag"] == f'"{ok.json()["lock_version"]}"'


def test_unknown_routes_and_methods_are_problems(client: TestClient, auth) -> None:
    headers = auth("workflows:admin")
    assert_problem(client.get("/api/v1/nothing-here", headers=headers), 404, "not-found")
    assert_problem(client.put(API, headers=headers), 405)
    wid = create_workflow_via_api(client, headers)["id"]
    assert_problem(client.post(versions_url(wid, 9, "rollback"), headers=headers), 404, "version-not-found")
    assert_problem(client.delete(versions_url(wid, 1), headers=auth("workflows:read")), 403, "forbidden")


def test_the_engines_batches_have_room_for_10000_based_moves(client: TestClient, auth) -> None:
    """10,000 moves that name their base are over a megabyte: the batch routes take up to
    WFV_MAX_BATCH_BODY_BYTES (8 MiB), every other route still 1 MiB."""
    editor = auth("workflows:edit")
    wid = create_workflow_via_api(client, editor, definition=example("welcome-small"))["id"]
    post_publish(client, editor, wid, 1)
    contacts = [f"contact-{n:06d}-{'x' * 80}" for n in range(10_000)]
    enrolled = client.post(f"{API}/{wid}/executions", json={"contact_ids": contacts}, headers=editor)
    assert enrolled.status_code == 201, enrolled.text
    moves = [
        {"contact_id": contact, "action_id": "wait-1d", "status": "waiting", "base_revision": 1}
        for contact in contacts
    ]
    body = json.dumps({"moves": moves}).encode()
    assert len(body) > 1024 * 1024
    reported = client.post(
        f"{API}/{wid}/executions/positions",
        content=body,
        headers=editor | {"Content-Type": "application/json"},
    )
    assert reported.status_code == 200, reported.text
    assert reported.json()["updated"] == 10_000
    # Past the batch bound, or the same size on any other route: 413, nothing done.
    too_big = json.dumps({"moves": moves, "pad": "x" * (8 * 1024 * 1024)}).encode()
    refused = client.post(
        f"{API}/{wid}/executions/positions",
        content=too_big,
        headers=editor | {"Content-Type": "application/json"},
    )
    assert_problem(refused, 413, "payload-too-large")
    elsewhere = client.post(
        f"{API}/{wid}/versions", content=body, headers=editor | {"Content-Type": "application/json"}
    )
    assert_problem(elsewhere, 413, "payload-too-large")
