"""Event webhooks on both databases, with a real local HTTP receiver (the queue runs each
first attempt inline here; retries are driven by moving the container's clock; the real
consumer paths are in tests/tasks/test_webhook_consumer.py): registration and its
secret, URL rules, tenant isolation, every event type emitted by its change and never by
one that rolls back, retries and their schedule, redelivery, deletion, claims."""

import random
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from indexer import migration_batches
from indexer import webhooks as rows
from indexer.models import IdempotencyKey, WebhookDelivery, WebhookEndpoint, WebhookEvent
from schemas.webhooks import EVENT_TYPES
from service.container import Container
from service.errors import TransactionConflict
from service.uow import UnitOfWork
from service.webhooks.delivery import MAX_INTERVAL_SECONDS, backoff, deliver
from service.webhooks.signing import SecretSeal
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    post_publish,
    post_version,
    published_history,
    versions_url,
)
from tests.webhook_receiver import DROP, HANG, Receiver, receiving

HOOKS = "/api/v1/admin/webhooks"
API = "/api/v1/workflows"


@pytest.fixture
def hooks(container: Container) -> Container:
    """Local receivers allowed (http, loopback); a short timeout for the hanging receiver."""
    container.settings = container.settings.model_copy(
        update={
            "webhook_allow_http": True,
            "webhook_allow_private_networks": True,
            "webhook_timeout_seconds": 0.5,
        }
    )
    return container


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving(Receiver(hang_seconds=2)) as running:
        yield running


