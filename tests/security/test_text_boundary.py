"""One boundary rule for text: NUL, lone surrogates and control characters in any string
of a body, a query or path parameter or a header are a 422 problem naming the field,
on both databases, and nothing is written. (On PostgreSQL these bytes used to be 500s.)"""

import importlib
import json
import pkgutil
from typing import Any, get_args

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import service.api.routes
from schemas.text import RequestBody
from service.api.problems import problem_response
from tests.factories import assert_problem, create_workflow_via_api, example

API = "/api/v1/workflows"

# Each is refused wherever text is accepted: NUL (PostgreSQL refuses it in text and
# jsonb), a lone surrogate (not encodable as UTF-8), C0 and C1 controls.
HOSTILE = ["a\x00b", "a\ud800b", "a\x1bb", "a\x85b", "a\x7fb"]


def _send(client: TestClient, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    """JSON with ASCII escapes, so a lone surrogate travels as ``\\ud800`` as a browser sends it."""
    content = json.dumps(body).encode("ascii")
    return client.request(
        method, url, content=content, headers=headers | {"content-type": "application/json"}
    )


def _refused(response: Any, field: str) -> dict[str, Any]:
    problem = assert_problem(response, 422, "invalid-request")
    assert problem["field"] == field, problem
    assert field in problem["detail"]
    return problem


def _with_config(text: str, *, key: str = "note") -> dict[str, Any]:
    document = example("welcome-small")
    document["actions"][0]["config"] = {key: text}
    return document


@pytest.mark.parametrize("text", HOSTILE)
def test_workflow_name_and_definition_strings_and_keys(client: TestClient, auth, text: str) -> None:
    headers = auth("workflows:edit")
    _refused(
        _send(client, "POST", API, {"name": text, "definition": example("welcome-small")}, headers),
        "body.name",
    )
    _refused(
        _send(client, "POST", API, {"name": "ok", "definition": _with_config(text)}, headers),
        "body.definition.actions.0.config.note",
    )
    _refused(
        _send(client, "POST", API, {"name": "ok", "definition": _with_config("x", key=text)}, headers),
        "body.definition.actions.0.config",
    )
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


def test_newlines_and_tabs_stay_allowed_in_prose(client: TestClient, auth) -> None:
    headers = auth("workflows:edit")
    created = create_workflow_via_api(client, headers, definition=_with_config("line one\n\tline two\r\n"))
    response = client.post(
        f"{API}/{created['id']}/versions", json={"message": "subject\n\nbody"}, headers=headers
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("text", ["\x00", "\ud800", "\x9b"])
def test_review_comment_version_message_and_legal_hold(client: TestClient, auth, text: str) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    versions = f"{API}/{wid}/versions"
    _refused(_send(client, "POST", versions, {"message": f"m{text}"}, admin), "body.message")
    review = client.post(f"{versions}/1/reviews", headers=admin).json()["id"]
    comments = f"{API}/{wid}/reviews/{review}/comments"
    _refused(_send(client, "POST", comments, {"body": f"hi{text}"}, admin), "body.body")
    _refused(_send(client, "POST", comments, {"body": "hi", "path": f"$.a{text}"}, admin), "body.path")
    _refused(_send(client, "POST", f"{versions}/1/legal-hold", {"reason": f"r{text}"}, admin), "body.reason")
    assert client.get(f"{API}/{wid}/reviews/{review}", headers=admin).json()["events"] == []
    assert client.get(f"{versions}/1", headers=admin).json()["legal_hold_reason"] is None
    assert [v["version_number"] for v in client.get(versions, headers=admin).json()["items"]] == [1]


@pytest.mark.parametrize("text", ["%00", "%C2%85", "%1B", "%7F"])
def test_query_parameters(client: TestClient, auth, text: str) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    client.post(f"{API}/{wid}/versions/1/legal-hold", json={"reason": "audit"}, headers=admin)
    _refused(client.get(f"{API}/{wid}/audit?action=x{text}", headers=admin), "query.action")
    _refused(client.get(f"{API}/{wid}/executions?action=x{text}", headers=admin), "query.action")
    _refused(
        client.delete(f"{API}/{wid}/versions/1/legal-hold?reason=r{text}", headers=admin), "query.reason"
    )
    assert client.get(f"{API}/{wid}/versions/1", headers=admin).json()["legal_hold_reason"] == "audit"


def test_path_parameters_and_headers(client: TestClient, auth) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    _refused(client.get(f"{API}/{wid}/versions/1%00", headers=admin), "path.version")
    _refused(client.get(f"{API}/{wid}/actions/a%1Bb/history", headers=admin), "path.action_id")
    version = f"{API}/{wid}/versions/1"
    update = {"definition": example("welcome-small")}
    _refused(client.patch(version, json=update, headers=admin | {"If-Match": '"1"\x01'}), "header.if-match")
    assert client.get(version, headers=admin).json()["lock_version"] == 1


@pytest.mark.parametrize("text", ["\x00", "\ud800", "\x85"])
def test_draft_saves_whole_and_patched(client: TestClient, auth, text: str) -> None:
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    draft = f"{API}/{wid}/versions/1/draft"
    _refused(
        _send(client, "POST", draft, {"revision": 0, "definition": _with_config(text)}, headers),
        "body.definition.actions.0.config.note",
    )
    _refused(
        _send(client, "POST", draft, {"revision": 0, "patch": {"name": text}}, headers), "body.patch.name"
    )
    _refused(
        _send(client, "POST", f"{draft}/commit", {"lock_version": 1, "message": text}, headers),
        "body.message",
    )
    assert_problem(client.get(draft, headers=headers), 404)


def test_a_conflicting_draft_save_with_a_lone_surrogate_is_a_422_not_a_reset(
    client: TestClient, auth
) -> None:
    """Two saves from revision 0 that change the same field: the second one's 409 used to
    echo its lone surrogate back, and that body could not be encoded (500)."""
    headers = auth("workflows:edit")
    wid = create_workflow_via_api(client, headers)["id"]
    draft = f"{API}/{wid}/versions/1/draft"
    first = client.post(draft, json={"revision": 0, "patch": {"name": "one"}}, headers=headers)
    assert first.status_code == 200, first.text
    second = _send(client, "POST", draft, {"revision": 0, "patch": {"name": "two\ud800"}}, headers)
    _refused(second, "body.patch.name")
    assert client.get(draft, headers=headers).json()["revision"] == first.json()["revision"]


def test_utf8_in_a_header_is_not_mistaken_for_c1_controls(client: TestClient, auth) -> None:
    """Starlette decodes headers as Latin-1: "€" arrives as "â\\x82¬", which is allowed."""
    headers = auth("workflows:read") | {"x-note": "caf\u00e9 \u20ac".encode()}
    assert client.get(API, headers=headers).status_code == 200


def test_every_request_body_is_checked_at_the_boundary() -> None:
    """Structural: a route added later with a plain BaseModel body would skip the rule."""
    routers = [
        router
        for info in pkgutil.iter_modules(service.api.routes.__path__)
        for router in vars(importlib.import_module(f"service.api.routes.{info.name}")).values()
        if isinstance(router, APIRouter)
    ]
    routes = [route for router in routers for route in router.routes if isinstance(route, APIRoute)]
    bodies = [route.body_field.field_info.annotation for route in routes if route.body_field is not None]
    assert len(bodies) >= 10
    for body in bodies:
        models = [arg for arg in get_args(body) if arg is not type(None)] or [body]
        assert all(issubclass(model, RequestBody) for model in models), body


def test_a_problem_that_echoes_a_lone_surrogate_still_encodes() -> None:
    response = problem_response(
        409, "Draft conflict", "draft-conflict", "both changed", mine={"name": "x\ud800"}
    )
    body = bytes(response.body)
    assert json.loads(body)["mine"]["name"] == "x\ud800"  # sent as the escape \\ud800
    assert body.decode("ascii")
