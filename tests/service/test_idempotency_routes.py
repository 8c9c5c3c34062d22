"""Every POST that creates or acts takes an Idempotency-Key, on both databases: the first
request does its work, the same request again under the key gets the same answer
(``Idempotent-Replayed: true``) and changes nothing in the index."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from indexer.models import AuditEntry, Execution, ReviewEvent, VersionMigration, WorkflowVersion
from service.container import Container
from tests.conftest import TokenFactory
from tests.factories import (
    API,
    create_workflow_via_api,
    example,
    migration_ready,
    post_publish,
    published_history,
    versions_url,
)

KEY = "Idempotency-Key"


@dataclass
class Call:
    url: str
    body: Any = None
    user: str = "alice"
    permission: str = "workflows:admin"


Setup = Callable[[TestClient, TokenFactory, Container], Call]


def _admin(auth: TokenFactory) -> dict[str, str]:
    return auth("workflows:admin")


def _workflow(client: TestClient, auth: TokenFactory, *, published: int = 0) -> str:
    wid = str(create_workflow_via_api(client, _admin(auth))["id"])
    for number in range(1, published + 1):
        if number > 1:
            answer = client.post(
                versions_url(wid), json={"definition": example("welcome-small-a")}, headers=_admin(auth)
            )
            assert answer.status_code == 201
        post_publish(client, _admin(auth), wid, number)
    return wid


def create_workflow(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    return Call(API, {"name": "Welcome", "definition": example("welcome-small")}, permission="workflows:edit")


def create_version(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    return Call(versions_url(_workflow(client, auth)), {"message": "next"}, permission="workflows:edit")


def publish(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    return Call(versions_url(_workflow(client, auth), 1, "publish"), permission="workflows:edit")


def rollback(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    return Call(versions_url(_workflow(client, auth, published=2), 1, "rollback"))


def draft_commit(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid = _workflow(client, auth)
    saved = client.post(
        versions_url(wid, 1, "draft"),
        json={"revision": 0, "definition": example("welcome-small-b")},
        headers=_admin(auth),
    )
    assert saved.status_code == 200, saved.text
    return Call(versions_url(wid, 1, "draft", "commit"), {"lock_version": 1})


def _review(client: TestClient, auth: TokenFactory) -> tuple[str, str]:
    wid = _workflow(client, auth, published=1)
    assert (
        client.post(
            versions_url(wid), json={"definition": example("welcome-small-b")}, headers=_admin(auth)
        ).status_code
        == 201
    )
    opened = client.post(versions_url(wid, 2, "reviews"), json={"title": "b"}, headers=_admin(auth))
    assert opened.status_code == 201, opened.text
    return wid, str(opened.json()["id"])


def open_review(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid = _workflow(client, auth, published=1)
    assert (
        client.post(
            versions_url(wid), json={"definition": example("welcome-small-b")}, headers=_admin(auth)
        ).status_code
        == 201
    )
    return Call(versions_url(wid, 2, "reviews"), {"title": "please look"}, permission="workflows:edit")


def comment(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, review = _review(client, auth)
    return Call(f"{API}/{wid}/reviews/{review}/comments", {"body": "fine", "action_id": "welcome"})


def verdict(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, review = _review(client, auth)
    return Call(
        f"{API}/{wid}/reviews/{review}/verdicts",
        {"verdict": "approve"},
        user="bob",
        permission="workflows:edit",
    )


def enrol(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid = _workflow(client, auth, published=1)
    return Call(f"{API}/{wid}/executions", {"contact_ids": ["c-1", "c-2"]}, permission="workflows:edit")


def positions(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid = _workflow(client, auth, published=1)
    assert (
        client.post(
            f"{API}/{wid}/executions", json={"contact_ids": ["c-1"]}, headers=_admin(auth)
        ).status_code
        == 201
    )
    moves = [{"contact_id": "c-1", "action_id": "wait-1d", "status": "waiting"}]
    return Call(f"{API}/{wid}/executions/positions", {"moves": moves}, permission="workflows:edit")


def migrate(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, _ = migration_ready(container, 4)
    return Call(versions_url(wid, 2, "migrate"), {"from_versions": [1]}, permission="workflows:edit")


def migrate_dry_run(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, _ = migration_ready(container, 4)
    return Call(versions_url(wid, 2, "migrate"), {"from_versions": [1], "dry_run": True})


def _gradual(client: TestClient, auth: TokenFactory, container: Container) -> tuple[str, str]:
    """A gradual migration between its steps (the next one five minutes away)."""
    wid, _ = migration_ready(container, 4)
    body = {"from_versions": [1], "strategy": "gradual", "step_percent": 50, "interval_seconds": 300}
    started = client.post(versions_url(wid, 2, "migrate"), json=body, headers=_admin(auth))
    assert started.status_code == 202, started.text
    return str(wid), str(started.json()["id"])


def pause(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, mid = _gradual(client, auth, container)
    return Call(f"{API}/{wid}/migrations/{mid}/pause")


def resume(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, mid = _gradual(client, auth, container)
    assert client.post(f"{API}/{wid}/migrations/{mid}/pause", headers=_admin(auth)).status_code == 200
    return Call(f"{API}/{wid}/migrations/{mid}/resume", {"failure_threshold": 0.5})


def cancel(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid, mid = _gradual(client, auth, container)
    return Call(f"{API}/{wid}/migrations/{mid}/cancel")


def _long_published(container: Container) -> str:
    """v1..v3 published, the policy keeping one, the clock 200 days on: v1 and v2 archivable."""
    container.settings.keep_versions = 1
    workflow_id = str(published_history(container, 3)[0])
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    return workflow_id


def archive_versions(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    _long_published(container)
    return Call("/api/v1/admin/workflows/archive-versions", {})


def unarchive(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    wid = _long_published(container)
    archived = client.post("/api/v1/admin/workflows/archive-versions", json={}, headers=_admin(auth))
    assert archived.json()["archived"] == 2, archived.text
    return Call(versions_url(wid, 1, "unarchive"))


def legal_hold(client: TestClient, auth: TokenFactory, container: Container) -> Call:
    return Call(versions_url(_workflow(client, auth, published=1), 1, "legal-hold"), {"reason": "litigation"})


ROUTES: list[Setup] = [
    create_workflow,
    create_version,
    publish,
    rollback,
    draft_commit,
    open_review,
    comment,
    verdict,
    enrol,
    positions,
    migrate,
    migrate_dry_run,
    pause,
    resume,
    cancel,
    archive_versions,
    unarchive,
    legal_hold,
]


def index_state(container: Container, tenant: str = "acme") -> dict[str, Any]:
    """What a route's work shows in the index: versions and their locks, executions and
    where they are, migrations and their progress, how many audit and review entries."""
    with container.uow(tenant) as uow:
        session = uow.session
        versions = session.execute(
            select(
                WorkflowVersion.id,
                WorkflowVersion.lock_version,
                WorkflowVersion.status,
                WorkflowVersion.is_current,
            )
            .where(WorkflowVersion.tenant_id == tenant)
            .order_by(WorkflowVersion.id)
        ).all()
        executions = session.execute(
            select(Execution.contact_id, Execution.version_id, Execution.current_action_id, Execution.status)
            .where(Execution.tenant_id == tenant)
            .order_by(Execution.contact_id)
        ).all()
        migrations = session.execute(
            select(VersionMigration.id, VersionMigration.status)
            .where(VersionMigration.tenant_id == tenant)
            .order_by(VersionMigration.id)
        ).all()
        counted = {
            model.__tablename__: session.scalar(
                select(func.count()).select_from(model).where(model.tenant_id == tenant)
            )
            for model in (AuditEntry, ReviewEvent)
        }
    return {"versions": versions, "executions": executions, "migrations": migrations, **counted}


@pytest.mark.parametrize("setup", ROUTES, ids=[setup.__name__ for setup in ROUTES])
def test_each_route_replays_its_first_answer_and_does_nothing_again(
    client: TestClient, auth: TokenFactory, container: Container, setup: Setup
) -> None:
    call = setup(client, auth, container)
    headers = {**auth(call.permission, user=call.user), KEY: f"key-{setup.__name__}"}
    before = index_state(container)
    first = client.post(call.url, json=call.body, headers=headers)
    assert 200 <= first.status_code < 300, first.text
    assert "idempotent-replayed" not in first.headers
    done = index_state(container)
    assert done != before or setup is migrate_dry_run  # the work was done (a dry run does none)
    again = client.post(call.url, json=call.body, headers=headers)
    assert (again.status_code, again.headers.get("idempotent-replayed")) == (first.status_code, "true")
    assert again.content == first.content
    for name in ("location", "etag", "content-type"):
        assert again.headers.get(name) == first.headers.get(name)
    assert index_state(container) == done


def test_every_post_of_the_api_takes_an_idempotency_key(client: TestClient) -> None:
    """What the README promises, for every route there is and every route to come: a POST
    of ``/api/v1`` that did not take the key would do its work twice on a retry. Read from
    the OpenAPI document, which is what clients are generated from."""
    app = client.app
    assert isinstance(app, FastAPI)
    # Draft auto-saves are idempotent already: each names the revision it is based on.
    exempt = {"/api/v1/workflows/{workflow_id}/versions/{version}/draft"}
    posts = {
        path: operation
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
        if method == "post" and path.startswith("/api/v1/") and path not in exempt
    }
    assert len(posts) > 20
    without = [
        path
        for path, operation in posts.items()
        if not any(
            p["in"] == "header" and p["name"].lower() == "idempotency-key"
            for p in operation.get("parameters", [])
        )
    ]
    assert without == []
