# ruff: noqa: F811 (the tests take the imported ``flow`` fixture)
"""Undoing a migration, on both databases (the queue inline here; a real worker killed
mid-revert in tests/faults/test_revert_killed.py): a revert after the engine moved some
contacts restores exactly the others, contact by contact, each journey ending with a
revert row; pinned and blocked ones stay and are listed; the job is idempotent; refusals
are 409 problems that change nothing."""

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from indexer.models import (
    AuditEntry,
    Execution,
    JourneyEvent,
    MigrationRevert,
    VersionMigration,
    WorkflowVersion,
)
from service.container import Container
from service.executions import reverts
from service.executions.revert_runner import run_batches
from tests.factories import assert_problem, principal
from tests.service.test_migrations import _migrate, flow  # noqa: F401 (flow: the migrations' fixture)

API = "/api/v1/workflows"


def _where(
    container: Container, wid: str, skip: uuid.UUID | None = None
) -> dict[str, tuple[int, str | None, str]]:
    """Where each contact's execution is (``skip``: a second execution of a contact)."""
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(
                Execution.contact_id,
                WorkflowVersion.version_number,
                Execution.current_action_id,
                Execution.status,
            )
            .join(WorkflowVersion, WorkflowVersion.id == Execution.version_id)
            .where(Execution.workflow_id == uuid.UUID(wid), Execution.id != (skip or uuid.uuid4()))
        )
        return {c: (n, a, s) for c, n, a, s in rows}


def _migrated(client: TestClient, auth, wid: str) -> str:
    """v1 -> v2 with the exit policy: 20 moved, the 10 on 'reminder' exited."""
    response = _migrate(client, auth, wid, unmapped="exit", batch_size=100)
    assert response.status_code == 202, response.text
    done = client.get(response.headers["Location"], headers=auth("workflows:read")).json()
    assert (done["status"], done["migrated"], done["skipped"]) == ("completed", 20, 10)
    return str(done["id"])


def _revert_url(wid: str, mid: str, tail: str = "") -> str:
    return f"{API}/{wid}/migrations/{mid}/revert{tail}"


def _live_again(container: Container, wid: str, contact: str) -> uuid.UUID:
    """The contact enrols again on v2 (a new execution), as the engine might once exited."""
    now = datetime.now(UTC)
    with container.uow("acme", write=True) as uow:
        v2 = uow.session.scalars(
            select(WorkflowVersion.id).where(
                WorkflowVersion.workflow_id == uuid.UUID(wid), WorkflowVersion.version_number == 2
            )
        ).one()
        new = uuid.uuid4()
        uow.session.add(
            Execution(
                id=new,
                tenant_id="acme",
                workflow_id=uuid.UUID(wid),
                version_id=v2,
                contact_id=contact,
                current_action_id="welcome",
                status="active",
                enrolled_at=now,
                updated_at=now,
            )
        )
        uow.commit()
    return new


