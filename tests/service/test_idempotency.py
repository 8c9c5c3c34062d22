"""Idempotency-Key on the routes that create or act, on both databases: a replay gives
the first answer and does nothing again; another request under the same key is refused
(422), as is a key whose first request still runs (409); keys are per tenant and user;
malformed keys are refused (400); refusals are kept, failures worth retrying are not;
expired keys are swept."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from indexer.idempotency import KeyScope
from indexer.models import AuditEntry, IdempotencyKey, WorkflowVersion
from service import idempotency
from service.api.idempotency import fingerprint
from service.container import Container
from service.errors import IdempotencyKeyInUse
from tasks.idempotency import expire_idempotency_keys
from tests.conftest import TokenFactory
from tests.factories import API, assert_problem, create_workflow_via_api, example, versions_url

KEY = "Idempotency-Key"
REPLAYED = "idempotent-replayed"


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, KEY: key}


def count(container: Container, model: Any, tenant: str = "acme", *where: Any) -> int:
    with container.uow(tenant) as uow:
        query = select(func.count()).select_from(model).where(model.tenant_id == tenant, *where)
        return int(uow.session.scalar(query) or 0)


def key_rows(container: Container, tenant: str = "acme") -> list[IdempotencyKey]:
    with container.uow(tenant) as uow:
        return list(uow.session.scalars(select(IdempotencyKey).where(IdempotencyKey.tenant_id == tenant)))


def test_the_same_create_twice_is_done_once_and_answered_the_same(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    headers = keyed(auth("workflows:edit"), "create-1")
    body = {"name": "Welcome", "definition": example("welcome-small")}
    first = client.post(API, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert REPLAYED not in first.headers
    again = client.post(API, json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers[REPLAYED] == "true"
    assert again.content == first.content
    for name in ("location", "content-type"):
        assert again.headers[name] == first.headers[name]
    assert count(container, WorkflowVersion) == 1
    assert [row.state for row in key_rows(container)] == ["done"]


def test_a_publish_replayed_keeps_its_etag_and_does_not_publish_again(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    headers = auth("workflows:edit")
    created = create_workflow_via_api(client, headers)
    url = versions_url(created["id"], 1, "publish")
    first = client.post(url, headers=keyed(headers, "publish-1"))
    assert first.status_code == 200, first.text
    again = client.post(url, headers=keyed(headers, "publish-1"))
    assert (again.status_code, again.headers[REPLAYED], again.headers["etag"]) == (
        200,
        "true",
        first.headers["etag"],
    )
    assert again.json() == first.json()
    assert count(container, AuditEntry, "acme", AuditEntry.action == "publish") == 1
    # Without the key, the same publish is a new request: the version is current already.
    assert client.post(url, headers=headers).status_code == 409


def test_the_same_key_with_another_body_or_route_is_refused(client: TestClient, auth: TokenFactory) -> None:
    headers = keyed(auth("workflows:edit"), "reused")
    assert (
        client.post(
            API, json={"name": "A", "definition": example("welcome-small")}, headers=headers
        ).status_code
        == 201
    )
    other_body = client.post(API, json={"name": "B", "definition": example("welcome-small")}, headers=headers)
    assert_problem(other_body, 422, "idempotency-key-reused")
    created = create_workflow_via_api(client, auth("workflows:edit"), "C")
    other_route = client.post(versions_url(created["id"], 1, "publish"), headers=headers)
    assert_problem(other_route, 422, "idempotency-key-reused")
    assert client.get(versions_url(created["id"], 1), headers=headers).json()["status"] == "draft"


def test_a_key_still_claimed_is_answered_409_with_retry_after(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    headers = keyed(auth("workflows:edit"), "slow")
    body = {"name": "Welcome", "definition": example("welcome-small")}
    # The first request's claim, as a request still running holds it.
    scope = KeyScope("acme", "alice", "slow")
    sent = client.build_request("POST", API, json=body, headers=headers)
    print_ = fingerprint("POST", API, "", "", sent.content)
    assert isinstance(idempotency.claim(container, scope, print_), idempotency.Claim)
    busy = client.post(API, json=body, headers=headers)
    assert_problem(busy, 409, "idempotency-key-in-use")
    assert busy.headers["retry-after"] == "1"
    assert count(container, WorkflowVersion) == 0


def test_a_retry_while_the_first_request_runs_is_answered_409_then_replayed(
    client: TestClient, auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests at once under one key: the first holds it (held here, after its claim
    committed, until the test lets it go), the second is told to come back."""
    claimed, go = threading.Event(), threading.Event()
    real_claim = idempotency.claim

    def claim_then_wait(*args: Any) -> Any:
        outcome = real_claim(*args)
        if isinstance(outcome, idempotency.Claim) and not claimed.is_set():
            claimed.set()
            assert go.wait(30)
        return outcome

    monkeypatch.setattr(idempotency, "claim", claim_then_wait)
    headers = keyed(auth("workflows:edit"), "together")
    body = {"name": "Welcome", "definition": example("welcome-small")}
    answers: dict[str, Any] = {}
    first = threading.Thread(
        target=lambda: answers.update(first=client.post(API, json=body, headers=headers))
    )
    first.start()
    try:
        assert claimed.wait(30)
        busy = client.post(API, json=body, headers=headers)
        assert_problem(busy, 409, "idempotency-key-in-use")
        assert busy.headers["retry-after"] == "1"
        assert count(container, WorkflowVersion) == 0
    finally:
        go.set()
        first.join(30)
    assert answers["first"].status_code == 201
    again = client.post(API, json=body, headers=headers)
    assert (again.status_code, again.headers[REPLAYED], again.content) == (
        201,
        "true",
        answers["first"].content,
    )
    assert count(container, WorkflowVersion) == 1


