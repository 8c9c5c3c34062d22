"""Migrations of contacts in flight, on both databases (queue in immediate mode here;
the real consumer paths are in tests/tasks): plans, policies, exactly-once moves, items,
conflicts, cancel, events, webhook."""

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from standardwebhooks import Webhook, WebhookVerificationError

from indexer.models import Execution, WebhookDelivery
from service.container import Container
from service.webhooks.signing import signed_headers
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    versions_url,
)

API = "/api/v1/workflows"


@pytest.fixture
def flow(client: TestClient, auth) -> dict[str, str]:
    """v1 = welcome-small (published, contacts enrolled), v2 = welcome-small-b (published)."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin, definition=example("welcome-small"))
    wid = created["id"]
    post_publish(client, admin, wid, 1)
    client.post(f"{API}/{wid}/executions", json={"contact_ids": [f"c-{i}" for i in range(30)]}, headers=admin)
    moves = [{"contact_id": f"c-{i}", "action_id": "reminder", "status": "waiting"} for i in range(10)]
    moves += [{"contact_id": f"c-{i}", "action_id": "wait-1d", "status": "waiting"} for i in range(10, 15)]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).status_code
        == 200
    )
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    return {"wid": wid}


def _migrate(client: TestClient, auth, wid: str, **body: Any) -> Any:
    return client.post(
        versions_url(wid, 2, "migrate"), json={"from_versions": [1], **body}, headers=auth("workflows:edit")
    )


def _positions(container: Container, wid: str) -> dict[tuple[int, str | None, str], int]:
    from indexer.models import WorkflowVersion

    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(
                WorkflowVersion.version_number, Execution.current_action_id, Execution.status, func.count()
            )
            .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
            .where(Execution.workflow_id == uuid.UUID(wid))
            .group_by(WorkflowVersion.version_number, Execution.current_action_id, Execution.status)
        )
        return {(n, a, s): c for n, a, s, c in rows}


def test_dry_run_plans_and_moves_nothing(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    before = _positions(container, flow["wid"])
    response = _migrate(client, auth, flow["wid"], dry_run=True)
    assert response.status_code == 200
    plan = response.json()
    assert plan["total"] == 30
    assert {(r["from_action"], r["to_action"], r["count"]) for r in plan["plan"]} == {
        ("welcome", "welcome", 15),
        ("wait-1d", "wait-1d", 5),
    }
    assert [(r["from_action"], r["outcome"], r["count"]) for r in plan["unmappable"]] == [
        ("reminder", "fail", 10)
    ]
    assert any("reminder" in w for w in plan["warnings"])
    assert _positions(container, flow["wid"]) == before
    with_rule = _migrate(client, auth, flow["wid"], dry_run=True, mapping={"reminder": "tips"}).json()
    assert ("reminder", "tips", 10) in {
        (r["from_action"], r["to_action"], r["count"]) for r in with_rule["plan"]
    }


def test_immediate_migration_moves_each_execution_once(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    response = _migrate(client, auth, flow["wid"], batch_size=100)
    assert response.status_code == 202
    migration = client.get(response.headers["Location"], headers=auth("workflows:read")).json()
    assert (
        migration["status"],
        migration["total"],
        migration["migrated"],
        migration["failed"],
        migration["skipped"],
    ) == (
        "completed",
        30,
        20,
        10,
        0,
    )
    assert migration["eta_seconds"] == 0.0
    assert _positions(container, flow["wid"]) == {
        (2, "welcome", "active"): 15,
        (2, "wait-1d", "waiting"): 5,
        (1, "reminder", "waiting"): 10,
    }
    items = client.get(
        f"{API}/{flow['wid']}/migrations/{migration['id']}/items", headers=auth("workflows:read")
    ).json()
    assert len(items["items"]) == 10
    assert {(i["outcome"], i["from_action_id"]) for i in items["items"]} == {("failed", "reminder")}
    moved = client.get(
        f"{API}/{flow['wid']}/executions",
        params={"migration": migration["id"], "limit": 100},
        headers=auth("workflows:read"),
    ).json()
    assert len(moved["items"]) == 20
    audit = [
        e["action"]
        for e in client.get(f"{API}/{flow['wid']}/audit", headers=auth("workflows:read")).json()["items"]
    ]
    assert audit[:2] == ["migration_complete", "migration_start"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"unmapped": "exit"},
            {(2, "welcome", "active"): 15, (2, "wait-1d", "waiting"): 5, (1, "reminder", "exited"): 10},
        ),
        (
            {"unmapped": "to:tips"},
            {(2, "welcome", "active"): 15, (2, "wait-1d", "waiting"): 5, (2, "tips", "waiting"): 10},
        ),
        (
            {"mapping": {"reminder": "welcome", "wait-1d": "tips"}},
            {(2, "welcome", "active"): 15, (2, "welcome", "waiting"): 10, (2, "tips", "waiting"): 5},
        ),
    ],
)
def test_unmapped_policies_and_explicit_mapping(
    client: TestClient,
    container: Container,
    auth,
    flow: dict[str, str],
    body: dict[str, Any],
    expected: dict[Any, int],
) -> None:
    assert _migrate(client, auth, flow["wid"], **body).status_code == 202
    assert _positions(container, flow["wid"]) == expected


def test_manual_migration_moves_only_the_listed_contacts(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    response = _migrate(
        client, auth, flow["wid"], strategy="manual", contact_ids=["c-20", "c-21", "c-0", "nobody"]
    )
    migration = response.json()
    assert migration["total"] == 4
    done = client.get(response.headers["Location"], headers=auth("workflows:read")).json()
    assert (done["status"], done["migrated"], done["failed"], done["skipped"]) == ("completed", 2, 1, 1)
    assert _positions(container, flow["wid"])[(2, "welcome", "active")] == 2


def test_a_manual_dry_run_counts_exactly_its_listed_executions(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    """Issue 18: the dry run planned every live execution of the source versions, not the
    ones a manual migration lists (here two at ``welcome``, one at ``reminder``, one unknown)."""
    with container.uow("acme") as uow:
        c20 = uow.session.scalars(select(Execution.id).where(Execution.contact_id == "c-20")).one()
    listed = {"execution_ids": [str(c20), str(uuid.uuid4())], "contact_ids": ["c-21", "c-0", "nobody"]}
    response = _migrate(client, auth, flow["wid"], strategy="manual", dry_run=True, **listed)
    assert response.status_code == 200
    plan = response.json()
    assert plan["total"] == 3
    assert [(r["from_action"], r["count"]) for r in plan["plan"]] == [("welcome", 2)]
    assert [(r["from_action"], r["count"]) for r in plan["unmappable"]] == [("reminder", 1)]


def test_bad_requests_change_nothing(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    before = _positions(container, wid)
    assert_problem(_migrate(client, auth, wid, mapping={"nope": "welcome"}), 422, "mapping-invalid")
    assert_problem(_migrate(client, auth, wid, mapping={"reminder": "nope"}), 422, "mapping-invalid")
    assert_problem(_migrate(client, auth, wid, unmapped="to:nope"), 422, "mapping-invalid")
    assert_problem(_migrate(client, auth, wid, unmapped="explode"), 422)
    assert_problem(_migrate(client, auth, wid, strategy="manual"), 422)
    assert_problem(_migrate(client, auth, wid, from_versions=[2]), 409, "migration-conflict")
    assert_problem(_migrate(client, auth, wid, from_versions=[9]), 404)
    post_version(client, auth("workflows:edit"), wid)
    draft = client.post(
        versions_url(wid, 3, "migrate"), json={"from_versions": [1]}, headers=auth("workflows:edit")
    )
    assert_problem(draft, 409, "migration-conflict")
    assert _positions(container, wid) == before
    assert client.get(f"{API}/{wid}/migrations", headers=auth("workflows:read")).json()["items"] == []


def test_a_second_migration_of_the_same_versions_is_refused_until_the_first_ends(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    # gradual: step 1 (10%) runs now; the next step is scheduled, so it stays running here
    # (a threshold of 1: a step of three executions, one on 'reminder', would halt it)
    first = _migrate(
        client,
        auth,
        flow["wid"],
        strategy="gradual",
        step_percent=10,
        interval_seconds=3600,
        failure_threshold=1,
    ).json()
    state = client.get(f"{API}/{flow['wid']}/migrations/{first['id']}", headers=auth("workflows:read")).json()
    assert state["status"] == "running"
    assert state["migrated"] + state["failed"] == 3
    assert_problem(_migrate(client, auth, flow["wid"]), 409, "migration-conflict")
    cancelled = client.post(
        f"{API}/{flow['wid']}/migrations/{first['id']}/cancel", headers=auth("workflows:edit")
    ).json()
    assert cancelled["status"] == "cancelled"
    assert_problem(
        client.post(f"{API}/{flow['wid']}/migrations/{first['id']}/resume", headers=auth("workflows:edit")),
        409,
    )
    moved = client.get(
        f"{API}/{flow['wid']}/executions", params={"migration": first["id"]}, headers=auth("workflows:read")
    ).json()
    assert len(moved["items"]) == state["migrated"]  # what moved stays moved, and is listed
    assert _migrate(client, auth, flow["wid"]).status_code == 202


def test_events_stream_progress_then_done(client: TestClient, auth, flow: dict[str, str]) -> None:
    migration = _migrate(client, auth, flow["wid"]).json()
    with client.stream(
        "GET", f"{API}/{flow['wid']}/migrations/{migration['id']}/events", headers=auth("workflows:read")
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    events = [block for block in text.split("\n\n") if block]
    assert events[0].startswith("event: progress")
    assert json.loads(events[0].split("data: ", 1)[1])["status"] == "completed"
    assert events[-1] == 'event: done\ndata: {"status": "completed"}'


@pytest.mark.parametrize(
    ("secret", "key"),
    [
        ("whsec_" + base64.b64encode(b"k" * 32).decode(), "whsec_" + base64.b64encode(b"k" * 32).decode()),
        ("s" * 32, b"s" * 32),  # a plain secret: the receiver's library is given its bytes
    ],
)
def test_completion_calls_a_standard_webhook_a_reference_receiver_accepts(
    client: TestClient,
    container: Container,
    auth,
    flow: dict[str, str],
    secret: str,
    key: str | bytes,
) -> None:
    received: list[tuple[bytes, dict[str, str]]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, {k.lower(): v for k, v in self.headers.items()}))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    container.settings = container.settings.model_copy(
        update={
            "migration_webhook_url": f"http://127.0.0.1:{server.server_address[1]}/hook",
            "webhook_secret": secret,
        }
    )
    try:
        migration = _migrate(client, auth, flow["wid"]).json()
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 1
    body, headers = received[0]
    receiver = Webhook(key)
    payload = receiver.verify(body, headers)  # the specification's own verification
    data = payload["data"]
    assert (payload["type"], payload["tenant_id"], data["migration_id"], data["migrated"]) == (
        "migration.completed",
        "acme",
        migration["id"],
        20,
    )
    assert payload["workflow_id"] == flow["wid"]
    # The operator's endpoint is one more endpoint of the outbox: its delivery is recorded,
    # and its id is the webhook-id (one per event and endpoint, kept across retries).
    with container.uow("acme") as uow:
        delivery = uow.session.scalars(select(WebhookDelivery)).one()
    assert (delivery.endpoint_id, delivery.state, delivery.attempts) == (None, "delivered", 1)
    assert headers["webhook-id"] == f"msg_{delivery.id.hex}"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    # The same request with its timestamp moved, to pass a replay off as fresh: refused.
    moved = {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        receiver.verify(body, moved)


def test_a_webhook_replayed_outside_the_tolerance_is_refused_by_a_reference_receiver() -> None:
    secret = "whsec_" + base64.b64encode(b"r" * 32).decode()
    body = json.dumps({"event": "migration.completed", "tenant_id": "acme"}).encode()
    receiver = Webhook(secret)
    fresh = signed_headers(secret, body, message_id="msg_1", at=datetime.now(UTC))
    assert receiver.verify(body, fresh) == {"event": "migration.completed", "tenant_id": "acme"}
    captured = signed_headers(secret, body, message_id="msg_1", at=datetime.now(UTC) - timedelta(minutes=6))
    with pytest.raises(WebhookVerificationError, match="too old"):
        receiver.verify(body, captured)
    assert signed_headers(secret, body, message_id="msg_1", at=datetime(2026, 1, 1, tzinfo=UTC)) == {
        "webhook-id": "msg_1",
        "webhook-timestamp": "1767225600",
        # base64(HMAC-SHA256(key, "msg_1.1767225600." + body)), computed by hand
        "webhook-signature": "v1,"
        + base64.b64encode(
            hmac.new(b"r" * 32, b"msg_1.1767225600." + body, hashlib.sha256).digest()
        ).decode(),
    }


def test_migration_throughput_is_counted_in_metrics(client: TestClient, auth, flow: dict[str, str]) -> None:
    """The runner counts moved executions and times each batch once it has committed."""
    from prometheus_client import REGISTRY

    def sample(name: str) -> float:
        return REGISTRY.get_sample_value(name) or 0.0

    moved, batches = "wfv_migration_executions_moved_total", "wfv_migration_batch_duration_seconds_count"
    before_moved, before_batches = sample(moved), sample(batches)
    assert _migrate(client, auth, flow["wid"], batch_size=100).status_code == 202
    assert sample(moved) == before_moved + 20  # 10 more failed: no counterpart in v2
    assert sample(batches) > before_batches
    assert sample("wfv_migration_batch_duration_seconds_sum") > 0


def test_a_gradual_migration_between_steps_is_not_woken_before_its_pause_ends(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    """Start-up and the queue's return resume every stalled migration (``older_than`` 0):
    a gradual one resting between steps must not start its next step early."""
    from indexer.models import VersionMigration
    from service.executions.runner import stalled

    started = _migrate(
        client,
        auth,
        flow["wid"],
        strategy="gradual",
        step_percent=10,
        interval_seconds=600,
        failure_threshold=1,
    )
    key = uuid.UUID(started.json()["id"])
    assert stalled(container, "acme", 0) == []  # step 1 done, resting for ten minutes
    with container.uow("acme", write=True) as uow:
        migration = uow.session.get(VersionMigration, key)
        assert migration is not None
        migration.heartbeat_at = datetime.now(UTC) - timedelta(seconds=601)
        uow.commit()
    assert stalled(container, "acme", 0) == [key]  # the pause is over and nothing ran it
    assert stalled(container, "acme", 15) == []  # the watchdog gives its runner 15 s more


def test_a_runner_that_beat_this_very_second_counts_as_stalled_at_start_up(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    """The clock of record has whole seconds: a worker killed in the second a new consumer
    starts beat "now". The start-up resume looks once, so it must take that migration
    (with ``<`` it waited for the minute watchdog; a killed-worker test caught it)."""
    from indexer.models import VersionMigration
    from service.clock import utcnow
    from service.executions.runner import stalled

    started = _migrate(client, auth, flow["wid"], batch_size=100)
    key = uuid.UUID(started.json()["id"])
    with container.uow("acme", write=True) as uow:
        migration = uow.session.get(VersionMigration, key)
        assert migration is not None
        migration.status, migration.heartbeat_at = "running", utcnow()
        uow.commit()
    assert stalled(container, "acme", 0) == [key]
    assert stalled(container, "acme", 15) == []  # the watchdog still gives a live runner time
