"""A rollout's schedule with the clock of record held (``tests.factories.clock_at``), on
both databases: each step once, on time, never two at a time; the publish at the end; the
job asked for at each step change; and the rows restored by ``wfv reindex`` from the
notes, with the audit entries kept."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from indexer.models import AuditEntry, Rollout, VersionMigration, Workflow
from schemas.executions import PositionMove
from schemas.history import ROLLOUTS_NOTES_REF
from schemas.rollouts import RolloutCreate, parse_note
from service.container import Container
from service.executions import enrolment, reports
from service.healing.scan import reindex_all
from service.rollouts import control, start, view
from service.rollouts.schedule import advance_due
from tests.factories import clock_at, empty_index, example, git_cli, principal, published_history

T0 = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
WHO = principal()
STEPS = [{"percent": 10, "seconds": 60}, {"percent": 50, "seconds": 120}, {"percent": 100, "seconds": 60}]


class Recording:
    """A queue that records what it is asked for and runs nothing."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, uuid.UUID, datetime]] = []

    def run_migration(self, *_: Any, **__: Any) -> None:
        return None

    def run_revert(self, *_: Any, **__: Any) -> None:
        return None

    def deliver_webhook(self, *_: Any, **__: Any) -> None:
        return None

    def advance_rollout(self, tenant_id: str, rollout_id: uuid.UUID, when: datetime) -> None:
        self.asked.append((tenant_id, rollout_id, when))


def at(seconds: float) -> Any:
    return clock_at(T0 + timedelta(seconds=seconds))


def rolled_out(
    container: Container, cohort: list[str] | None = None, guard: dict[str, Any] | None = None
) -> tuple[uuid.UUID, uuid.UUID]:
    """v1 current, v2 a draft rolled out at T0; returns (workflow id, rollout id)."""
    with at(-10):
        workflow_id, _, _ = published_history(
            container, 1, drafts=1, documents=[example("welcome-small"), example("welcome-small-a")]
        )
    with at(0), container.uow("acme", write=True) as uow:
        rollout = start.start_rollout(
            uow=uow,
            principal=WHO,
            workflow_id=workflow_id,
            ref=2,
            request=RolloutCreate.model_validate(
                {"steps": STEPS, "cohort": cohort or [], "guard": guard or {}}
            ),
        )
        uow.commit()
        return workflow_id, rollout.id


def state(container: Container) -> tuple[str, int, datetime | None, int]:
    with container.uow("acme") as uow:
        row = uow.session.scalars(select(Rollout)).one()
        return row.state, row.step_index, row.next_step_at, row.revision


def actions(container: Container) -> list[str]:
    with container.uow("acme") as uow:
        return list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_each_step_is_taken_once_when_due_then_the_target_is_published(container: Container) -> None:
    container.jobs = queue = Recording()
    workflow_id, rollout_id = rolled_out(container)
    assert queue.asked == [("acme", rollout_id, T0 + timedelta(seconds=60))]
    with at(59):
        assert advance_due(container, "acme") == {}
    assert state(container)[:3] == ("running", 0, T0 + timedelta(seconds=60))
    with at(60):
        assert advance_due(container, "acme") == {str(rollout_id): "step"}
        assert advance_due(container, "acme") == {}  # taken: not again
    assert state(container)[:3] == ("running", 1, T0 + timedelta(seconds=180))
    assert queue.asked[-1] == ("acme", rollout_id, T0 + timedelta(seconds=180))
    # Late (no worker ran for ten minutes): the next step, not two; its time starts now.
    with at(800):
        assert advance_due(container, "acme") == {str(rollout_id): "step"}
    assert state(container)[:3] == ("running", 2, T0 + timedelta(seconds=860))
    with at(860):
        assert advance_due(container, "acme") == {str(rollout_id): "published"}
        assert advance_due(container, "acme") == {}
    assert state(container)[:3] == ("published", 2, None)
    done = actions(container)
    assert done.count("rollout_step") == 2
    assert done.count("rollout_published") == 1
    assert done.count("publish") == 2  # v1 earlier, v2 by the schedule
    with container.uow("acme") as uow:
        workflow = uow.session.get(Workflow, workflow_id)
        assert workflow is not None
        current = workflow.current_version_id
    with container.uow("acme") as uow:
        assert uow.session.scalars(select(Rollout.target_version_id)).one() == current