def test_a_lapsed_claim_is_taken_over_and_the_late_first_request_changes_nothing(
    client: TestClient, auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request that died holding its key: once the lease lapses, the retry does the work.
    The first one, were it alive, can no longer record its answer (its claim is gone)."""
    headers = keyed(auth("workflows:edit"), "dead")
    scope = KeyScope("acme", "alice", "dead")
    first = idempotency.claim(container, scope, "0" * 64)
    assert isinstance(first, idempotency.Claim)
    later = datetime.now(UTC) + timedelta(seconds=container.settings.idempotency_lease_seconds + 1)
    monkeypatch.setattr(container, "clock", lambda: later)
    # Another request under the key is still another request: refused, lease or not.
    body = {"name": "Welcome", "definition": example("welcome-small")}
    assert_problem(client.post(API, json=body, headers=headers), 422, "idempotency-key-reused")
    second = idempotency.claim(container, scope, "0" * 64)
    assert isinstance(second, idempotency.Claim)
    with container.uow("acme", write=True) as uow, pytest.raises(IdempotencyKeyInUse):
        idempotency.settle(uow, first, idempotency.Answer(201, {}, b"{}"))
    with container.uow("acme", write=True) as uow:
        idempotency.settle(uow, second, idempotency.Answer(201, {}, b"{}"))
        uow.commit()
    assert [(row.state, row.claim) for row in key_rows(container)] == [("done", second.claim_id)]


def test_keys_are_per_tenant_and_per_user(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    body = {"name": "Welcome", "definition": example("welcome-small")}
    for user, org in (("alice", "acme"), ("bob", "acme"), ("alice", "globex")):
        answer = client.post(
            API, json=body, headers=keyed(auth("workflows:edit", user=user, org=org), "shared")
        )
        assert answer.status_code == 201, answer.text
        assert REPLAYED not in answer.headers
    assert count(container, WorkflowVersion, "acme") == 2
    assert count(container, WorkflowVersion, "globex") == 1
    # The other tenant's key is invisible from here (and, on PostgreSQL, behind row-level security).
    assert [row.user_id for row in key_rows(container, "globex")] == ["alice"]


@pytest.mark.parametrize(
    "key",
    ["", "   ", "x" * 256, "caf\u00e9", '""'],
    ids=["empty", "blank", "too-long", "not-ascii", "empty-quoted"],
)
def test_a_malformed_key_is_refused_and_changes_nothing(
    client: TestClient, auth: TokenFactory, container: Container, key: str
) -> None:
    headers: dict[str, str | bytes] = {**auth("workflows:edit"), KEY: key.encode("utf-8")}
    answer = client.post(API, json={"name": "W", "definition": example("welcome-small")}, headers=headers)
    assert_problem(answer, 400, "invalid-idempotency-key")
    assert count(container, WorkflowVersion) == 0
    assert key_rows(container) == []


def test_a_quoted_key_is_the_same_key_as_its_token(client: TestClient, auth: TokenFactory) -> None:
    """The draft sends a Structured Field string; Stripe's clients a bare token."""
    body = {"name": "W", "definition": example("welcome-small")}
    first = client.post(API, json=body, headers=keyed(auth("workflows:edit"), '"abc-123"'))
    again = client.post(API, json=body, headers=keyed(auth("workflows:edit"), "abc-123"))
    assert (first.status_code, again.status_code, again.headers[REPLAYED]) == (201, 201, "true")


def test_a_refusal_is_kept_and_replayed(client: TestClient, auth: TokenFactory, container: Container) -> None:
    """A request the use case refused (here: an incomplete definition cannot be published)
    gets the same answer again; it changed nothing either time."""
    headers = auth("workflows:edit")
    created = create_workflow_via_api(client, headers, definition=example("incomplete"))
    url = versions_url(created["id"], 1, "publish")
    first = client.post(url, headers=keyed(headers, "refused"))
    assert_problem(first, 422, "definition-incomplete")
    again = client.post(url, headers=keyed(headers, "refused"))
    assert (again.status_code, again.headers[REPLAYED], again.content) == (422, "true", first.content)
    assert again.headers["content-type"] == "application/problem+json"


def test_a_body_that_does_not_validate_keeps_nothing(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    """Nothing started: the key is given back, and the corrected request may use it."""
    headers = keyed(auth("workflows:edit"), "fix-me")
    assert client.post(API, json={"name": ""}, headers=headers).status_code == 422
    assert key_rows(container) == []
    assert (
        client.post(
            API, json={"name": "W", "definition": example("welcome-small")}, headers=headers
        ).status_code
        == 201
    )


def test_a_failure_worth_retrying_gives_the_key_back(
    client: TestClient, auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that rolled the request back (503): the retry with the same key does the work."""
    from sqlalchemy.exc import OperationalError

    from service.versions import workflows

    real = workflows.create_workflow
    calls: list[int] = []

    def flaky(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(**kwargs)

    monkeypatch.setattr(workflows, "create_workflow", flaky)
    headers = keyed(auth("workflows:edit"), "retry-me")
    body = {"name": "W", "definition": example("welcome-small")}
    assert_problem(client.post(API, json=body, headers=headers), 503, "transaction-conflict")
    assert key_rows(container) == []
    retried = client.post(API, json=body, headers=headers)
    assert retried.status_code == 201
    assert REPLAYED not in retried.headers
    assert count(container, WorkflowVersion) == 1


def test_an_answer_over_the_bound_is_replayed_without_its_body(
    auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.api.app import create_app

    monkeypatch.setattr(container.settings, "idempotency_max_answer_bytes", 100)
    with TestClient(create_app(container=container)) as client:
        headers = keyed(auth("workflows:edit"), "big")
        body = {"name": "W", "definition": example("nurture-50")}
        first = client.post(API, json=body, headers=headers)
        assert first.status_code == 201
        assert len(first.content) > 100
        again = client.post(API, json=body, headers=headers)
    assert (again.status_code, again.headers[REPLAYED], again.content) == (201, "true", b"")
    assert again.headers["location"] == first.headers["location"]
    assert count(container, WorkflowVersion) == 1


def test_the_sweep_deletes_expired_keys_of_every_tenant_and_only_those(
    client: TestClient, auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"name": "W", "definition": example("welcome-small")}
    for org in ("acme", "globex"):
        assert (
            client.post(API, json=body, headers=keyed(auth("workflows:edit", org=org), "old")).status_code
            == 201
        )
    # Claimed 25 hours ago, by a clock moved back (the database's own clock judges expiry
    # on PostgreSQL): these two have expired; the keys made now have not.
    past = datetime.now(UTC) - timedelta(hours=25)
    monkeypatch.setattr(container, "clock", lambda: past)
    for org in ("acme", "globex"):
        scope = KeyScope(org, "alice", f"ancient-{org}")
        assert isinstance(idempotency.claim(container, scope, "0" * 64), idempotency.Claim)
    monkeypatch.undo()
    assert expire_idempotency_keys.call_local() == 2  # the periodic task, as the worker runs it
    assert sorted(row.key for row in key_rows(container, "acme") + key_rows(container, "globex")) == [
        "old",
        "old",
    ]


def test_an_expired_key_is_a_new_key(
    client: TestClient, auth: TokenFactory, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = keyed(auth("workflows:edit"), "yesterday")
    body = {"name": "W", "definition": example("welcome-small")}
    assert client.post(API, json=body, headers=headers).status_code == 201
    tomorrow = datetime.now(UTC) + timedelta(seconds=container.settings.idempotency_ttl_seconds + 1)
    monkeypatch.setattr(container, "clock", lambda: tomorrow)
    again = client.post(API, json=body, headers=headers)
    assert again.status_code == 201
    assert REPLAYED not in again.headers
    assert count(container, WorkflowVersion) == 2


def test_without_a_key_nothing_is_stored(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    headers = auth("workflows:edit")
    created = create_workflow_via_api(client, headers)
    assert client.post(versions_url(created["id"], 1, "publish"), headers=headers).status_code == 200
    assert key_rows(container) == []


def test_a_reader_never_claims_a_key(client: TestClient, auth: TokenFactory, container: Container) -> None:
    answer = client.post(
        API,
        json={"name": "W", "definition": example("welcome-small")},
        headers=keyed(auth("workflows:read"), "k"),
    )
    assert_problem(answer, 403)
    assert key_rows(container) == []


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # SQLite has no row-level security
def test_row_level_security_shows_a_tenant_its_own_keys_only(
    client: TestClient, auth: TokenFactory, container: Container
) -> None:
    """On PostgreSQL the second wall: a query without a tenant filter sees its scope's keys
    (SQLite has no row-level security: the queries' own filters are the wall there)."""
    body = {"name": "W", "definition": example("welcome-small")}
    for org in ("acme", "globex"):
        assert (
            client.post(API, json=body, headers=keyed(auth("workflows:edit", org=org), "k")).status_code
            == 201
        )
    assert container.engine.dialect.name == "postgresql"
    with container.uow("acme") as uow:
        assert [row.tenant_id for row in uow.session.scalars(select(IdempotencyKey))] == ["acme"]
    with container.uow(None) as uow:
        assert list(uow.session.scalars(select(IdempotencyKey))) == []
    assert idempotency.expire(container) == 0  # none has expired: the sweep's policy deletes none
