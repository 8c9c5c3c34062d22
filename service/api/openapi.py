"""The OpenAPI document as generated clients read it (``clients/``, ``scripts/clients``).

What FastAPI does by default makes poor clients in four places, which this module changes:

- **operation ids**: FastAPI makes them unique by gluing the path and method to the
  function's name (``publish_version_api_v1_workflows__workflow_id__versions__version__publish_post``),
  which generators turn into function names. The route function's name alone
  (``publish_version``) is what a caller reads; ids never take part in routing, so renaming
  them moves no route. Names must then be unique across the app: building the document
  refuses a duplicate, naming both routes (:func:`check_operation_ids`).
- **the token**: routes read ``Authorization`` as a header, which FastAPI lists as a
  parameter of every operation; it is declared as the ``bearer`` security scheme.
- **optional bodies**: declared as the model alone, not "the model or null" (see
  :func:`_optional_body`).
- **errors**: FastAPI declares a ``422`` with its own validation model, but every error of
  this service is an RFC 9457 problem (``service/api/problems.py``), whatever the status.
  Each operation declares instead a ``default`` answer of ``application/problem+json``
  (:class:`ProblemDocument`), so a client parses any error into one typed object.
"""

import json
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

from service.api.problems import PROBLEM_JSON

PROBLEM_SCHEMA = "Problem"
BEARER = "bearer"
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "A JSON Web Token (docs/api.md#tokens-and-permissions); /metrics: WFV_METRICS_TOKEN",
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class FieldError(BaseModel):
    """One refused field of a request: where (``body.definition.actions.0.id``) and why."""

    model_config = ConfigDict(extra="allow")

    field: str
    message: str


class ProblemDocument(BaseModel):
    """An error, as RFC 9457 describes it: ``type`` (``/problems/<slug>``), ``title``,
    ``status`` and ``detail`` always; ``request_id`` to quote to whoever reads the logs;
    ``field`` and ``errors`` where a field is at fault; some problems add their own members
    (``line`` and ``column``, ``problems``, ``checks``...)."""

    model_config = ConfigDict(extra="allow", title=PROBLEM_SCHEMA)

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    field: str | None = None
    errors: list[FieldError] | None = None


def operation_id(route: APIRoute) -> str:
    """The route function's name: ``publish_version``, ``enroll``, ``list_migrations``."""
    return route.name


def for_clients(document: dict[str, Any]) -> dict[str, Any]:
    """The document FastAPI made, as the module's docstring says (in place, and returned);
    a ValueError if two operations share an id."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    problem = ProblemDocument.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas[PROBLEM_SCHEMA] = problem
    components["securitySchemes"] = {BEARER: BEARER_SCHEME}
    for operations in document.get("paths", {}).values():
        for method in METHODS:
            if method in operations:
                _declare_problems(operations[method])
                _declare_bearer(operations[method])
                _optional_body(operations[method])
    if "HTTPValidationError" not in json.dumps(document.get("paths", {})):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    check_operation_ids(document)
    return document


def _declare_problems(operation: dict[str, Any]) -> None:
    """A ``default`` answer, an RFC 9457 problem, replaces FastAPI's ``422`` (and its
    validation models, which no answer of this service has)."""
    responses = operation.setdefault("responses", {})
    declared = responses.get("422", {}).get("content", {}).get("application/json", {})
    if declared.get("schema") == {"$ref": "#/components/schemas/HTTPValidationError"}:
        del responses["422"]
    responses["default"] = {
        "description": "An error, as an RFC 9457 problem document",
        "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
    }


def _declare_bearer(operation: dict[str, Any]) -> None:
    """The routes read ``Authorization`` as a plain header (to word its problems
    themselves); OpenAPI ignores a header parameter of that name, and generators would
    make it an argument of every call. It is declared as the bearer scheme instead."""
    parameters = operation.get("parameters", [])
    kept = [p for p in parameters if not (p.get("in") == "header" and p.get("name") == "authorization")]
    if len(kept) == len(parameters):
        return
    if kept:
        operation["parameters"] = kept
    else:
        del operation["parameters"]
    operation["security"] = [{BEARER: []}]


def _optional_body(operation: dict[str, Any]) -> None:
    """A body a route may go without (``body: VersionPublish | None = None``) is declared by
    FastAPI as not required *and* ``anyOf: [model, null]``; openapi-python-client 0.29 then
    sends its "unset" marker as the JSON when the caller gives none. Not required says it
    already: the schema is the model alone."""
    body = operation.get("requestBody")
    if body is None or body.get("required"):
        return
    for media in body.get("content", {}).values():
        choices = media.get("schema", {}).get("anyOf", [])
        kept = [choice for choice in choices if choice != {"type": "null"}]
        if len(choices) == 2 and len(kept) == 1:
            media["schema"] = kept[0]


def check_operation_ids(document: dict[str, Any]) -> None:
    """Fail on two operations with one id: a client would have one function for both."""
    seen: dict[str, str] = {}
    for path, operations in document.get("paths", {}).items():
        for method in METHODS:
            if method not in operations:
                continue
            name = operations[method].get("operationId")
            where = f"{method.upper()} {path}"
            if name in seen:
                raise ValueError(
                    f"operationId {name!r} names both {seen[name]} and {where}: rename one route "
                    "function (its name is its operationId, service/api/openapi.py)"
                )
            seen[name] = where
