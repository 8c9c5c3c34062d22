"""Forged pagination cursors: whatever a cursor holds, a list answers 400 (never a 500 from
an integer the database cannot bind, or a parser that was handed the wrong type)."""

import base64
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from indexer.pagination import (
    InvalidCursor,
    cursor_int,
    cursor_time,
    cursor_uuid,
    decode_cursor,
    encode_cursor,
)
from tests.factories import assert_problem, create_workflow_via_api

API = "/api/v1/workflows"
SOME_ID = "00000000-0000-0000-0000-000000000001"


def forged(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


ONE_INTEGER = [
    forged(2**64),
    forged(10**30),
    forged(-(2**70)),
    forged(-1),
    forged(True),
    forged("7"),
    forged(1.5),
    forged([1]),
    forged(None),
]
ONE_UUID = [forged(123), forged(2**64), forged(None), forged(["x"]), forged("not-a-uuid"), forged("\u0000")]
TIME_AND_UUID = [
    forged(2**64, SOME_ID),
    forged("2026-01-01T00:00:00+00:00", 2**64),
    forged(12, 34),
    forged("2026-01-01\u0000", SOME_ID),
    forged({"a": 1}, SOME_ID),
]


@pytest.mark.parametrize(
    ("suffix", "cursors"),
    [("versions", ONE_INTEGER), ("audit", ONE_INTEGER), ("executions", ONE_UUID), ("", TIME_AND_UUID)],
)
def test_forged_cursors_are_400(client: TestClient, auth, suffix: str, cursors: list[str]) -> None:
    headers = auth("workflows:admin")
    wid = create_workflow_via_api(client, headers)["id"]
    url = f"{API}/{wid}/{suffix}" if suffix else API
    for cursor in cursors:
        problem = assert_problem(
            client.get(url, params={"cursor": cursor}, headers=headers), 400, "invalid-cursor"
        )
        assert problem["field"] == "cursor"


def test_issued_cursors_still_page(client: TestClient, auth) -> None:
    headers = auth("workflows:admin")
    for n in range(3):
        create_workflow_via_api(client, headers, name=f"w{n}")
    first = client.get(API, params={"limit": 2}, headers=headers).json()
    rest = client.get(API, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers).json()
    names = [w["name"] for w in first["items"] + rest["items"]]
    assert sorted(names) == ["w0", "w1", "w2"]  # every one once, across the two pages


def test_parsers_round_trip_what_the_service_issues() -> None:
    when, ident = "2026-12-02T12:00:00.123456+00:00", uuid.uuid4()
    assert decode_cursor(encode_cursor(when, str(ident), 42), cursor_time, cursor_uuid, cursor_int)[1:] == [
        ident,
        42,
    ]
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor(2**63), cursor_int)


@pytest.mark.parametrize("key", [(0, 0), (1834, 209), (2**63 - 1, 7), (-1, 3), (42,), (True, 1), (1, "a")])
def test_a_cursor_of_integers_is_the_json_of_its_key(key: tuple[Any, ...]) -> None:
    # Integers skip json.dumps (the change feed writes one cursor a change): same bytes.
    as_json = json.dumps(list(key), separators=(",", ":")).encode()
    assert encode_cursor(*key) == base64.urlsafe_b64encode(as_json).decode().rstrip("=")
