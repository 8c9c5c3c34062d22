"""The OpenAPI document as the generated clients read it (service/api/openapi.py): operation
ids that are the route functions' names, one problem answer for every error, the bearer
token as a security scheme, optional bodies as their model; and the problems the API really
sends fit the schema the clients parse them with."""

from collections.abc import Sequence
from typing import Any

import jsonschema
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service.api.openapi import METHODS, check_operation_ids
from service.api.openapi_document import document
from tests.factories import assert_problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operations[method])
        for path, operations in spec["paths"].items()
        for method in METHODS
        if method in operations
    ]


def _routes(routes: Sequence[Any]) -> list[APIRoute]:
    """The app's routes, those of included routers too."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_routes(route.original_router.routes))
    return found


def test_operation_ids_are_the_route_functions_names(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    routes = [route for route in _routes(client.app.routes) if route.include_in_schema]  # type: ignore[attr-defined]
    assert len(routes) >= 40
    for route in routes:
        for method in route.methods or ():
            assert served["paths"][route.path][method.lower()]["operationId"] == route.name
    ids = [operation["operationId"] for _method, _path, operation in _operations(served)]
    assert len(ids) == len(set(ids))
    assert {"publish_version", "enroll", "report_positions", "get_workflow"} <= set(ids)


def test_the_generator_document_is_the_served_one(client: TestClient, spec: dict[str, Any]) -> None:
    """scripts/clients builds the app with default settings: the same document as any server."""
    assert client.get("/openapi.json").json() == spec


def test_a_duplicate_operation_id_is_refused_naming_both_routes() -> None:
    twice = {
        "paths": {
            "/a": {"get": {"operationId": "summary"}},
            "/b/{id}": {"post": {"operationId": "summary"}},
        }
    }
    with pytest.raises(ValueError, match=r"'summary' names both GET /a and POST /b/\{id\}: rename one"):
        check_operation_ids(twice)


def test_every_operation_answers_its_errors_as_problems(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        default = operation["responses"]["default"]
        assert default["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}, (method, path)
        assert "422" not in operation["responses"], (method, path)
    assert "HTTPValidationError" not in str(spec)
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["additionalProperties"] is True  # line and column, problems, checks...


def test_the_token_is_the_bearer_scheme_not_a_parameter(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for method, path, operation in _operations(spec):
        names = [(p["in"], p["name"].lower()) for p in operation.get("parameters", [])]
        assert ("header", "authorization") not in names, (method, path)
        if path.startswith("/api/"):
            assert operation["security"] == [{"bearer": []}], (method, path)
    assert "security" not in spec["paths"]["/healthz"]["get"]


def test_an_optional_body_is_its_model_alone(spec: dict[str, Any]) -> None:
    publish = spec["paths"]["/api/v1/workflows/{workflow_id}/versions/{version}/publish"]["post"]
    assert not publish["requestBody"].get("required")
    assert publish["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/VersionPublish"
    }
    assert '{"type": "null"}]' not in str(
        [operation.get("requestBody") for _method, _path, operation in _operations(spec)]
    )


def test_the_problems_the_api_sends_fit_the_declared_schema(
    client: TestClient, auth: Any, spec: dict[str, Any]
) -> None:
    schema = {"$ref": "#/components/schemas/Problem", "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(schema)
    admin = auth("workflows:admin")
    answers = [
        (client.get("/api/v1/workflows"), 401),
        (client.get("/api/v1/workflows/00000000-0000-0000-0000-000000000000", headers=admin), 404),
        (client.post("/api/v1/workflows", headers=admin, json={"name": ""}), 422),
        (
            client.post(
                "/api/v1/workflows", headers={**admin, "content-type": "application/json"}, content="{"
            ),
            400,
        ),
        (client.post("/api/v1/workflows", headers=admin, content="name=x"), 415),
        (client.get("/api/v1/workflows", headers=auth("nothing:here")), 403),
    ]
    for response, status in answers:
        problem = assert_problem(response, status)
        validator.validate(problem)
