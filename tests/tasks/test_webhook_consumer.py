"""Webhook deliveries on a real queue with real ``wfv`` processes and a real local
receiver: a receiver failing its first three attempts (an error status, a hang past the
timeout, a dropped connection) gets the event on the fourth, signed; and a worker
SIGKILLed in the middle of an attempt loses nothing, its successor delivers. SQLite queue
+ SQLite index, and Redis queue + PostgreSQL (as the service role) as in production."""

import itertools
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from indexer import webhooks as rows
from indexer.models import WebhookDelivery
from schemas.webhooks import WebhookCreate
from service.auth import issue_token
from service.container import Container
from service.webhooks import endpoints
from tests.e2e.helpers import WFV, free_port, running
from tests.factories import create_workflow_via_api, post_publish, principal, published_history
from tests.tasks.conftest import container_for
from tests.webhook_receiver import DROP, HANG, Receiver, receiving

SECRET = "webhook-consumer-secret-long-enough-for-hs256"
LOCAL = {
    "WFV_WEBHOOK_ALLOW_HTTP": "true",
    "WFV_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
    "WFV_WEBHOOK_TIMEOUT_SECONDS": "1",
    "WFV_WEBHOOK_RETRY_BASE_SECONDS": "0.2",
}


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_JWT_SECRET": SECRET} | LOCAL


def _container(env: dict[str, str]) -> Container:
    return container_for(env, jwt_secret=SECRET, webhook_allow_http=True, webhook_allow_private_networks=True)


def _delivery(container: Container) -> WebhookDelivery | None:
    with container.uow("acme") as uow:
        return uow.session.scalars(select(WebhookDelivery)).one_or_none()


def _wait_for(container: Container, state: str, seconds: float) -> WebhookDelivery:
    deadline = time.monotonic() + seconds
    while True:
        found = _delivery(container)
        if (found is not None and found.state == state) or time.monotonic() > deadline:
            assert found is not None
            return found
        time.sleep(0.05)


def test_a_receiver_failing_three_times_gets_the_event_once_signed(
    stack: dict[str, str], tmp_path: Path
) -> None:
    container = _container(stack)
    port = free_port()
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    admin = {"Authorization": f"Bearer {token}"}
    serve = [WFV, "serve", "--port", str(port)]
    with (
        receiving(Receiver(script=[500, HANG, DROP], hang_seconds=3)) as receiver,
        running(serve, stack, tmp_path / "serve.log", f"http://127.0.0.1:{port}/healthz"),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
    ):
        answer = client.post(
            "/api/v1/admin/webhooks",
            json={"url": receiver.url, "event_types": ["version.published"]},
            headers=admin,
        )
        assert answer.status_code == 201, answer.text
        endpoint: dict[str, Any] = answer.json()
        workflow = create_workflow_via_api(client, admin)["id"]
        post_publish(client, admin, workflow, 1)
        done = _wait_for(container, "delivered", 30)
        page = client.get(f"/api/v1/admin/webhooks/{endpoint['id']}/deliveries", headers=admin).json()
    assert (done.state, done.attempts, done.last_status_code) == ("delivered", 4, 204), (
        tmp_path / "serve.log"
    ).read_text()[-3000:]
    payloads = receiver.verified(endpoint["secret"])
    assert len(payloads) == 4
    assert {p["type"] for p in payloads} == {"version.published"}
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    [shown] = page["items"]
    assert [a["status_code"] for a in shown["attempt_log"]] == [204, None, None, 500]
    with container.uow("acme") as uow:
        attempts = rows.attempts_of(uow.session, "acme", done.id)
    assert [a.status_code for a in attempts] == [500, None, None, 204]
    gaps = [(b.attempted_at - a.attempted_at).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.15  # backed off (0.2 s less jitter), not hammered


def test_a_delivery_survives_its_worker_killed_mid_attempt(stack: dict[str, str], tmp_path: Path) -> None:
    container = _container(stack)
    with receiving(Receiver(script=[HANG], hang_seconds=60)) as receiver:
        with container.uow("acme", write=True) as uow:
            request = WebhookCreate(url=receiver.url, event_types=["version.published"])
            _, secret = endpoints.register(uow, principal(), request)
            uow.commit()
        published_history(container, 1)  # the event, in the outbox; no queue here to take it
        assert _delivery(container) is not None
        worker = [WFV, "worker", "--no-periodic"]
        with running(worker, stack, tmp_path / "worker-1.log") as first:
            assert len(receiver.wait_for(1, 30)) == 1, (tmp_path / "worker-1.log").read_text()
            first.kill()  # SIGKILL, in the middle of the attempt
            first.wait()
        cut = _delivery(container)
        assert cut is not None
        assert (cut.state, cut.attempts) == ("delivering", 0)  # claimed, nothing recorded
        with running(worker, stack, tmp_path / "worker-2.log"):
            done = _wait_for(container, "delivered", 40)
    assert (done.state, done.attempts, done.last_status_code) == ("delivered", 1, 204), (
        tmp_path / "worker-2.log"
    ).read_text()[-3000:]
    payloads = receiver.verified(secret)
    assert len(payloads) == 2  # at least once: the cut attempt reached the receiver too
    assert payloads[0] == payloads[1]
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