def test_a_paused_rollout_takes_no_step(container: Container) -> None:
    workflow_id, rollout_id = rolled_out(container)
    with at(30), container.uow("acme", write=True) as uow:
        control.control_rollout(uow=uow, principal=WHO, workflow_id=workflow_id, action="pause")
        uow.commit()
    with at(3600):
        assert advance_due(container, "acme") == {}
    assert state(container)[:3] == ("paused", 0, None)
    with at(4000), container.uow("acme", write=True) as uow:
        control.control_rollout(uow=uow, principal=WHO, workflow_id=workflow_id, action="resume")
        uow.commit()
    assert state(container)[:3] == ("running", 0, T0 + timedelta(seconds=4060))  # the step's time again
    with at(4060):
        assert advance_due(container, "acme") == {str(rollout_id): "step"}


def test_notes_and_audit_survive_reindex(container: Container) -> None:
    workflow_id, rollout_id = rolled_out(container, cohort=["vip-1", "vip-2"])
    with at(60):
        advance_due(container, "acme")
    with at(90), container.uow("acme", write=True) as uow:
        control.control_rollout(uow=uow, principal=WHO, workflow_id=workflow_id, action="pause")
        uow.commit()
    before_state = state(container)
    before_actions = actions(container)
    repo_path = container.store.open("acme", workflow_id).path
    log = git_cli(repo_path, "log", "--notes=rollouts", "--format=%N", "drafts/v2")
    assert [line.split(" ")[0] for line in log.splitlines() if line] == [
        "[rollout_started]",
        "[rollout_step]",
        "[rollout_paused]",
    ]
    assert "vip-1" not in git_cli(repo_path, "log", "--notes=rollouts", "--all", "--format=%N")

    empty_index(container)
    with container.uow("acme") as uow:
        assert uow.session.scalar(select(func.count()).select_from(Rollout)) == 0
    summary = reindex_all(container)
    assert summary.errors == []
    assert summary.rollouts_restored == 1
    assert state(container) == before_state
    with container.uow("acme") as uow:
        row = uow.session.scalars(select(Rollout)).one()
        assert row.id == rollout_id
        assert row.cohort == []  # contact ids are never in git
        assert [s["percent"] for s in row.steps] == [10, 50, 100]
    # The audit trail is kept as it was (reindex only adds its own "reconcile" entries).
    assert actions(container)[: len(before_actions)] == before_actions
    assert before_actions.count("rollout_started") == 1
    assert reindex_all(container).rollouts_restored == 0  # idempotent


def test_a_published_rollout_is_restored_from_the_publish_commits_note(container: Container) -> None:
    workflow_id, rollout_id = rolled_out(container)
    with at(30), container.uow("acme", write=True) as uow:
        control.control_rollout(uow=uow, principal=WHO, workflow_id=workflow_id, action="promote")
        uow.commit()
    repo = container.store.open("acme", workflow_id)
    main = repo.ref_target("refs/heads/main") or ""
    assert [r.event for r in parse_note(repo.note(ROLLOUTS_NOTES_REF, main) or "")] == [
        "rollout_started",
        "rollout_published",
    ]
    empty_index(container)
    reindex_all(container)
    assert state(container)[0] == "published"
    with container.uow("acme") as uow:
        assert uow.session.scalars(select(Rollout.id)).one() == rollout_id


