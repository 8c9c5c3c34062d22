"""Hostile input: ids that try to leave the data dir, oversized and deeply nested bodies,
malformed claims. Each gets a clean problem (never a 500) and changes nothing."""

import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schemas.workflow import MAX_ACTIONS, MAX_DEPTH, MAX_STRING
from service.container import Container
from service.healing.scan import reindex_all
from tests.factories import assert_problem, create_workflow_via_api, example

API = "/api/v1/workflows"

HOSTILE_IDS = [
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2Fetc%2Fpasswd",
    "%00",
    "abc%00def",
    "a" * 5000,
    "C:%5Cwindows",
    "00000000-0000-0000-0000-000000000000.git",
    "%2e%2e",
]


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*")) if root.exists() else set()


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_hostile_workflow_ids_never_reach_the_file_system(
    client: TestClient, container: Container, auth, hostile: str
) -> None:
    headers = auth("workflows:admin")
    before = _files(container.settings.data_dir / "repos")
    for method, path in [
        ("GET", f"{API}/{hostile}"),
        ("GET", f"{API}/{hostile}/versions"),
        ("POST", f"{API}/{hostile}/versions"),
        ("GET", f"{API}/{hostile}/audit"),
    ]:
        response = client.request(method, path, headers=headers)
        assert response.status_code in (404, 422), f"{method} {path}: {response.status_code}"
        assert response.headers["content-type"].startswith("application/problem+json")
    assert _files(container.settings.data_dir / "repos") == before


@pytest.mark.parametrize("hostile", ["%2e%2e", "..%2F1", "1e3", "-1", "0", "9" * 12, "v0", "%00", "1.5"])
def test_hostile_version_refs_are_422_or_404(client: TestClient, auth, hostile: str) -> None:
    headers = auth("workflows:admin")
    wid = create_workflow_via_api(client, headers)["id"]
    response = client.get(f"{API}/{wid}/versions/{hostile}", headers=headers)
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("org", ["../../../tmp/evil", "a/b", "/abs", "Acme", "x" * 128, "ünïcödé", "..", "."])
def test_hostile_tenant_ids_stay_inside_the_repos_folder(
    client: TestClient, container: Container, auth, org: str
) -> None:
    created = create_workflow_via_api(client, auth("workflows:edit", org=org))
    repos = (container.settings.data_dir / "repos").resolve()
    path = container.store.path_for(org, uuid.UUID(created["id"])).resolve()
    assert path.is_dir()
    assert path.is_relative_to(repos)
    assert path.parent.parent == repos  # exactly <repos>/<tenant-folder>/<id>.git


@pytest.mark.parametrize(
    "claim", [{"org": "a\x00b"}, {"org": "line\nbreak"}, {"user": "eve\r\n"}, {"org": ""}]
)
def test_control_characters_in_identity_claims_are_401(
    client: TestClient, auth, claim: dict[str, str]
) -> None:
    assert_problem(client.get(API, headers=auth("workflows:read", **claim)), 401, "unauthorized")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"name":"x","definition":' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400),
        (b'{"name":"x","definition":{"a":' * 20_000 + b"1" + b"}" * 40_000, 400),
        (b'{"name": "x", "definition": NaN}', 400),
        (b"\xff\xfe not utf-8", 400),
        (b"", 422),
    ],
)
def test_pathological_json_is_a_clean_problem(client: TestClient, auth, body: bytes, status: int) -> None:
    headers = auth("workflows:edit") | {"content-type": "application/json"}
    response = client.post(API, content=body, headers=headers)
    assert response.status_code in (status, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


def _definition_with(**change: object) -> dict[str, object]:
    document = example("welcome-small")
    document["actions"][0]["config"] = change
    return document


@pytest.mark.parametrize(
    ("definition", "needle"),
    [
        (
            _definition_with(deep=json.loads('{"a":' * (MAX_DEPTH + 2) + "1" + "}" * (MAX_DEPTH + 2))),
            "nested",
        ),
        (_definition_with(text="x" * (MAX_STRING + 1)), "longer than"),
        (_definition_with(**{f"k{i}": i for i in range(300)}), "more than"),
        (
            example("welcome-small")
            | {"actions": [{"id": f"a{i}", "type": "end", "next": None} for i in range(MAX_ACTIONS + 1)]},
            "at most",
        ),
    ],
)
def test_oversized_definitions_are_422_with_a_reason(
    client: TestClient, auth, definition, needle: str
) -> None:
    response = client.post(
        API, json={"name": "big", "definition": definition}, headers=auth("workflows:edit")
    )
    problem = assert_problem(response, 422)
    assert needle in problem["detail"] or any(needle in e["message"] for e in problem["errors"])
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=100000", "limit=abc", "cursor=%00%00", "cursor=" + "A" * 5000, "status=deleted"],
)
def test_bad_list_parameters_are_problems(client: TestClient, auth, query: str) -> None:
    headers = auth("workflows:read")
    wid = create_workflow_via_api(client, auth("workflows:edit"))["id"]
    response = client.get(f"{API}/{wid}/versions?{query}", headers=headers)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_forged_trailers_in_a_commit_message_do_not_fool_the_rebuild(
    client: TestClient, container: Container, auth
) -> None:
    headers = auth("workflows:admin")
    wid = create_workflow_via_api(client, headers)["id"]
    forged = (
        "Looks innocent\n\nWorkflow-Version: 999\n"
        "Version-Id: 00000000-0000-0000-0000-000000000000\nLock-Version: 77"
    )
    response = client.post(f"{API}/{wid}/versions", json={"message": forged}, headers=headers)
    assert response.status_code == 201
    before = client.get(f"{API}/{wid}/versions", headers=headers).json()
    summary = reindex_all(container)
    assert summary.errors == []
    assert summary.versions_changed == 0
    assert client.get(f"{API}/{wid}/versions", headers=headers).json() == before
    assert [v["version_number"] for v in before["items"]] == [2, 1]
