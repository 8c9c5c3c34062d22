# ruff: noqa: F811 (the tests take the imported ``flow`` fixture)
"""Pins, on both databases: pinned contacts are never moved by a migration (each gets a
``pinned`` item), unpinned they move again; the routes are idempotent, audited without
contact ids, and refuse bad input; a rollout's migrate-back skips them too."""

import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry, Execution, VersionMigration
from service.container import Container
from service.executions.runner import run_batches
from service.rollouts import migrate_back
from tests.factories import assert_problem, place_contacts, published_history
from tests.service.test_migrations import _migrate, flow  # noqa: F401 (flow: the migrations' fixture)

API = "/api/v1/workflows"


def _pin(client: TestClient, auth, wid: str, contacts: list[str], *, delete: bool = False) -> Any:
    path = f"{API}/{wid}/pins" + ("/delete" if delete else "")
    return client.post(path, json={"contact_ids": contacts}, headers=auth("workflows:edit"))


def _version_of(container: Container, wid: str) -> dict[str, int]:
    from indexer.models import WorkflowVersion

    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(Execution.contact_id, WorkflowVersion.version_number)
            .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
            .where(Execution.workflow_id == uuid.UUID(wid))
        )
        return dict(rows.all())


def test_pinning_is_idempotent_listed_and_audited_without_contact_ids(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    first = _pin(client, auth, wid, ["c-20", "c-21", "nobody", "c-20"])
    assert first.status_code == 200, first.text
    assert first.json() == {"pinned": 3, "unpinned": 0, "unchanged": 0}
    assert _pin(client, auth, wid, ["c-20", "c-22"]).json() == {"pinned": 1, "unpinned": 0, "unchanged": 1}
    page = client.get(f"{API}/{wid}/pins", params={"limit": 2}, headers=auth("workflows:read")).json()
    assert [p["contact_id"] for p in page["items"]] == ["c-20", "c-21"]
    rest = client.get(
        f"{API}/{wid}/pins", params={"cursor": page["next_cursor"]}, headers=auth("workflows:read")
    ).json()
    assert [p["contact_id"] for p in rest["items"]] == ["c-22", "nobody"]
    assert rest["next_cursor"] is None
    assert rest["items"][1]["version_id"] is None  # no live execution: pinned all the same
    with container.uow("acme") as uow:
        v1 = uow.session.scalars(select(Execution.version_id).where(Execution.contact_id == "c-20")).one()
    assert page["items"][0]["version_id"] == str(v1)
    assert _pin(client, auth, wid, ["c-21", "never"], delete=True).json() == {
        "pinned": 0,
        "unpinned": 1,
        "unchanged": 1,
    }
    with container.uow("acme") as uow:
        entries = uow.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(("pins_add", "pins_remove")))
            .order_by(AuditEntry.id)
        ).all()
    assert [(e.action, e.details) for e in entries] == [
        ("pins_add", {"pinned": 3, "unchanged": 0}),
        ("pins_add", {"pinned": 1, "unchanged": 1}),
        ("pins_remove", {"unpinned": 1, "unchanged": 1}),
    ]
    assert not any("c-2" in json.dumps(e.details) for e in entries)


def test_bad_pin_requests_are_problems_that_change_nothing(
    client: TestClient, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    assert_problem(_pin(client, auth, wid, []), 422)
    assert_problem(_pin(client, auth, wid, ["bad\x01id"]), 422)
    assert_problem(_pin(client, auth, wid, [f"c-{i}" for i in range(10_001)]), 422)
    assert_problem(_pin(client, auth, str(uuid.uuid4()), ["c-1"]), 404)
    reads = client.get(f"{API}/{wid}/pins", params={"cursor": "garbage"}, headers=auth("workflows:read"))
    assert_problem(reads, 400)
    other = client.post(
        f"{API}/{wid}/pins", json={"contact_ids": ["c-1"]}, headers=auth("workflows:admin", org="globex")
    )
    assert_problem(other, 404)
    assert client.get(f"{API}/{wid}/pins", headers=auth("workflows:read")).json()["items"] == []


def test_a_migration_never_moves_pinned_contacts_and_moves_them_once_unpinned(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    pinned = ["c-20", "c-21", "c-0"]  # two at 'welcome' (mapped), one at 'reminder' (unmapped)
    assert _pin(client, auth, wid, pinned).status_code == 200
    plan = _migrate(client, auth, wid, dry_run=True).json()
    assert plan["total"] == 27  # the dry run does not count pinned contacts as moving
    response = _migrate(client, auth, wid, batch_size=100)
    assert response.status_code == 202, response.text
    done = client.get(response.headers["Location"], headers=auth("workflows:read")).json()
    assert (done["status"], done["migrated"], done["failed"], done["skipped"]) == ("completed", 18, 9, 3)
    where = _version_of(container, wid)
    assert {c: where[c] for c in pinned} == {"c-20": 1, "c-21": 1, "c-0": 1}
    items = client.get(
        f"{API}/{wid}/migrations/{done['id']}/items",
        params={"outcome": "pinned"},
        headers=auth("workflows:read"),
    ).json()["items"]
    with container.uow("acme") as uow:
        ids = dict(uow.session.execute(select(Execution.contact_id, Execution.id)).all())
    assert sorted(i["execution_id"] for i in items) == sorted(str(ids[c]) for c in pinned)
    assert {(i["outcome"], i["reason"]) for i in items} == {("pinned", "pinned to its version")}

    assert _pin(client, auth, wid, pinned, delete=True).json()["unpinned"] == 3
    again = _migrate(client, auth, wid, batch_size=100)
    assert again.status_code == 202, again.text
    where = _version_of(container, wid)
    assert (where["c-20"], where["c-21"], where["c-0"]) == (2, 2, 1)  # c-0: 'reminder' fails


def test_a_manual_migration_reports_a_listed_pinned_contact(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    _pin(client, auth, wid, ["c-20"])
    response = _migrate(client, auth, wid, strategy="manual", contact_ids=["c-20", "c-21"])
    done = client.get(response.headers["Location"], headers=auth("workflows:read")).json()
    assert (done["status"], done["migrated"], done["skipped"], done["total"]) == ("completed", 1, 1, 2)
    outcomes = client.get(
        f"{API}/{wid}/migrations/{done['id']}/items", headers=auth("workflows:read")
    ).json()["items"]
    assert [i["outcome"] for i in outcomes] == ["pinned"]
    assert _version_of(container, wid)["c-20"] == 1


def test_a_rollouts_migrate_back_skips_pinned_contacts(container: Container) -> None:
    wid, v1, v2 = published_history(container, 1, drafts=1)
    place_contacts(container, "acme", str(wid), str(v2), {"welcome": 4})
    held = f"{str(v2)[:8]}-welcome-0-waiting"
    with container.uow("acme", write=True) as uow:
        from service.auth.system import system_principal
        from service.executions import pins

        pins.pin(uow=uow, principal=system_principal("acme", "admin"), workflow_id=wid, contact_ids=[held])
        uow.commit()
    with container.uow("acme", write=True) as uow:
        started = migrate_back.start(uow, migrate_back.system_actor("acme"), wid, 2, 1)
        assert started is not None
        migration_id = started.id
        uow.commit()
    assert run_batches(container, "acme", migration_id, generation=1) == "done"
    with container.uow("acme") as uow:
        migration = uow.session.get(VersionMigration, migration_id)
        assert migration is not None
        assert (migration.migrated, migration.skipped) == (3, 1)
        rows = dict(uow.session.execute(select(Execution.contact_id, Execution.version_id)).all())
    assert rows.pop(held) == v2
    assert set(rows.values()) == {v1}
