"""Error texts a person understands (issue 17): JSON syntax errors with their line and
column, a hint when the body is not sent as JSON, patterns said in words rather than as
regular expressions, and no codec jargon for a token that is not one. Each refused request
changes nothing."""

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas.messages import PATTERN_WORDS
from tests.factories import API, assert_problem, create_workflow_via_api, example, post_publish, versions_url

JSON = {"Content-Type": "application/json"}
# What a regular expression shows that prose does not: anchors, classes, repetitions, escapes.
REGEX_SIGNS = re.compile(r"\^|\$|\[[^\]]*-[^\]]*\]|\{\d+(,\d*)?\}|\\[xdswu]")


def _nothing_created(client: TestClient, auth: Any) -> None:
    assert client.get(API, headers=auth("workflows:read")).json()["items"] == []


def _decoder_position(raw: str) -> tuple[int, int, str]:
    """Where the standard library's decoder stops on ``raw``: the oracle for the answer."""
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return exc.lineno, exc.colno, exc.msg
    raise AssertionError("the sample is valid JSON")


@pytest.mark.parametrize(
    "raw",
    [
        '{\n  "name": "x",\n  "definition": {"format": 1,}\n}',  # trailing comma, line 3
        '{"name": "x", "definition": {\n',  # cut off
        "{\n\t\"name\": 'x'\n}",  # single quotes after a tab
    ],
)
def test_malformed_json_says_line_and_column(client: TestClient, auth: Any, raw: str) -> None:
    line, column, what = _decoder_position(raw)
    response = client.post(API, content=raw.encode(), headers=auth("workflows:edit") | JSON)
    problem = assert_problem(response, 400, "malformed-json")
    assert problem["detail"].startswith(f"invalid JSON at line {line}, column {column}: ")
    assert problem["detail"].lower().endswith(what.lower())
    assert (problem["line"], problem["column"]) == (line, column)
    assert problem["errors"][0]["field"] == "body"
    _nothing_created(client, auth)


@pytest.mark.parametrize(
    ("content_type", "named"),
    [
        (None, "has no Content-Type"),
        ("text/plain", "text/plain"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),  # curl -d's
    ],
)
def test_a_body_not_sent_as_json_gets_a_hint_about_the_header(
    client: TestClient, auth: Any, content_type: str | None, named: str
) -> None:
    body = json.dumps({"name": "x", "definition": example("welcome-small")}).encode()
    headers = auth("workflows:edit") | ({"Content-Type": content_type} if content_type else {})
    problem = assert_problem(client.post(API, content=body, headers=headers), 415, "unsupported-media-type")
    assert "Content-Type: application/json" in problem["detail"]
    assert named in problem["detail"]
    assert "dictionary" not in problem["detail"]
    _nothing_created(client, auth)


def test_an_optional_body_not_sent_as_json_is_refused_too(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    response = client.post(
        versions_url(wid, 1, "publish"),
        content=b'{"message": "go"}',
        headers=admin | {"Content-Type": "text/plain"},
    )
    assert_problem(response, 415, "unsupported-media-type")
    assert client.get(versions_url(wid, 1), headers=admin).json()["status"] == "draft"


def test_a_body_that_cannot_be_read_says_why(client: TestClient, auth: Any) -> None:
    headers = auth("workflows:edit") | JSON
    not_utf8 = client.post(API, content=b'{"name": "caf\xe9"}', headers=headers)
    assert "not UTF-8" in assert_problem(not_utf8, 400, "malformed-body")["detail"]
    deep = client.post(API, content=b'{"a":' * 100_000, headers=headers)
    assert "nested too deeply" in assert_problem(deep, 400, "malformed-body")["detail"]
    empty = client.post(API, content=b"", headers=headers)
    assert assert_problem(empty, 422, "invalid-request")["detail"] == "body: a JSON body is required"
    _nothing_created(client, auth)


def _messages(problem: dict[str, Any]) -> list[str]:
    return [problem["detail"], *(e["message"] for e in problem.get("errors", []))]


def _no_regex(problem: dict[str, Any]) -> None:
    for text in _messages(problem):
        assert REGEX_SIGNS.search(text) is None, text
        assert "pattern" not in text, text


def test_patterns_are_said_in_words(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    bad_id = example("welcome-small")
    bad_id["actions"][1]["id"] = "wait 1d"
    problem = assert_problem(client.post(API, json={"name": "x", "definition": bad_id}, headers=admin), 422)
    _no_regex(problem)
    assert problem["errors"][0]["message"] == (
        "in action 'wait 1d': should be 1 to 64 characters, each an ASCII letter, a digit or one of"
        " '_', '.', '?', '-'"
    )
    bad_type = example("welcome-small")
    bad_type["trigger"]["type"] = "Tag Added"
    problem = assert_problem(client.post(API, json={"name": "x", "definition": bad_type}, headers=admin), 422)
    _no_regex(problem)
    assert "lowercase" in problem["detail"]
    _nothing_created(client, auth)

    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    refused = [
        client.post(
            versions_url(wid, 1, "migrate"), json={"from_versions": [1], "unmapped": "to:a b"}, headers=admin
        ),
        client.post(
            versions_url(wid, 1, "migrate"),
            json={"from_versions": [1], "mapping": {"a b": "c"}},
            headers=admin,
        ),
        client.post(f"{API}/{wid}/executions", json={"contact_ids": ["c" * 256]}, headers=admin),
        client.get(f"{API}/{wid}/actions/a%20b/history", headers=admin),
    ]
    for response in refused:
        _no_regex(assert_problem(response, 422, "invalid-request"))
    assert "'fail', 'exit' or 'to:'" in refused[0].json()["detail"]
    assert "1 to 255 characters" in refused[2].json()["detail"]
    assert client.get(f"{API}/{wid}/migrations", headers=admin).json()["items"] == []
    assert client.get(f"{API}/{wid}/executions", headers=admin).json()["items"] == []


def _patterns(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("pattern"), str):
                found.add(item["pattern"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_every_pattern_of_the_api_has_words(client: TestClient) -> None:
    """A pattern added to a model or a parameter without words would show as "is not in
    the form this field allows": this names it instead."""
    patterns = _patterns(client.get("/openapi.json").json())
    assert patterns  # the walk finds them (action ids, types, contact ids...)
    assert patterns - PATTERN_WORDS.keys() == set()


def test_a_transition_refused_says_an_archived_version(client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    problem = assert_problem(client.post(versions_url(wid, 1, "unarchive"), headers=admin), 409)
    assert "only an archived version can be unarchived" in problem["detail"]
    assert client.get(versions_url(wid, 1), headers=admin).json()["status"] == "active"


@pytest.mark.parametrize("token", ["garbage", "not.a.token", "eyJhbGciOiJIUzI1NiJ9.e30.%%%"])
def test_a_token_that_is_not_a_jwt_is_named_so(client: TestClient, token: str) -> None:
    problem = assert_problem(
        client.get(API, headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized"
    )
    assert "not a well-formed JSON Web Token" in problem["detail"]
    assert "padding" not in problem["detail"].lower()
    assert "segments" not in problem["detail"].lower()
