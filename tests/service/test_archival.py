"""Archival rules, runs and their guards, on both databases, with a controllable clock."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from indexer import archival as sql
from indexer.models import ArchivalRun, AuditEntry, Execution, WorkflowVersion
from service.archival import runs as archival
from service.archival.runs import ArchivalInProgress, run_archival
from service.container import Container
from tests.factories import place_contacts, published_history

DAY = timedelta(days=1)


def at(container: Container, moment: datetime) -> None:
    """Move the container's clock (what runs, previews and admin actions read)."""
    container.clock = lambda: moment


def statuses(container: Container, workflow_id: uuid.UUID, org: str = "acme") -> dict[int, str]:
    with container.uow(org) as uow:
        rows = uow.session.execute(
            select(WorkflowVersion.version_number, WorkflowVersion.status).where(
                WorkflowVersion.workflow_id == workflow_id
            )
        )
        return dict(rows.all())


def archive_audits(container: Container, org: str = "acme") -> list[AuditEntry]:
    with container.uow(org) as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry).where(AuditEntry.tenant_id == org, AuditEntry.action == "archive")
            )
        )


def age_executions(container: Container, version_id: uuid.UUID, when: datetime) -> None:
    with container.uow("acme", write=True) as uow:
        uow.session.execute(
            update(Execution).where(Execution.version_id == version_id).values(updated_at=when)
        )
        uow.commit()


def hold(container: Container, version_id: uuid.UUID) -> None:
    with container.uow("acme", write=True) as uow:
        uow.session.execute(
            update(WorkflowVersion)
            .where(WorkflowVersion.id == version_id)
            .values(legal_hold_reason="audit 2026")
        )
        uow.commit()


@pytest.fixture
def scene(container: Container) -> dict[str, Any]:
    """v1..v6 published (v6 current), v7 a draft; keep 2; 200 days later, each of v1..v3
    kept by one rule (hold, live executions, executions 10 days ago), v4 archivable, v5 the
    second newest, v6 current."""
    container.settings.keep_versions = 2
    workflow_id, *ids = published_history(container, 6, drafts=1)
    now = datetime.now(UTC) + 200 * DAY
    hold(container, ids[0])
    place_contacts(container, "acme", str(workflow_id), str(ids[1]), {"welcome": 1}, status="waiting")
    place_contacts(container, "acme", str(workflow_id), str(ids[2]), {"welcome": 2}, status="completed")
    age_executions(container, ids[2], now - 10 * DAY)
    place_contacts(container, "acme", str(workflow_id), str(ids[3]), {"welcome": 1}, status="exited")
    age_executions(container, ids[3], now - 100 * DAY)
    at(container, now)
    return {"workflow_id": workflow_id, "ids": ids, "now": now}


def test_each_rule_keeps_its_version_and_only_the_idle_one_is_archived(
    container: Container, scene: dict[str, Any]
) -> None:
    with container.uow("acme") as uow:
        report = archival.preview(uow, "acme", now=scene["now"], workflow_id=None, limit=100)
    assert [c.version_number for c in report.candidates] == [4]
    assert {c.version_number: [r.value for r in c.kept_by] for c in report.near_misses} == {
        1: ["legal_hold"],
        2: ["live_executions"],
        3: ["recent_executions"],
        5: ["keep_newest"],
    }
    assert report.examined == 7
    assert report.would_archive == 1

    run = run_archival(container, "acme", trigger="manual", actor="alice")
    assert (run.status, run.examined, run.archived, run.batches) == ("completed", 7, 1, 1)
    assert run.skipped == {
        "legal_hold": 1,
        "live_executions": 1,
        "recent_executions": 1,
        "keep_newest": 1,
        "current": 1,
        "draft": 1,
    }
    assert run.finished_at is not None
    assert statuses(container, scene["workflow_id"]) == {
        1: "active",
        2: "active",
        3: "active",
        4: "archived",
        5: "active",
        6: "active",
        7: "draft",
    }
    [entry] = archive_audits(container)
    assert entry.version_id == scene["ids"][3]
    assert entry.actor_id == "alice"
    assert entry.details["run_id"] == str(run.id)


def test_young_versions_are_kept_until_the_age_is_reached(container: Container) -> None:
    container.settings.keep_versions = 1
    workflow_id, *_ = published_history(container, 3)
    published = datetime.now(UTC)
    at(container, published + 89 * DAY)
    young = run_archival(container, "acme", trigger="manual", actor="alice")
    assert young.archived == 0
    assert young.skipped == {"recently_published": 2, "current": 1}
    at(container, published + 91 * DAY)
    old = run_archival(container, "acme", trigger="manual", actor="alice")
    assert old.archived == 2
    assert statuses(container, workflow_id) == {1: "archived", 2: "archived", 3: "active"}


def test_the_newest_ten_are_kept_by_default(container: Container) -> None:
    workflow_id, *_ = published_history(container, 12)
    at(container, datetime.now(UTC) + 365 * DAY)
    run = run_archival(container, "acme", trigger="manual", actor="alice")
    assert run.archived == 2
    assert run.skipped == {"current": 1, "keep_newest": 9}
    assert [n for n, s in statuses(container, workflow_id).items() if s == "archived"] == [1, 2]


def test_a_second_run_changes_nothing(container: Container, scene: dict[str, Any]) -> None:
    first = run_archival(container, "acme", trigger="manual", actor="alice")
    second = run_archival(container, "acme", trigger="manual", actor="alice")
    assert (first.archived, second.archived) == (1, 0)
    assert second.examined == 6  # the archived version is no longer examined
    assert len(archive_audits(container)) == 1