def _enrol(container: Container, workflow_id: uuid.UUID, contacts: list[str]) -> dict[int, list[str]]:
    """Enrol ``contacts``; the contacts each version got, by version number."""
    with container.uow("acme", write=True) as uow:
        result = enrolment.enroll(
            uow=uow, principal=WHO, workflow_id=workflow_id, contact_ids=contacts, assignments=True
        )
        uow.commit()
    assert result.assignments is not None
    got: dict[int, list[str]] = {}
    for item in result.assignments:
        got.setdefault(item.version_number, []).append(item.contact_id)
    return got


def _fail(container: Container, workflow_id: uuid.UUID, contacts: list[str]) -> None:
    """The engine reports these contacts' executions failed."""
    moves = [PositionMove(contact_id=contact, status="failed") for contact in contacts]
    with container.uow("acme", write=True) as uow:
        reports.report_positions(uow=uow, principal=WHO, workflow_id=workflow_id, moves=moves)
        uow.commit()


@pytest.mark.parametrize("migrate_back", [False, True])
def test_a_target_failing_more_than_its_baseline_halts_at_the_next_look(
    container: Container, migrate_back: bool
) -> None:
    """Within the first step (10%), the target's executions fail far more often than the
    baseline's: the next look of the schedule (not due for a step) halts the rollout with
    the guards' numbers, every later enrolment goes to the baseline, and with
    ``migrate_back`` the target's live contacts are sent back by a migration of
    ``system:rollout``."""
    container.jobs = Recording()
    guard = {"failure_margin": 0.05, "min_sample": 50, "migrate_back": migrate_back}
    workflow_id, rollout_id = rolled_out(container, guard=guard)
    with at(10):
        got = _enrol(container, workflow_id, [f"c-{n}" for n in range(2000)])
    assert 100 <= len(got[2]) <= 300, len(got[2])  # about 10%
    with at(20):
        assert advance_due(container, "acme") == {}  # within the margin so far: nothing to do
    with at(25):
        _fail(container, workflow_id, got[2][: len(got[2]) // 2])  # half of the target's fail
        _fail(container, workflow_id, got[1][:10])  # and a few of the baseline's
    with at(30):
        assert advance_due(container, "acme") == {str(rollout_id): "halted"}
    assert state(container)[:3] == ("halted", 0, None)
    with container.uow("acme") as uow:
        reason = uow.session.scalars(select(Rollout.halted_reason)).one()
    assert reason is not None
    assert (reason["kind"], reason["rate"], reason["step_index"]) == ("guard", "failure", 0)
    assert reason["target"]["failed"] == len(got[2]) // 2
    assert reason["baseline"]["failed"] == 10
    with at(40):
        later = _enrol(container, workflow_id, [f"d-{n}" for n in range(500)])
    assert list(later) == [1]  # the baseline alone
    with at(100):
        assert advance_due(container, "acme") == {}  # halted: no step, however late
    done = actions(container)
    assert done.count("rollout_halted") == 1
    with container.uow("acme") as uow:
        migrations = list(uow.session.scalars(select(VersionMigration)))
    if not migrate_back:
        assert migrations == []
        assert "rollout_migrate_back" not in done
        return
    assert len(migrations) == 1
    assert migrations[0].created_by == "system:rollout"
    assert done.count("rollout_migrate_back") == 1


def test_the_rollout_shows_the_guards_verdict_and_the_migrate_back_dry_run(container: Container) -> None:
    container.jobs = Recording()
    workflow_id, _ = rolled_out(container, guard={"min_sample": 50})
    with at(10):
        got = _enrol(container, workflow_id, [f"c-{n}" for n in range(1000)])
    with at(20), container.uow("acme") as uow:
        shown = view.get_rollout(uow=uow, principal=WHO, workflow_id=workflow_id)
        plan = view.migrate_back_plan(uow=uow, principal=WHO, workflow_id=workflow_id, unmapped="fail")
    assert shown.guard_verdict is not None
    assert (shown.guard_verdict.state, shown.guard_verdict.halt) == ("within_margin", False)
    assert shown.guard_verdict.target.enrolled == len(got[2])
    assert plan.total == len(got[2])  # every live contact of the target, none moved
    assert state(container)[0] == "running"
