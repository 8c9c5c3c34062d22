"""Schemathesis against the app's own OpenAPI document (bounded), on both databases
(PostgreSQL as ``wfv_app``): no input produces a 500, and every error is an RFC 9457
problem. Then each generated request again with one string poisoned (a body value or key,
a query or path parameter, a header) by the bytes that used to reach PostgreSQL: NUL, a
lone surrogate, C0 and C1 controls, bidi overrides, line separators."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from indexer.revisions import upgrade
from service.api.app import create_app
from service.auth import issue_token
from service.container import build_container
from service.settings import Settings
from tests.conftest import JWT_SECRET, app_role_url, truncate_tables
from tests.factories import example

TOKEN_HEADERS: dict[str, str] = {}
REAL: dict[str, str] = {}
CALLS: list[int] = []
CLIENT: list[TestClient] = []
HOSTILE = [
    "\x00",
    "\ud800",
    "\udfff",
    "\x1b[2J",
    "\x85",
    "\x9b",
    "\u202e",
    "\u2066",
    "\u2028",
    "\r\n",
    "\x7f",
]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzz_schema(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data: Path = tmp_path_factory.mktemp("fuzz")
    owner = f"sqlite:///{data / 'index.db'}"
    if request.param == "postgres":
        owner = request.getfixturevalue("postgres_url")
        truncate_tables(owner)
    settings_ = Settings(
        data_dir=data,
        database_url=owner if request.param == "sqlite" else app_role_url(owner),
        migration_database_url=owner,
        jwt_secret=JWT_SECRET,
        queue="memory",
        changes_max_wait_seconds=0.1,  # a fuzzed long-poll answers at once, not in 30 s
        _env_file=None,
    )
    container = build_container(settings_)
    if request.param == "sqlite":
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
        CLIENT[:] = [client]
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


def _places(case: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """Every string a request carries that a hostile byte could go into."""
    places: list[tuple[str, tuple[Any, ...]]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), case.body)] if isinstance(case.body, dict | list) else []
    while stack:
        where, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(key, str):
                places.append(("key", (*where, key)))
            if isinstance(value, str):
                places.append(("body", (*where, key)))
            stack.append(((*where, key), value))
    places += [("query", (name,)) for name, value in (case.query or {}).items() if isinstance(value, str)]
    places += [("path", (name,)) for name in (case.path_parameters or {})]
    return [*places, ("header", ("x-hostile",)), ("header", ("if-match",)), ("header", ("x-request-id",))]


def _poison(case: Any, place: tuple[str, tuple[Any, ...]], bad: str) -> tuple[str, dict[str, Any], Any]:
    """(url, query, body) of ``case`` with ``bad`` put into one place."""
    kind, where = place
    sent = isinstance(case.body, dict | list | str | int | float | bool)
    body: Any = json.loads(json.dumps(case.body)) if sent else None
    query = dict(case.query or {})
    paths = {k: str(v) for k, v in (case.path_parameters or {}).items()}
    if kind in ("body", "key"):
        node = body
        for part in where[:-1]:
            node = node[part]
        if kind == "body":
            node[where[-1]] = f"{node[where[-1]]}{bad}"
        else:
            node[f"{where[-1]}{bad}"] = node.pop(where[-1])
    elif kind == "query":
        query[where[0]] = f"{query[where[0]]}{bad}"
    elif kind == "path":
        paths[where[0]] = f"{paths[where[0]]}{bad}"
    quoted = {k: quote(v, safe="", errors="surrogatepass") for k, v in paths.items()}
    return case.path.format(**quoted), query, body


def _hostile_call(case: Any, place: tuple[str, tuple[Any, ...]], bad: str) -> None:
    url, query, body = _poison(case, place, bad)
    headers = [(k.lower().encode(), v.encode()) for k, v in TOKEN_HEADERS.items()]
    if place[0] == "header":
        headers.append((place[1][0].encode(), f"x{bad}".encode("utf-8", "surrogatepass")))
    pairs = {k: json.dumps(v) if isinstance(v, bool) else v for k, v in query.items() if v is not None}
    if pairs:
        url += "?" + urlencode(pairs, doseq=True, errors="surrogatepass", quote_via=quote)
    content = None if body is None else json.dumps(body).encode("ascii")  # \ud800 travels escaped
    if content is not None:
        headers.append((b"content-type", b"application/json"))
    CALLS.append(1)
    response = CLIENT[0].request(case.method, url, content=content, headers=headers)
    label = f"{case.method} {url} {place} {bad!r}"
    assert response.status_code < 500, f"{label}: {response.text[:300]}"
    response.content.decode("utf-8")  # every answer encodes
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), label


def test_hostile_bytes_in_any_string_never_break_the_api(fuzz_schema: Any) -> None:
    """Positive cases, each aimed at the real workflow, with one string poisoned."""
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    CALLS.clear()
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE), data=st.data())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any, data: st.DataObject) -> None:
            if isinstance(case.path_parameters, dict) and "workflow_id" in case.path_parameters:
                case.path_parameters["workflow_id"] = REAL["workflow_id"]
                if "version" in case.path_parameters:
                    case.path_parameters["version"] = "1"
            place = data.draw(st.sampled_from(_places(case)))
            _hostile_call(case, place, data.draw(st.sampled_from(HOSTILE)))

        run()
    assert len(CALLS) >= 10 * len(operations)