def test_the_guarded_update_counts_only_rows_it_changed(container: Container, scene: dict[str, Any]) -> None:
    target, current = scene["ids"][3], scene["ids"][5]
    with container.uow("acme", write=True) as uow:
        first = sql.archive_versions(uow.session, "acme", [target, current], scene["now"])
        again = sql.archive_versions(uow.session, "acme", [target], scene["now"])
        uow.commit()
    assert [row[0] for row in first] == [target]  # the current version is refused in SQL
    assert again == []


def test_two_runs_at_once_archive_each_version_once(container: Container) -> None:
    container.settings.keep_versions = 1
    container.settings.archival_batch_workflows = 1  # many small transactions: more overlap
    workflows = [published_history(container, 4)[0] for _ in range(4)]
    at(container, datetime.now(UTC) + 200 * DAY)
    outcomes: list[Any] = []
    barrier = threading.Barrier(2)

    def one() -> None:
        barrier.wait()
        try:
            outcomes.append(run_archival(container, "acme", trigger="scheduled", actor="system:archival"))
        except ArchivalInProgress as busy:
            outcomes.append(busy)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    runs = [o for o in outcomes if isinstance(o, ArchivalRun)]
    assert len(outcomes) == 2
    assert runs
    assert sum(run.archived for run in runs) == 12
    assert len(archive_audits(container)) == 12
    for workflow_id in workflows:
        assert statuses(container, workflow_id) == {1: "archived", 2: "archived", 3: "archived", 4: "active"}


def _insert_run(container: Container, *, heartbeat: datetime, cursor: uuid.UUID | None) -> uuid.UUID:
    run_id = uuid.uuid4()
    with container.uow("acme", write=True) as uow:
        uow.session.add(
            ArchivalRun(
                id=run_id,
                tenant_id="acme",
                trigger="scheduled",
                triggered_by="system:archival",
                status="running",
                started_at=heartbeat,
                heartbeat_at=heartbeat,
                cutoff=heartbeat - 90 * DAY,
                keep_versions=1,
                cursor=cursor,
                batches=1,
                examined=0,
                archived=0,
                skipped={},
            )
        )
        uow.commit()
    return run_id


def test_a_live_run_in_the_database_refuses_a_second(container: Container, scene: dict[str, Any]) -> None:
    _insert_run(container, heartbeat=scene["now"] - timedelta(minutes=1), cursor=None)
    with pytest.raises(ArchivalInProgress):
        run_archival(container, "acme", trigger="manual", actor="alice")
    assert archive_audits(container) == []
    assert statuses(container, scene["workflow_id"])[4] == "active"


def test_a_stalled_run_is_resumed_from_its_cursor(container: Container) -> None:
    ids = sorted(published_history(container, 3)[0] for _ in range(3))
    now = datetime.now(UTC) + 200 * DAY
    at(container, now)
    stalled = _insert_run(container, heartbeat=now - timedelta(hours=1), cursor=ids[0])
    run = run_archival(container, "acme", trigger="scheduled", actor="system:archival")
    assert run.id == stalled
    assert (run.status, run.archived, run.batches) == ("completed", 4, 2)
    assert statuses(container, ids[0]) == {1: "active", 2: "active", 3: "active"}  # before the cursor
    assert statuses(container, ids[1]) == {1: "archived", 2: "archived", 3: "active"}


def test_a_run_a_killed_worker_left_is_carried_on_at_once(container: Container) -> None:
    """A consumer that starts carries on the run left ``running`` (its heartbeat still
    fresh, so a scheduled run would refuse it), from its cursor; two carrying it on at once
    take its batches in turn."""
    container.settings.archival_batch_workflows = 1
    ids = sorted(published_history(container, 3)[0] for _ in range(3))
    now = datetime.now(UTC) + 200 * DAY
    at(container, now)
    left = _insert_run(container, heartbeat=now - timedelta(seconds=5), cursor=ids[0])
    assert archival.running_run_id(container, "acme") == left
    with pytest.raises(ArchivalInProgress):
        run_archival(container, "acme", trigger="scheduled", actor="system:archival")
    finished: list[ArchivalRun] = []
    threads = [threading.Thread(target=lambda: finished.append(archival.carry_on(container, "acme", left)))]
    threads.append(
        threading.Thread(target=lambda: finished.append(archival.carry_on(container, "acme", left)))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [(r.id, r.status) for r in finished] == [(left, "completed")] * 2
    assert finished[0].archived == finished[1].archived == 4  # ids[1] and ids[2]: v1, v2 each
    assert len(archive_audits(container)) == 4
    assert archival.running_run_id(container, "acme") is None


def test_runs_and_candidates_stay_in_their_tenant(container: Container, scene: dict[str, Any]) -> None:
    other, *_ = published_history(container, 3, org="globex")
    globex = run_archival(container, "globex", trigger="manual", actor="gina")
    assert globex.archived == 1  # globex's v1 (keep 2 of 3)
    assert statuses(container, other, "globex") == {1: "archived", 2: "active", 3: "active"}
    assert statuses(container, scene["workflow_id"])[4] == "active"  # acme untouched
    acme = run_archival(container, "acme", trigger="manual", actor="alice")
    with container.uow("globex") as uow:
        assert [r.id for r in sql.list_runs(uow.session, "globex", 10)] == [globex.id]
        assert sql.get_run(uow.session, "globex", acme.id) is None
        report = archival.preview(uow, "globex", now=scene["now"], workflow_id=None, limit=10)
    assert {c.workflow_id for c in report.near_misses} == {other}
    assert [a.workflow_id for a in archive_audits(container, "globex")] == [other]
