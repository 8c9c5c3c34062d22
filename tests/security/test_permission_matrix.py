"""Every route x {no token, read, edit, admin, other tenant}, generated from the app's
route table: a new route without a permission check, or without a sample here, fails."""

import re
import uuid
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service.auth import Permission
from tests.factories import assert_problem, create_workflow_via_api, example, post_publish, post_version

LEVELS = [Permission.READ, Permission.EDIT, Permission.ADMIN]

# A body that passes validation for each writing route, so only auth and tenancy decide.
SAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/workflows"): {"name": "matrix", "definition": example("welcome-small")},
    ("POST", "/api/v1/workflows/{workflow_id}/versions"): {},
    ("PATCH", "/api/v1/workflows/{workflow_id}/versions/{version}"): {
        "definition": example("welcome-small-b"),
        "lock_version": 1,
    },
    ("DELETE", "/api/v1/workflows/{workflow_id}/versions/{version}"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/publish"): {},
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/rollback"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/draft"): {
        "definition": example("welcome-small-b"),
        "revision": 0,
    },
    ("DELETE", "/api/v1/workflows/{workflow_id}/versions/{version}/draft"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/draft/commit"): {"lock_version": 1},
    ("PATCH", "/api/v1/workflows/{workflow_id}"): {"name": "renamed"},
    # Refused (409) while the sample's contacts are in flight, so the routes after it still
    # find the workflow; tests/service/test_workflow_delete.py covers the delete itself.
    ("DELETE", "/api/v1/workflows/{workflow_id}"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/reviews"): {},
    ("POST", "/api/v1/workflows/{workflow_id}/reviews/{review_id}/comments"): {"body": "looks fine"},
    ("POST", "/api/v1/workflows/{workflow_id}/reviews/{review_id}/verdicts"): {"verdict": "request_changes"},
    ("POST", "/api/v1/workflows/{workflow_id}/executions"): {"contact_ids": ["c-1"]},
    ("POST", "/api/v1/workflows/{workflow_id}/executions/positions"): {
        "moves": [{"contact_id": "c-1", "action_id": "welcome", "status": "waiting"}]
    },
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/migrate"): {
        "from_versions": [1],
        "dry_run": True,
    },
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/rollout"): {
        "steps": [{"percent": 10, "seconds": 60}, {"percent": 100, "seconds": 60}]
    },
    ("POST", "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/revert"): {"dry_run": True},
    ("POST", "/api/v1/workflows/{workflow_id}/pins"): {"contact_ids": ["c-1"]},
    ("POST", "/api/v1/workflows/{workflow_id}/pins/delete"): {"contact_ids": ["c-1"]},
    ("POST", "/api/v1/workflows/{workflow_id}/rollout/pause"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/rollout/resume"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/rollout/promote"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/rollout/abort"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/cancel"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/pause"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/resume"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/unarchive"): None,
    ("POST", "/api/v1/workflows/{workflow_id}/versions/{version}/legal-hold"): {"reason": "matrix"},
    ("DELETE", "/api/v1/workflows/{workflow_id}/versions/{version}/legal-hold"): None,
    ("POST", "/api/v1/admin/workflows/archive-versions"): {"dry_run": True},
    # A public address, never contacted: no route of the matrix causes a failed migration.
    ("POST", "/api/v1/admin/webhooks"): {"url": "https://1.1.1.1/in", "event_types": ["migration.failed"]},
    ("DELETE", "/api/v1/admin/webhooks/{webhook_id}"): None,
    ("POST", "/api/v1/admin/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"): None,
}
SAMPLE_QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/api/v1/workflows/{workflow_id}/versions/compare"): {"from": "1", "to": "2"},
    ("GET", "/api/v1/workflows/{workflow_id}/contacts/{contact_id}/as-of"): {"at": "2030-01-01T00:00:00Z"},
    ("GET", "/api/v1/workflows/{workflow_id}/versions/{version}/impact"): {"from": "1"},
}
READ_METHODS = {"GET", "HEAD"}
# Tenant-wide operator views (archival runs, candidates): reading them is an admin's job.
ADMIN_PREFIX = "/api/v1/admin/"


def _required(route: APIRoute) -> Permission | None:
    """The permission a route's dependencies check (``require_read`` / ``_edit`` / ``_admin``)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        name = getattr(dependency.call, "__name__", "")
        match = re.fullmatch(r"require_(read|edit|admin)", name)
        if match:
            return Permission(f"workflows:{match.group(1)}")
        stack.extend(dependency.dependencies)
    return None


def _flatten(routes: list[Any]) -> list[APIRoute]:
    """APIRoutes, also inside included routers (FastAPI keeps those nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_flatten(route.original_router.routes))
    return found


