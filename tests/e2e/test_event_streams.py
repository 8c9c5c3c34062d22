"""Server-sent event streams of a real ``wfv serve``, on SQLite and PostgreSQL (as
``wfv_app``): a stream ends when its token does, with a last ``end`` event saying why,
and a user holds at most ``WFV_STREAM_MAX_PER_USER`` streams open; closing one frees its
slot. A gradual migration waiting an hour for its next step keeps its stream open."""

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import httpx
import pytest

from service.auth import issue_token
from tests.conftest import JWT_SECRET, app_role_url, truncate_tables
from tests.e2e.conftest import GitServer, _serve
from tests.factories import assert_problem, create_workflow_via_api, example, post_publish, post_version

pytestmark = pytest.mark.e2e
CAP = 2


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitServer]:
    database: dict[str, str] = {}
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_tables(url)
        database = {"WFV_DATABASE_URL": app_role_url(url), "WFV_MIGRATION_DATABASE_URL": url}
    tmp = tmp_path_factory.mktemp(f"streams-{request.param}")
    yield from _serve(request.param, tmp, database, WFV_STREAM_MAX_PER_USER=str(CAP))


def _token(user: str = "alice", org: str = "acme", seconds: float = 3600) -> str:
    return issue_token(
        secret=JWT_SECRET, user=user, org=org, permissions=["workflows:admin"], ttl=timedelta(seconds=seconds)
    )


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _events_path(server: GitServer, org: str = "acme") -> str:
    """A gradual migration that waits an hour between steps, and the path of its event stream."""
    admin = _auth(_token(org=org))
    with httpx.Client(base_url=server.base, timeout=30) as client:
        wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
        post_publish(client, admin, wid, 1)
        contacts = {"contact_ids": [f"c-{i}" for i in range(20)]}
        assert client.post(f"/api/v1/workflows/{wid}/executions", json=contacts, headers=admin).is_success
        post_version(client, admin, wid, definition=example("welcome-small-b"))
        post_publish(client, admin, wid, 2)
        started = client.post(
            f"/api/v1/workflows/{wid}/versions/2/migrate",
            json={"from_versions": [1], "strategy": "gradual", "step_percent": 10, "interval_seconds": 3600},
            headers=admin,
        )
        assert started.status_code == 202, started.text
        return f"/api/v1/workflows/{wid}/migrations/{started.json()['id']}/events"


def _events(text: str) -> list[tuple[str, object]]:
    found = []
    for block in filter(None, text.split("\n\n")):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_a_stream_ends_when_its_token_expires_with_a_last_event_saying_why(server: GitServer) -> None:
    path = _events_path(server)
    ttl = 3
    token = _token(user="short-lived", seconds=ttl)
    expires = time.time() + ttl
    text = ""
    with httpx.Client(base_url=server.base, timeout=httpx.Timeout(30, read=15)) as client:
        with client.stream("GET", path, headers=_auth(token)) as stream:
            assert stream.status_code == 200
            for chunk in stream.iter_text():
                text += chunk
                if time.time() > expires + 10:
                    break  # a stream that outlives its token would go on for an hour
    ended = time.time()
    events = _events(text)
    assert events[0][0] == "progress"
    assert events[-1] == ("end", {"reason": "token-expired"})
    assert int(expires) - 0.5 <= ended < expires + 3  # at exp (whole seconds), not a poll later


def test_a_user_holds_at_most_the_cap_of_streams_and_closing_one_frees_it(server: GitServer) -> None:
    path = _events_path(server)
    other_path = _events_path(server, org="globex")
    with httpx.Client(base_url=server.base, timeout=30) as client, ExitStack() as streams:
        missing = path.rsplit("/", 2)[0] + f"/{uuid.uuid4()}/events"
        for _ in range(CAP + 1):  # a stream that never opened holds no slot
            assert_problem(client.get(missing, headers=_auth(_token(user="bob"))), 404)
        opened = [
            streams.enter_context(client.stream("GET", path, headers=_auth(_token(user="bob"))))
            for _ in range(CAP)
        ]
        assert [s.status_code for s in opened] == [200] * CAP
        with client.stream("GET", path, headers=_auth(_token(user="bob"))) as refused:
            assert refused.status_code == 429  # (checked before reading: a stream never ends)
            refused.read()
        body = assert_problem(refused, 429, "too-many-streams")
        assert body["limit"] == CAP
        # Another user, and the same name in another tenant, have slots of their own.
        with client.stream("GET", path, headers=_auth(_token(user="carol"))) as carol:
            assert carol.status_code == 200
        with client.stream("GET", other_path, headers=_auth(_token(user="bob", org="globex"))) as elsewhere:
            assert elsewhere.status_code == 200
        opened[0].close()
        deadline = time.monotonic() + 10
        while True:  # the server frees the slot once it sees the connection close
            with client.stream("GET", path, headers=_auth(_token(user="bob"))) as again:
                if again.status_code == 200:
                    break
                assert again.status_code == 429
            assert time.monotonic() < deadline, "closing a stream never gave its slot back"
            time.sleep(0.2)
