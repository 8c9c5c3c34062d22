"""The engine example (clients/examples/engine_loop.py, docs/engine-example.md) against a
real ``wfv serve`` on each database, through the generated Python client: it enrols
contacts, reports them along their own version's actions, learns of a newly published
version from wfv's signed webhook (a forged one changes nothing), and the API shows every
contact where the engine put it. Set-up goes through the
client too; what the API shows is read with plain HTTP, so a fault of the client cannot
hide one of the engine."""

import base64
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from standardwebhooks import Webhook
from wfv_client import AuthenticatedClient
from wfv_client.api.versions import create_version, publish_version
from wfv_client.api.workflows import create_workflow
from wfv_client.models import (
    VersionCreate,
    VersionDetail,
    WorkflowCreate,
    WorkflowCreated,
    WorkflowDefinition,
)

from clients.examples.engine_loop import ApiProblem, Engine, expect, receive_events
from tests.e2e.conftest import GitServer
from tests.factories import example

pytestmark = pytest.mark.e2e

Positions = dict[str, tuple[int, str | None, str]]


@pytest.fixture
def client(api_server: GitServer) -> Iterator[AuthenticatedClient]:
    token = api_server.token("workflows:edit", user="engine")
    with AuthenticatedClient(base_url=api_server.base, token=token, raise_on_unexpected_status=True) as made:
        yield made


def _workflow(client: AuthenticatedClient, name: str) -> UUID:
    body = WorkflowCreate(name=name, definition=WorkflowDefinition.from_dict(example("welcome-small")))
    return expect(create_workflow.sync(client=client, body=body), WorkflowCreated).id


def _publish(client: AuthenticatedClient, workflow_id: UUID, document: dict[str, Any] | None = None) -> int:
    number = 1
    if document is not None:
        body = VersionCreate(definition=WorkflowDefinition.from_dict(document))
        number = expect(
            create_version.sync(workflow_id, client=client, body=body), VersionDetail
        ).version_number
    published = expect(publish_version.sync(workflow_id, str(number), client=client), VersionDetail)
    assert published.is_current
    return number


def _positions(api: httpx.Client, workflow_id: UUID) -> Positions:
    """Where the API says each contact is: (version number, action, status)."""
    versions = api.get(f"/workflows/{workflow_id}/versions")
    executions = api.get(f"/workflows/{workflow_id}/executions", params={"limit": 1000})
    assert (versions.status_code, executions.status_code) == (200, 200), executions.text
    numbers = {item["id"]: item["version_number"] for item in versions.json()["items"]}
    return {
        item["contact_id"]: (numbers[item["version_id"]], item["current_action_id"], item["status"])
        for item in executions.json()["items"]
    }


def _registered(api: httpx.Client, url: str) -> str:
    """The engine's receiver registered for new current versions; its signing secret."""
    answer = api.post(
        "/admin/webhooks", json={"url": url, "event_types": ["version.published", "version.rolled_back"]}
    )
    assert answer.status_code == 201, answer.text
    secret: str = answer.json()["secret"]
    return secret


def _forged_headers() -> dict[str, str]:
    key = base64.b64encode(b"not the secret").decode()
    body = b'{"type": "version.published"}'
    signature = Webhook(f"whsec_{key}").sign("msg_forged", datetime.now(UTC), body.decode())
    return {
        "webhook-id": "msg_forged",
        "webhook-timestamp": str(int(time.time())),
        "webhook-signature": signature,
    }


def _wait_for_current(engine: Engine, number: int) -> None:
    deadline = time.monotonic() + 30
    while engine.current is None or engine.current.version_number != number:
        assert time.monotonic() < deadline, "the webhook never told the engine"
        time.sleep(0.05)


def test_the_engine_runs_contacts_through_their_versions(
    api_server: GitServer, client: AuthenticatedClient
) -> None:
    workflow_id = _workflow(client, "engine example")
    _publish(client, workflow_id)
    said: list[str] = []
    engine = Engine(client, workflow_id, arrivals=["c-1", "c-2"], log=said.append)
    api = api_server.api()
    with receive_events(engine) as url:
        engine.webhook_secret = _registered(api, url)
        _run(api, client, engine, workflow_id, said, url)


def _run(
    api: httpx.Client,
    client: AuthenticatedClient,
    engine: Engine,
    workflow_id: UUID,
    said: list[str],
    url: str,
) -> None:

    # Learns v1, enrols the arrivals at its first action, moves them on to the wait.
    assert engine.tick() == 2
    assert engine.current is not None
    assert engine.current.version_number == 1
    assert _positions(api, workflow_id) == {
        "c-1": (1, "wait-1d", "waiting"),
        "c-2": (1, "wait-1d", "waiting"),
    }

    # A forged event (not signed with the secret) is refused and changes nothing.
    forged = httpx.post(url, content=b'{"type": "version.published"}', headers=_forged_headers())
    assert forged.status_code == 400
    assert engine.current.version_number == 1

    # A new version: the webhook tells the engine once, new contacts start on it, the others stay.
    assert _publish(client, workflow_id, example("welcome-small-b")) == 2
    _wait_for_current(engine, 2)
    engine.arrivals.append("c-3")
    assert engine.tick() == 3
    assert engine.current.version_number == 2
    assert said.count("version 2 is published: new contacts start on it") == 1
    assert _positions(api, workflow_id) == {
        "c-1": (1, "opened?", "active"),
        "c-2": (1, "opened?", "active"),
        "c-3": (2, "wait-1d", "waiting"),
    }
    assert engine.watch_versions() is None

    # On to the end of each one's version; then nothing is left to move.
    moved = [engine.tick() for _ in range(4)]
    assert moved == [3, 3, 1, 0]
    assert _positions(api, workflow_id) == {
        "c-1": (1, "tips", "completed"),
        "c-2": (1, "tips", "completed"),
        "c-3": (2, "tips", "completed"),
    }
    summary = api.get(f"/workflows/{workflow_id}/executions/summary").json()
    assert summary["total"] == 3


def test_a_refusal_reaches_the_engine_as_its_problem(client: AuthenticatedClient) -> None:
    """No published version to enrol on: a 409 problem, parsed by the client, raised whole."""
    engine = Engine(client, _workflow(client, "not yet published"), log=lambda _said: None)
    assert engine.watch_versions() is None
    with pytest.raises(ApiProblem) as refused:
        engine.enrol(["c-1"])
    problem = refused.value.problem
    assert problem is not None
    assert (problem.status, problem.type_) == (409, "/problems/version-conflict")
    assert "no published version" in problem.detail
    assert isinstance(problem.request_id, str)