def _api_routes(client: TestClient) -> list[tuple[str, APIRoute]]:
    routes = [r for r in _flatten(client.app.routes) if r.path.startswith("/api/")]  # type: ignore[attr-defined]
    pairs = [(method, route) for route in routes for method in sorted(route.methods or ())]
    # The OpenAPI document is the public route table: both views must agree, so this
    # walk can never silently find fewer routes than the app serves.
    documented = {
        (method.upper(), path)
        for path, operations in client.get("/openapi.json").json()["paths"].items()
        if path.startswith("/api/")
        for method in operations
    }
    assert {(m, r.path) for m, r in pairs} == documented
    return pairs


def _call(
    client: TestClient, method: str, route: APIRoute, ids: dict[str, str], headers: dict[str, str]
) -> Any:
    path = route.path
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"give the matrix a value for {path}"
    body = SAMPLE_BODIES.get((method, route.path))
    return client.request(
        method, path, headers=headers, json=body, params=SAMPLE_QUERIES.get((method, route.path))
    )


@pytest.fixture
def ids(client: TestClient, auth) -> dict[str, str]:
    """A workflow with v1 published (a contact on it) and v2 a draft under review."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin)
    post_publish(client, admin, created["id"], 1)
    post_version(client, admin, created["id"])
    review = client.post(f"/api/v1/workflows/{created['id']}/versions/2/reviews", headers=admin)
    assert review.status_code == 201, review.text
    enrolled = client.post(
        f"/api/v1/workflows/{created['id']}/executions", json={"contact_ids": ["c-0"]}, headers=admin
    )
    assert enrolled.status_code < 300, enrolled.text  # in flight: the workflow's delete is refused
    run = client.post("/api/v1/admin/workflows/archive-versions", json={}, headers=admin)
    assert run.status_code == 200, run.text  # archives nothing: its report lists what was kept
    hook = client.post(
        "/api/v1/admin/webhooks", json=SAMPLE_BODIES[("POST", "/api/v1/admin/webhooks")], headers=admin
    )
    assert hook.status_code == 201, hook.text
    return {
        "run_id": run.json()["id"],
        "workflow_id": str(created["id"]),
        "version": "2",
        "review_id": review.json()["id"],
        "migration_id": str(uuid.uuid4()),
        "action_id": "welcome",
        "webhook_id": hook.json()["id"],
        "delivery_id": str(uuid.uuid4()),
        "execution_id": str(uuid.uuid4()),
        "contact_id": "c-0",
    }


def test_every_api_route_checks_a_permission(client: TestClient) -> None:
    assert len(_api_routes(client)) >= 10
    unchecked = [f"{m} {r.path}" for m, r in _api_routes(client) if _required(r) is None]
    assert unchecked == []
    writes = [(m, r.path) for m, r in _api_routes(client) if m not in READ_METHODS]
    assert [w for w in writes if w not in SAMPLE_BODIES] == [], "add a sample body for the new route"
    for method, route in _api_routes(client):
        if route.path.startswith(ADMIN_PREFIX):
            assert _required(route) == Permission.ADMIN, f"{method} {route.path} should need admin"
            continue
        expected = Permission.READ if method in READ_METHODS else None
        if expected is not None:
            assert _required(route) == expected, f"{method} {route.path} should only need read"


def test_permission_matrix(client: TestClient, auth, ids: dict[str, str]) -> None:
    workflow_id = ids["workflow_id"]
    for method, route in _api_routes(client):
        where = f"{method} {route.path}"
        required = _required(route)
        assert required is not None
        assert_problem(_call(client, method, route, ids, {}), 401, "unauthorized")
        for level in LEVELS:
            response = _call(client, method, route, ids, auth(level.value))
            if LEVELS.index(level) < LEVELS.index(required):
                assert_problem(response, 403, "forbidden")
            else:
                assert response.status_code not in (401, 403), f"{where} as {level}: {response.text}"
        stranger = _call(client, method, route, ids, auth("workflows:admin", org="globex"))
        if any(f"{{{name}}}" in route.path for name in ("workflow_id", "run_id", "webhook_id")):
            assert_problem(stranger, 404)
        else:
            assert stranger.status_code < 400, f"{where} for another tenant: {stranger.text}"
            assert workflow_id not in stranger.text
    # Every route ran against a workflow still there (its delete refused: a contact in flight).
    assert client.get(f"/api/v1/workflows/{workflow_id}", headers=auth("workflows:read")).status_code == 200


def test_audit_has_no_writing_route(client: TestClient) -> None:
    audit = [(m, r.path) for m, r in _api_routes(client) if "/audit" in r.path]
    assert audit
    assert {m for m, _ in audit} == {"GET"}