def test_a_revert_restores_exactly_the_executions_not_moved_since(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    before = _where(container, wid)
    mid = _migrated(client, auth, wid)
    after_migration = _where(container, wid)
    # The engine moves two, one is pinned, one exited contact is live again elsewhere.
    moves = [{"contact_id": c, "action_id": "tips", "status": "waiting"} for c in ("c-15", "c-16")]
    posted = client.post(
        f"{API}/{wid}/executions/positions", json={"moves": moves}, headers=auth("workflows:edit")
    )
    assert posted.status_code == 200, posted.text
    assert (
        client.post(
            f"{API}/{wid}/pins", json={"contact_ids": ["c-17"]}, headers=auth("workflows:edit")
        ).status_code
        == 200
    )
    again = _live_again(container, wid, "c-0")

    plan = client.post(_revert_url(wid, mid), json={"dry_run": True}, headers=auth("workflows:edit"))
    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert (body["total"], body["restorable"], body["moved_since"], body["pinned"], body["blocked"]) == (
        30,
        26,
        2,
        1,
        1,
    )
    assert {o["contact_id"]: o["reason"] for o in body["others"]} == {
        "c-15": "moved_since",
        "c-16": "moved_since",
        "c-17": "pinned",
        "c-0": "blocked",
    }
    assert _where(container, wid, skip=again) == after_migration | {
        c: now_c for c, now_c in _where(container, wid, skip=again).items() if c in ("c-15", "c-16")
    }  # the dry run moved nothing

    started = client.post(_revert_url(wid, mid), json={}, headers=auth("workflows:edit"))
    assert started.status_code == 202, started.text
    state = client.get(_revert_url(wid, mid), headers=auth("workflows:read")).json()
    assert (state["status"], state["total"], state["restored"]) == ("completed", 30, 26)
    assert (state["moved_since"], state["pinned"], state["blocked"]) == (2, 1, 1)

    now = _where(container, wid, skip=again)
    kept = {"c-15", "c-16", "c-17"}
    for contact in (f"c-{i}" for i in range(30)):
        if contact in kept:
            assert now[contact][0] == 2, contact
        elif contact == "c-0":
            assert now[contact] == after_migration[contact]  # exited, and stays so
        else:
            assert now[contact] == before[contact], contact
    assert now["c-15"] == (2, "tips", "waiting")

    with container.uow("acme") as uow:
        revert_id = uow.session.scalars(select(MigrationRevert.id)).one()
        last = {}
        for row in uow.session.scalars(
            select(JourneyEvent).where(JourneyEvent.workflow_id == uuid.UUID(wid)).order_by(JourneyEvent.seq)
        ):
            last[row.contact_id] = row
        reverted = uow.session.scalar(
            select(func.count()).select_from(JourneyEvent).where(JourneyEvent.cause_id == revert_id)
        )
        actions = [e.action for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert reverted == 26
    assert {c for c, row in last.items() if row.cause == "revert"} == {
        f"c-{i}" for i in range(1, 30) if f"c-{i}" not in kept
    }
    assert actions[-2:] == ["migration_revert_start", "migration_revert_complete"]

    others = client.get(
        _revert_url(wid, mid, "/others"), params={"limit": 3}, headers=auth("workflows:read")
    ).json()
    rest = client.get(
        _revert_url(wid, mid, "/others"),
        params={"cursor": others["next_cursor"]},
        headers=auth("workflows:read"),
    ).json()
    listed = {
        o["contact_id"]: (o["reason"], o["version_number"], o["status"])
        for o in others["items"] + rest["items"]
    }
    assert listed == {
        "c-15": ("moved_since", 2, "waiting"),
        "c-16": ("moved_since", 2, "waiting"),
        "c-17": ("pinned", 2, "active"),
        "c-0": ("blocked", 1, "exited"),
    }
    second = client.post(_revert_url(wid, mid), json={"dry_run": True}, headers=auth("workflows:edit"))
    assert_problem(second, 409, "revert-conflict")


def test_refusals_are_conflicts_that_change_nothing(
    client: TestClient, container: Container, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    mid = _migrated(client, auth, wid)
    edit = auth("workflows:edit")
    with container.uow("acme", write=True) as uow:
        uow.session.execute(update(VersionMigration).values(status="paused"))
        uow.commit()
    assert_problem(client.post(_revert_url(wid, mid), json={}, headers=edit), 409, "revert-conflict")
    with container.uow("acme", write=True) as uow:
        uow.session.execute(update(VersionMigration).values(status="completed"))
        uow.session.execute(
            update(WorkflowVersion)
            .where(WorkflowVersion.workflow_id == uuid.UUID(wid), WorkflowVersion.version_number == 1)
            .values(status="archived")
        )
        uow.commit()
    refused = client.post(_revert_url(wid, mid), json={}, headers=edit)
    assert_problem(refused, 409, "revert-conflict")
    assert "v1 is archived" in refused.json()["detail"]
    assert_problem(client.post(_revert_url(wid, str(uuid.uuid4())), json={}, headers=edit), 404)
    assert_problem(client.get(_revert_url(wid, mid), headers=auth("workflows:read")), 404, "revert-not-found")
    assert_problem(client.post(_revert_url(wid, mid), json={"dry_run": "maybe"}, headers=edit), 422)
    with container.uow("acme") as uow:
        assert uow.session.scalar(select(func.count()).select_from(MigrationRevert)) == 0


def test_the_revert_job_run_twice_restores_once(
    container: Container, client: TestClient, auth, flow: dict[str, str]
) -> None:
    wid = flow["wid"]
    mid = _migrated(client, auth, wid)
    with container.uow("acme", write=True) as uow:
        uow.services.jobs = _NoJobs()  # type: ignore[assignment]
        revert = reverts.start_revert(
            uow=uow,
            principal=principal(),
            workflow_id=uuid.UUID(wid),
            migration_id=uuid.UUID(mid),
            dry_run=False,
        )
        assert isinstance(revert, MigrationRevert)
        revert_id = revert.id
        uow.commit()
    # Two jobs of the same chain (a duplicate delivery), small batches, interleaved.
    outcomes: list[Any] = []
    for _ in range(10):
        outcomes.append(
            run_batches(container, "acme", revert_id, generation=1, batch_size=4, budget_seconds=0)
        )
    assert outcomes[:8] == ["more"] * 7 + ["done"]
    assert set(outcomes[8:]) == {"stopped"}
    with container.uow("acme") as uow:
        done = uow.session.get(MigrationRevert, revert_id)
        assert done is not None
        assert (done.status, done.restored, done.total) == ("completed", 30, 30)
        per_execution = uow.session.execute(
            select(JourneyEvent.execution_id, func.count())
            .where(JourneyEvent.cause_id == revert_id)
            .group_by(JourneyEvent.execution_id)
        ).all()
    assert len(per_execution) == 30
    assert {n for _, n in per_execution} == {1}


class _NoJobs:
    def run_revert(self, *_: Any, **__: Any) -> None:
        return None