def _register(
    client: TestClient, headers: dict[str, str], url: str, types: list[str] | None = None
) -> dict[str, Any]:
    response = client.post(
        HOOKS, json={"url": url, "event_types": types or list(EVENT_TYPES)}, headers=headers
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


class Clock:
    """The container's wall clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _delivery(container: Container, tenant: str = "acme") -> WebhookDelivery:
    with container.uow(tenant) as uow:
        return uow.session.scalars(select(WebhookDelivery)).one()


# -- registration ------------------------------------------------------------------------


def test_the_secret_is_answered_once_and_kept_sealed(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    created = _register(client, admin, receiver.url, ["version.published"])
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["version.published"]
    one = client.get(f"{HOOKS}/{created['id']}", headers=admin)
    listed = client.get(HOOKS, headers=admin).json()
    assert one.status_code == 200
    assert "secret" not in one.json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    assert created["secret"] not in one.text + str(listed)
    with hooks.uow("acme") as uow:
        stored = uow.session.scalars(select(WebhookEndpoint)).one().secret
    assert created["secret"].encode() not in stored
    assert created["secret"].removeprefix("whsec_").encode() not in stored


def test_a_registration_sent_again_with_its_key_gets_the_same_secret_kept_sealed_meanwhile(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    """A client that lost the answer sends the request again with the same Idempotency-Key:
    the same endpoint and secret, one registration; the stored answer never shows the
    secret, and only the key's own caller can have it replayed."""
    admin = auth("workflows:admin")
    body = {"url": receiver.url, "event_types": ["version.published"]}
    first = client.post(HOOKS, json=body, headers=admin | {"Idempotency-Key": "hook-1"})
    again = client.post(HOOKS, json=body, headers=admin | {"Idempotency-Key": "hook-1"})
    assert first.status_code == again.status_code == 201, first.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["secret"].startswith("whsec_")
    assert "x-wfv-sealed" not in again.headers
    assert [item["id"] for item in client.get(HOOKS, headers=admin).json()["items"]] == [first.json()["id"]]
    with hooks.uow("acme") as uow:
        (kept,) = uow.session.scalars(select(IdempotencyKey)).all()
    assert kept.state == "done"
    assert kept.body is not None
    secret = first.json()["secret"]
    assert secret.encode() not in kept.body
    assert secret.removeprefix("whsec_").encode() not in kept.body
    # another admin's same key is another key: a registration of its own, another secret
    other = client.post(
        HOOKS, json=body, headers=auth("workflows:admin", user="bob") | {"Idempotency-Key": "hook-1"}
    )
    assert other.status_code == 201
    assert "idempotent-replayed" not in other.headers
    assert other.json()["secret"] != secret


def test_a_redelivery_sent_again_with_its_key_is_sent_once(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    endpoint = _register(client, admin, receiver.url, ["version.published"])
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    path = f"{HOOKS}/{endpoint['id']}/deliveries/{_delivery(hooks).id}/redeliver"
    first = client.post(path, headers=admin | {"Idempotency-Key": "again-1"})
    again = client.post(path, headers=admin | {"Idempotency-Key": "again-1"})
    assert first.status_code == again.status_code == 202, first.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(receiver.verified(endpoint["secret"])) == 2  # the first delivery and one redelivery
    assert (_delivery(hooks).state, _delivery(hooks).attempts) == ("delivered", 2)


def test_endpoints_are_listed_in_pages(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    ids = [_register(client, admin, receiver.url)["id"] for _ in range(3)]
    first = client.get(HOOKS, params={"limit": 2}, headers=admin).json()
    second = client.get(HOOKS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin).json()
    assert [i["id"] for i in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None
    assert_problem(client.get(HOOKS, params={"cursor": "junk"}, headers=admin), 400)


@pytest.mark.parametrize(
    ("url", "allow", "message"),
    [
        ("http://hooks.example.com/in", {}, "must be https"),
        ("ftp://hooks.example.com/in", {}, "must be https"),
        ("ftp://hooks.example.com/in", {"webhook_allow_http": True}, "must be https or http"),
        ("javascript:alert(1)", {}, "must be https"),
        ("https:///no-host", {}, "no host"),
        ("https://user:pw@hooks.example.com/", {}, "no credentials"),
        ("https://hooks.example.com:99999/", {}, "does not parse"),
        ("https://10.1.2.3/in", {}, "private"),
        ("https://127.0.0.1/in", {}, "loopback"),
        ("https://localhost:8443/in", {}, "loopback"),
        ("https://169.254.169.254/latest/meta-data", {}, "link-local"),
        ("https://[::1]/in", {}, "loopback"),
        ("https://[::ffff:10.0.0.1]/in", {}, "private"),
        ("https://0.0.0.0/in", {}, "unspecified"),
        ("https://224.0.0.1/in", {}, "multicast"),
        ("https://100.64.0.1/in", {}, "not public"),
        ("https://127.0.0.1/in", {"webhook_allow_http": True}, "loopback"),
        ("http://127.0.0.1/in", {"webhook_allow_private_networks": True}, "must be https"),
        ("https://no-such-host.invalid/in", {}, "does not resolve"),
    ],
)
def test_urls_a_webhook_may_not_reach_are_refused_and_change_nothing(
    client: TestClient, container: Container, auth, url: str, allow: dict[str, bool], message: str
) -> None:
    container.settings = container.settings.model_copy(update=allow)
    admin = auth("workflows:admin")
    response = client.post(HOOKS, json={"url": url, "event_types": ["version.published"]}, headers=admin)
    problem = assert_problem(response, 422, "invalid-webhook-url")
    assert message in problem["detail"]
    assert client.get(HOOKS, headers=admin).json()["items"] == []


def test_what_is_allowed_by_the_settings_is_registered(client: TestClient, hooks: Container, auth) -> None:
    admin = auth("workflows:admin")
    for url in ("http://127.0.0.1:9/in", "https://10.0.0.8/in", "https://[::1]:8443/x?y=1"):
        assert (
            client.post(
                HOOKS, json={"url": url, "event_types": ["version.published"]}, headers=admin
            ).status_code
            == 201
        )


@pytest.mark.parametrize(
    "body",
    [
        {"url": "https://1.1.1.1/in", "event_types": []},
        {"url": "https://1.1.1.1/in", "event_types": ["version.deleted"]},
        {"url": "https://1.1.1.1/in"},
        {"url": "https://1.1.1.1/in", "event_types": ["version.published"], "secret": "mine"},
        {"url": "https://1.1.1.1/\x00", "event_types": ["version.published"]},
    ],
)
def test_bad_registrations_are_problems(
    client: TestClient, hooks: Container, auth, body: dict[str, Any]
) -> None:
    admin = auth("workflows:admin")
    assert_problem(client.post(HOOKS, json=body, headers=admin), 422)
    assert client.get(HOOKS, headers=admin).json()["items"] == []


def test_endpoints_are_the_tenants_own_and_admins_only(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    created = _register(client, auth("workflows:admin"), receiver.url)
    other = auth("workflows:admin", org="globex")
    path = f"{HOOKS}/{created['id']}"
    assert_problem(client.get(path, headers=other), 404, "webhook-not-found")
    assert_problem(client.get(f"{path}/deliveries", headers=other), 404, "webhook-not-found")
    assert_problem(client.delete(path, headers=other), 404, "webhook-not-found")
    assert_problem(client.post(f"{path}/deliveries/{uuid.uuid4()}/redeliver", headers=other), 404)
    assert client.get(HOOKS, headers=other).json()["items"] == []
    editor = auth("workflows:edit")
    assert_problem(client.get(HOOKS, headers=editor), 403)
    assert_problem(
        client.post(HOOKS, json={"url": receiver.url, "event_types": ["version.published"]}, headers=editor),
        403,
    )
    assert_problem(client.delete(path, headers=editor), 403)
    assert client.get(path, headers=auth("workflows:admin")).status_code == 200
    # globex's events never reach acme's endpoint
    globex = auth("workflows:admin", org="globex")
    post_publish(client, globex, create_workflow_via_api(client, globex)["id"], 1)
    assert receiver.received == []


# -- events ----------------------------------------------------------------------------


Act = Callable[[TestClient, Container, dict[str, str], dict[str, Any]], Any]


def _workflow(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    return {"wid": create_workflow_via_api(client, admin)["id"]}


def _two_published(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    post_version(client, admin, wid)
    post_publish(client, admin, wid, 2)
    return {"wid": wid}


def _archivable(client: TestClient, container: Container) -> dict[str, Any]:
    container.settings.keep_versions = 1
    wid = str(published_history(container, 3)[0])
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    return {"wid": wid}


def _archived(client: TestClient, container: Container, admin: dict[str, str]) -> dict[str, Any]:
    context = _archivable(client, container)
    assert client.post("/api/v1/admin/workflows/archive-versions", json={}, headers=admin).status_code == 200
    return context


def _contacts_on_v1(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    """v1 (welcome-small) with 30 contacts, 10 of them on 'reminder', which v2
    (welcome-small-b) lacks: they fail to migrate."""
    wid = create_workflow_via_api(client, admin, definition=example("welcome-small"))["id"]
    post_publish(client, admin, wid, 1)
    client.post(f"{API}/{wid}/executions", json={"contact_ids": [f"c-{i}" for i in range(30)]}, headers=admin)
    moves = [{"contact_id": f"c-{i}", "action_id": "reminder", "status": "waiting"} for i in range(10)]
    assert (
        client.post(f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=admin).status_code
        == 200
    )
    post_version(client, admin, wid, definition=example("welcome-small-b"))
    post_publish(client, admin, wid, 2)
    return {"wid": wid}


def _migrated(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    """``_contacts_on_v1`` migrated to v2 (20 moved, 10 failed), ready to be reverted."""
    context = _contacts_on_v1(client, admin)
    started = _migrate(client, admin, context["wid"])
    assert started.status_code == 202, started.text
    return {**context, "mid": started.json()["id"]}


def _revert(client: TestClient, admin: dict[str, str], context: dict[str, Any]) -> Any:
    return client.post(
        f"{API}/{context['wid']}/migrations/{context['mid']}/revert", json={"dry_run": False}, headers=admin
    )


def _review(client: TestClient, auth, admin: dict[str, str]) -> dict[str, Any]:
    wid = create_workflow_via_api(client, admin)["id"]
    post_publish(client, admin, wid, 1)
    post_version(client, admin, wid)
    opened = client.post(versions_url(wid, 2, "reviews"), json={"title": "New copy"}, headers=admin)
    assert opened.status_code == 201, opened.text
    return {"wid": wid, "review": opened.json()["id"]}


def _migrate(client: TestClient, admin: dict[str, str], wid: str, **body: Any) -> Any:
    return client.post(versions_url(wid, 2, "migrate"), json={"from_versions": [1], **body}, headers=admin)


def _verdict(client: TestClient, auth, ctx: dict[str, Any], verdict: str) -> Any:
    return client.post(
        f"{API}/{ctx['wid']}/reviews/{ctx['review']}/verdicts",
        json={"verdict": verdict},
        headers=auth("workflows:edit", user="bob"),
    )


@contextmanager
def _failing_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fault no retry mends: every migration batch raises."""

    def broken(*_: Any, **__: Any) -> int:
        raise RuntimeError("a bug in the batch")

    with monkeypatch.context() as patch:
        patch.setattr(migration_batches, "move", broken)
        yield


# Each event type: (setup, act, a subset of the event's data). ``act`` is the change.
CASES: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "version.published": (
        lambda c, k, a, au: _workflow(c, a),
        lambda c, k, a, au, x, mp: c.post(versions_url(x["wid"], 1, "publish"), headers=a),
        {"version_number": 1, "previous_version_number": None},
    ),
    "version.rolled_back": (
        lambda c, k, a, au: _two_published(c, a),
        lambda c, k, a, au, x, mp: c.post(versions_url(x["wid"], 1, "rollback"), headers=a),
        {"version_number": 3, "rollback_of_version_number": 1, "previous_version_number": 2},
    ),
    "version.archived": (
        lambda c, k, a, au: _archivable(c, k),
        lambda c, k, a, au, x, mp: c.post("/api/v1/admin/workflows/archive-versions", json={}, headers=a),
        {"version_number": 1, "trigger": "manual"},
    ),
    "version.unarchived": (
        lambda c, k, a, au: _archived(c, k, a),
        lambda c, k, a, au, x, mp: c.post(versions_url(x["wid"], 1, "unarchive"), headers=a),
        {"version_number": 1},
    ),
    "migration.started": (
        lambda c, k, a, au: _contacts_on_v1(c, a),
        lambda c, k, a, au, x, mp: _migrate(c, a, x["wid"]),
        {"total": 30, "strategy": "immediate", "target_version_number": 2, "source_version_numbers": [1]},
    ),
    "migration.completed": (
        lambda c, k, a, au: _contacts_on_v1(c, a),
        lambda c, k, a, au, x, mp: _migrate(c, a, x["wid"]),
        {"total": 30, "migrated": 20, "failed": 10, "skipped": 0},
    ),
    "migration.halted": (
        lambda c, k, a, au: _contacts_on_v1(c, a),
        lambda c, k, a, au, x, mp: _migrate(c, a, x["wid"], strategy="gradual", step_percent=70),
        {"total": 30},
    ),
    "migration.failed": (
        lambda c, k, a, au: _contacts_on_v1(c, a),
        lambda c, k, a, au, x, mp: _migrate_broken(c, a, x["wid"], mp),
        {"total": 30, "migrated": 0, "reason": "the runner failed: RuntimeError"},
    ),
    "migration.reverted": (
        lambda c, k, a, au: _migrated(c, a),
        lambda c, k, a, au, x, mp: _revert(c, a, x),
        {"total": 20, "restored": 20, "moved_since": 0, "pinned": 0, "blocked": 0},
    ),
    "executions.moved": (
        lambda c, k, a, au: _contacts_on_v1(c, a),
        lambda c, k, a, au, x, mp: _migrate(c, a, x["wid"]),
        {"cause": "migration", "count": 20},
    ),
    "review.approved": (
        lambda c, k, a, au: _review(c, au, a),
        lambda c, k, a, au, x, mp: _verdict(c, au, x, "approve"),
        {"version_number": 2},
    ),
    "review.changes_requested": (
        lambda c, k, a, au: _review(c, au, a),
        lambda c, k, a, au, x, mp: _verdict(c, au, x, "request_changes"),
        {"version_number": 2},
    ),
}


def _migrate_broken(
    client: TestClient, admin: dict[str, str], wid: str, monkeypatch: pytest.MonkeyPatch
) -> Any:
    with _failing_batches(monkeypatch):
        return _migrate(client, admin, wid)


def test_every_event_type_has_a_case() -> None:
    assert set(CASES) == set(EVENT_TYPES)


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_each_event_is_sent_by_its_change(
    client: TestClient,
    hooks: Container,
    auth,
    receiver: Receiver,
    event_type: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = auth("workflows:admin")
    setup, act, expected = CASES[event_type]
    context = setup(client, hooks, admin, auth)
    secret = _register(client, admin, receiver.url, [event_type])["secret"]
    answer = act(client, hooks, admin, auth, context, monkeypatch)
    assert answer.status_code < 300, answer.text
    payloads = receiver.verified(secret)  # each signature checked by the specification's library
    assert payloads, f"no {event_type} event arrived"
    payload = payloads[0]
    assert {payload["type"] for payload in payloads} == {event_type}
    assert (payload["tenant_id"], payload["workflow_id"]) == ("acme", context["wid"])
    assert payload["id"].startswith("evt_")
    assert payload["timestamp"].endswith("Z")
    assert {key: payload["data"][key] for key in expected} == expected
    assert receiver.received[0].headers["x-wfv-event"] == event_type
    with hooks.uow("acme") as uow:
        events = uow.session.scalars(select(WebhookEvent)).all()
        delivered = uow.session.scalars(select(WebhookDelivery.state)).all()
    assert {e.event_type for e in events} == {event_type}
    assert set(delivered) == {"delivered"}


def _commit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every unit of work writes what it staged, then its COMMIT fails: the change rolls back."""

    def commit(self: UnitOfWork) -> None:
        self.session.flush()
        self.rollback()
        raise TransactionConflict("the commit failed (test)")

    monkeypatch.setattr(UnitOfWork, "commit", commit)


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_no_event_is_written_by_a_change_that_rolls_back(
    client: TestClient,
    hooks: Container,
    auth,
    receiver: Receiver,
    event_type: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = auth("workflows:admin")
    setup, act, _ = CASES[event_type]
    context = setup(client, hooks, admin, auth)
    _register(client, admin, receiver.url, [event_type])
    _commit_fails(monkeypatch)
    answer = act(client, hooks, admin, auth, context, monkeypatch)
    assert answer.status_code == 503, answer.text
    assert receiver.received == []
    with hooks.uow("acme") as uow:
        assert uow.session.scalars(select(WebhookEvent)).all() == []
        assert uow.session.scalars(select(WebhookDelivery)).all() == []


def test_an_event_nobody_wants_writes_nothing(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    _register(client, admin, receiver.url, ["migration.failed"])
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    with hooks.uow("acme") as uow:
        assert uow.session.scalars(select(WebhookEvent)).all() == []
    assert receiver.received == []


# -- delivery --------------------------------------------------------------------------


def test_a_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt(
    client: TestClient, hooks: Container, auth
) -> None:
    clock = Clock()
    hooks.clock = clock
    admin = auth("workflows:admin")
    with receiving(Receiver(script=[500, HANG, DROP], hang_seconds=2)) as receiver:
        endpoint = _register(client, admin, receiver.url, ["version.published"])
        wid = create_workflow_via_api(client, admin)["id"]
        post_publish(client, admin, wid, 1)  # the first attempt, inline: 500
        for _ in range(3):
            delivery = _delivery(hooks)
            assert delivery.state == "pending"
            assert deliver(hooks, "acme", delivery.id) == "not due"  # not before its time
            assert delivery.next_attempt_at is not None
            clock.now = delivery.next_attempt_at
            deliver(hooks, "acme", delivery.id)
        payloads = receiver.verified(endpoint["secret"])
    delivery = _delivery(hooks)
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 4, 204)
    assert len(payloads) == 4
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1  # receivers deduplicate
    assert receiver.received[0].headers["webhook-id"] == f"msg_{delivery.id.hex}"
    page = client.get(f"{HOOKS}/{endpoint['id']}/deliveries", headers=admin).json()
    [shown] = page["items"]
    assert (shown["state"], shown["attempts"], shown["event_type"]) == ("delivered", 4, "version.published")
    assert [a["status_code"] for a in shown["attempt_log"]] == [204, None, None, 500]
    errors = [a["error"] for a in shown["attempt_log"]]
    assert errors[0] is None
    assert errors[1] == "the receiver broke the HTTP exchange"
    assert errors[2].startswith("timed out")
    assert errors[3] == "answered HTTP 500"
    assert all(a["latency_ms"] >= 0 for a in shown["attempt_log"])
    assert shown["attempt_log"][2]["latency_ms"] >= 400  # the hang, until the timeout
    assert shown["webhook_id"] == f"msg_{delivery.id.hex}"
    assert shown["next_attempt_at"] is None
    assert shown["finished_at"] is not None


def test_a_receiver_that_refuses_connections_is_retried(client: TestClient, hooks: Container, auth) -> None:
    admin = auth("workflows:admin")
    with receiving(Receiver()) as receiver:
        url = receiver.url
    _register(client, admin, url, ["version.published"])  # nothing listens there any more
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error == "could not connect"


def test_retries_back_off_exponentially_until_a_day_is_up(client: TestClient, hooks: Container, auth) -> None:
    """Delays double from the base (less up to a quarter of jitter), an hour apart at most;
    the last attempt is a day after the event, and then the delivery is failed."""
    clock = Clock()
    hooks.clock = clock
    admin = auth("workflows:admin")
    with receiving(Receiver(then=503)) as receiver:
        _register(client, admin, receiver.url, ["version.published"])
        post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
        start = _delivery(hooks).created_at
        delays: list[float] = []
        while (delivery := _delivery(hooks)).state == "pending":
            assert delivery.next_attempt_at is not None
            delays.append((delivery.next_attempt_at - clock.now).total_seconds())
            clock.now = delivery.next_attempt_at
            deliver(hooks, "acme", delivery.id)
    base = hooks.settings.webhook_retry_base_seconds
    for n, delay in enumerate(delays[:10], start=1):
        ceiling = min(base * 2 ** (n - 1), MAX_INTERVAL_SECONDS)
        assert 0.75 * ceiling <= delay <= ceiling, (n, delay)
    assert max(delays) <= MAX_INTERVAL_SECONDS
    assert (delivery.state, delivery.attempts) == ("failed", len(delays) + 1)
    assert delivery.finished_at == start + timedelta(hours=24)
    assert 30 < delivery.attempts < 45  # ~12 doubling, then hourly
    assert len(receiver.received) == delivery.attempts


def test_backoff_is_jittered_below_the_doubling() -> None:
    rng = random.Random(7)
    draws = [backoff(3, 5.0, rng).total_seconds() for _ in range(200)]
    assert all(15.0 <= d <= 20.0 for d in draws)
    assert len(set(draws)) > 100
    assert backoff(40, 5.0, rng).total_seconds() <= MAX_INTERVAL_SECONDS


def test_redeliver_sends_the_same_webhook_again(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    endpoint = _register(client, admin, receiver.url, ["version.published"])
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    # a trace context given to the event travels as the traceparent header
    trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    with hooks.migration_engine().begin() as conn:  # the schema owner: the service only inserts events
        conn.execute(update(WebhookEvent).values(traceparent=trace))
    path = f"{HOOKS}/{endpoint['id']}/deliveries/{delivery.id}/redeliver"
    answer = client.post(path, headers=admin)
    assert answer.status_code == 202, answer.text
    payloads = receiver.verified(endpoint["secret"])
    assert len(payloads) == 2
    assert payloads[0] == payloads[1]
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
    assert "traceparent" not in receiver.received[0].headers
    assert receiver.received[1].headers["traceparent"] == trace
    assert (_delivery(hooks).state, _delivery(hooks).attempts) == ("delivered", 2)
    assert_problem(
        client.post(f"{HOOKS}/{endpoint['id']}/deliveries/{uuid.uuid4()}/redeliver", headers=admin), 404
    )


def test_deleting_an_endpoint_stops_its_deliveries(client: TestClient, hooks: Container, auth) -> None:
    clock = Clock()
    hooks.clock = clock
    admin = auth("workflows:admin")
    with receiving(Receiver(then=500)) as receiver:
        endpoint = _register(client, admin, receiver.url, ["version.published"])
        wid = create_workflow_via_api(client, admin)["id"]
        post_publish(client, admin, wid, 1)
        delivery = _delivery(hooks)
        assert (delivery.state, len(receiver.received)) == ("pending", 1)
        assert client.delete(f"{HOOKS}/{endpoint['id']}", headers=admin).status_code == 204
        assert _delivery(hooks).state == "cancelled"
        clock.now += timedelta(hours=2)
        assert deliver(hooks, "acme", delivery.id) == "not due"
        post_version(client, admin, wid)
        post_publish(client, admin, wid, 2)
        assert len(receiver.received) == 1
    assert_problem(client.get(f"{HOOKS}/{endpoint['id']}", headers=admin), 404, "webhook-not-found")
    assert client.get(HOOKS, headers=admin).json()["items"] == []
    with hooks.uow("acme") as uow:
        assert len(uow.session.scalars(select(WebhookEvent)).all()) == 1  # none for v2


def test_the_url_is_checked_again_before_each_attempt(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    """Allowed when registered, not any more when sent (a setting changed; a name pointed
    elsewhere): the attempt is refused and recorded, the receiver never reached."""
    admin = auth("workflows:admin")
    _register(client, admin, receiver.url, ["version.published"])
    hooks.settings = hooks.settings.model_copy(update={"webhook_allow_private_networks": False})
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    assert receiver.received == []
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error is not None
    assert "loopback" in delivery.last_error


def test_a_redirect_is_not_followed(client: TestClient, hooks: Container, auth) -> None:
    admin = auth("workflows:admin")
    with receiving(Receiver(then=307)) as receiver:
        _register(client, admin, receiver.url, ["version.published"])
        post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    assert (delivery.state, delivery.last_status_code) == ("pending", 307)
    assert len(receiver.received) == 1


def test_only_one_worker_claims_a_due_delivery(client: TestClient, hooks: Container, auth) -> None:
    admin = auth("workflows:admin")
    _register(client, admin, "http://127.0.0.1:9/in", ["version.published"])
    hooks.jobs = _Ignored()
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    now = datetime.now(UTC) + timedelta(seconds=1)
    barrier, won = threading.Barrier(4), []

    def claim() -> None:
        with hooks.uow("acme", write=True) as uow:
            barrier.wait()
            if rows.claim(uow.session, "acme", delivery.id, now=now, lease_until=now + timedelta(minutes=1)):
                won.append(1)
            uow.commit()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert won == [1]
    assert _delivery(hooks).state == "delivering"


class _Ignored:
    """A queue that takes jobs and runs none (a worker that has not picked them up yet)."""

    def run_migration(self, *_: Any, **__: Any) -> None:
        return None

    def run_revert(self, *_: Any, **__: Any) -> None:
        return None

    def deliver_webhook(self, *_: Any, **__: Any) -> None:
        return None

    def advance_rollout(self, *_: Any, **__: Any) -> None:
        return None


def test_a_secret_the_draft_keys_no_longer_open_fails_its_deliveries(
    client: TestClient, hooks: Container, auth, receiver: Receiver
) -> None:
    admin = auth("workflows:admin")
    _register(client, admin, receiver.url, ["version.published"])
    hooks.webhook_seal = SecretSeal([Fernet.generate_key().decode()])  # the sealing key dropped
    post_publish(client, admin, create_workflow_via_api(client, admin)["id"], 1)
    delivery = _delivery(hooks)
    assert (delivery.state, delivery.attempts) == ("failed", 0)
    assert delivery.last_error is not None
    assert "draft key" in delivery.last_error
    assert receiver.received == []
