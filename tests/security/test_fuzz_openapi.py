"""Schemathesis against the app's own OpenAPI document (bounded): no input produces a
500, and every error is an RFC 9457 problem."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from indexer.migrate import upgrade
from service.app import create_app
from service.auth import issue_token
from service.container import build_container
from service.settings import Settings
from tests.conftest import JWT_SECRET
from tests.factories import example

TOKEN_HEADERS: dict[str, str] = {}
REAL: dict[str, str] = {}
CALLS: list[int] = []


@pytest.fixture(scope="module")
def fuzz_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data: Path = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings(data_dir=data, jwt_secret=JWT_SECRET, queue="memory", _env_file=None)
    container = build_container(settings_)
    upgrade(container.engine)
    token = issue_token(secret=JWT_SECRET, user="fuzzer", org="acme", permissions=["workflows:admin"])
    TOKEN_HEADERS["Authorization"] = f"Bearer {token}"
    app = create_app(container=container)
    with TestClient(app) as client:
        created = client.post(
            "/api/v1/workflows",
            json={"name": "fuzz", "definition": example("welcome-small")},
            headers=TOKEN_HEADERS,
        )
        REAL["workflow_id"] = created.json()["id"]
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    container.close()


def _check(case: Any) -> None:
    """As generated, and again aimed at a real workflow so the handlers run, not only 404s."""
    _call(case)
    if isinstance(case.path_parameters, dict) and "workflow_id" in case.path_parameters:
        case.path_parameters["workflow_id"] = REAL["workflow_id"]
        if "version" in case.path_parameters:
            case.path_parameters["version"] = "1"
        _call(case)


def _call(case: Any) -> None:
    CALLS.append(1)
    response = case.call(headers=TOKEN_HEADERS)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
    if response.status_code >= 400:
        content_type = response.headers["content-type"]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), case.formatted_path
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"]


def test_no_input_breaks_the_api(fuzz_schema: Any) -> None:
    """Each operation, positive and negative cases, a bounded number of examples."""
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 10
    negative_runs = 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case: Any) -> None:
                _check(case)

            try:
                run()
            except Unsatisfiable:
                # Some operations admit no invalid input (nothing to break); positive must run.
                assert mode is GenerationMode.NEGATIVE, operation.label
                continue
            negative_runs += mode is GenerationMode.NEGATIVE
    assert negative_runs >= len(operations) // 2
    assert len(CALLS) >= 200
