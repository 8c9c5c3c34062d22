"""Migrate back after a halt, on both databases: the mapping by action id, the engine's
dry run of it (changing nothing), and the immediate migration started as ``system:rollout``
and run by the migration runner (here in-process; a real worker in tests/tasks)."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from indexer.models import AuditEntry, Execution, VersionMigration, WorkflowVersion
from service.auth import principal_from_claims
from service.auth.system import system_principal
from service.container import Container
from service.errors import Unauthorized, WorkflowNotFound
from service.executions.migrations import MappingInvalid, MigrationConflict
from service.executions.runner import run_batches
from service.rollouts import migrate_back
from tests.factories import count_executions, example, place_contacts, principal, published_history

SHARED = ["opened?", "tips", "wait-1d", "welcome"]  # welcome-small's actions but 'reminder'


@pytest.fixture
def halted(container: Container) -> dict[str, Any]:
    """v1 = welcome-small-b (published: the baseline), v2 = welcome-small (a draft being
    rolled out, with 'reminder', which v1 lacks). On v2: 30 contacts live on 'welcome',
    20 on 'wait-1d', 10 on 'reminder', 5 completed; on v1: 7 live on 'welcome'."""
    wid, v1, v2 = published_history(
        container, 1, drafts=1, documents=[example("welcome-small-b"), example("welcome-small")]
    )
    place_contacts(container, "acme", str(wid), str(v2), {"welcome": 30, "wait-1d": 20, "reminder": 10})
    place_contacts(container, "acme", str(wid), str(v2), {"tips": 5}, status="completed")
    place_contacts(container, "acme", str(wid), str(v1), {"welcome": 7})
    return {"wid": wid, "v1": v1, "v2": v2}


def _positions(container: Container, version_id: uuid.UUID) -> dict[tuple[str | None, str], int]:
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(Execution.current_action_id, Execution.status, func.count())
            .where(Execution.version_id == version_id)
            .group_by(Execution.current_action_id, Execution.status)
        )
        return {(action, status): int(count) for action, status, count in rows}


def _migrations(container: Container) -> list[VersionMigration]:
    with container.uow("acme") as uow:
        return list(uow.session.scalars(select(VersionMigration)))


def test_the_mapping_is_every_shared_action_to_itself(container: Container, halted: dict[str, Any]) -> None:
    with container.uow("acme") as uow:
        new = uow.session.get(WorkflowVersion, halted["v2"])
        old = uow.session.get(WorkflowVersion, halted["v1"])
        assert new is not None
        assert old is not None
        assert migrate_back.mapping(new, old) == {a: a for a in SHARED}
        assert list(migrate_back.mapping(new, old)) == SHARED  # sorted: the record reads the same
        # The other way round, 'reminder' has nowhere to map.
        assert migrate_back.mapping(old, new) == {a: a for a in SHARED}


def test_the_dry_run_is_the_engines_plan_and_changes_nothing(
    container: Container, halted: dict[str, Any]
) -> None:
    before = _positions(container, halted["v2"])
    with container.uow("acme") as uow:
        plan = migrate_back.dry_run(uow, migrate_back.system_actor("acme"), halted["wid"], 2, 1)
        exiting = migrate_back.dry_run(
            uow, principal(), halted["wid"], halted["v2"], halted["v1"], unmapped="exit"
        )
        to_tips = migrate_back.dry_run(uow, principal(), halted["wid"], 2, 1, unmapped="to:tips")
    assert (plan.target_version, plan.total) == (1, 60)
    assert [(r.from_version, r.from_action, r.to_action, r.outcome, r.count) for r in plan.plan] == [
        (2, "wait-1d", "wait-1d", "migrate", 20),
        (2, "welcome", "welcome", "migrate", 30),
    ]
    assert [(r.from_action, r.to_action, r.outcome, r.count) for r in plan.unmappable] == [
        ("reminder", None, "fail", 10)
    ]
    assert [(r.from_action, r.outcome) for r in exiting.unmappable] == [("reminder", "exit")]
    assert ("reminder", "tips", "migrate", 10) in [
        (r.from_action, r.to_action, r.outcome, r.count) for r in to_tips.plan
    ]
    assert _migrations(container) == []
    assert _positions(container, halted["v2"]) == before


def test_a_bad_unmapped_policy_is_a_problem_that_changes_nothing(
    container: Container, halted: dict[str, Any]
) -> None:
    actor = migrate_back.system_actor("acme")
    with container.uow("acme", write=True) as uow:
        with pytest.raises(MappingInvalid, match="unmapped must be") as refused:
            migrate_back.start(uow, actor, halted["wid"], 2, 1, unmapped="sideways")
        assert (refused.value.status_code, refused.value.extra) == (422, {"field": "unmapped"})
        with pytest.raises(MappingInvalid, match="'nowhere', which the target lacks"):
            migrate_back.start(uow, actor, halted["wid"], 2, 1, unmapped="to:nowhere")
        with pytest.raises(MigrationConflict, match="both source and target"):
            migrate_back.start(uow, actor, halted["wid"], 1, 1)
    with container.uow("globex") as uow, pytest.raises(WorkflowNotFound):
        migrate_back.dry_run(uow, migrate_back.system_actor("globex"), halted["wid"], 2, 1)
    assert _migrations(container) == []


def test_start_records_an_immediate_migration_by_the_system_and_it_moves_the_contacts(
    container: Container, halted: dict[str, Any]
) -> None:
    with container.uow("acme", write=True) as uow:
        started = migrate_back.start(uow, migrate_back.system_actor("acme"), halted["wid"], 2, 1)
        assert started is not None
        migration_id = started.id
        uow.commit()  # no queue attached here: the runner is run below, as a worker would
    (recorded,) = _migrations(container)
    assert recorded.id == migration_id
    assert (recorded.strategy, recorded.status, recorded.total) == ("immediate", "queued", 60)
    assert (recorded.created_by, recorded.target_version_id) == ("system:rollout", halted["v1"])
    assert recorded.source_version_ids == [str(halted["v2"])]
    assert recorded.mapping == {a: a for a in SHARED}
    assert recorded.options["unmapped"] == "fail"
    with container.uow("acme") as uow:
        entry = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "migration_start")).one()
    assert (entry.actor_id, entry.version_id, entry.details["total"]) == ("system:rollout", halted["v1"], 60)

    assert run_batches(container, "acme", migration_id, generation=1) == "done"
    (finished,) = _migrations(container)
    assert (finished.status, finished.migrated, finished.failed) == ("completed", 50, 10)
    assert _positions(container, halted["v1"]) == {("welcome", "waiting"): 37, ("wait-1d", "waiting"): 20}
    # The contacts on 'reminder' stay on v2 (the 'fail' policy), the finished ones too.
    assert _positions(container, halted["v2"]) == {("reminder", "waiting"): 10, ("tips", "completed"): 5}
    with container.uow("acme") as uow:
        assert count_executions(uow, Execution.last_migration_id == migration_id) == 50


def test_nothing_live_on_the_new_version_starts_nothing(container: Container) -> None:
    wid, _, v2 = published_history(container, 1, drafts=1)
    place_contacts(container, "acme", str(wid), str(v2), {"welcome": 4}, status="failed")
    with container.uow("acme", write=True) as uow:
        assert migrate_back.start(uow, migrate_back.system_actor("acme"), wid, 2, 1) is None
        uow.commit()
    assert _migrations(container) == []
    with container.uow("acme") as uow:
        assert (
            uow.session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "migration_start")
            )
            == 0
        )


def test_a_second_migrate_back_while_one_runs_is_refused(
    container: Container, halted: dict[str, Any]
) -> None:
    with container.uow("acme", write=True) as uow:
        assert migrate_back.start(uow, principal(), halted["wid"], 2, 1) is not None
        uow.commit()
    with container.uow("acme", write=True) as uow, pytest.raises(MigrationConflict, match="already moves"):
        migrate_back.start(uow, migrate_back.system_actor("acme"), halted["wid"], 2, 1)
    assert [m.created_by for m in _migrations(container)] == ["alice"]


def test_the_system_principal_is_wfvs_own() -> None:
    actor = system_principal("acme", "rollout")
    assert (actor.user_id, actor.tenant_id) == ("system:rollout", "acme")
    assert {p.value for p in actor.permissions} == {"workflows:read", "workflows:edit"}
    with pytest.raises(ValueError, match="system role"):
        system_principal("acme", "Rollout Guard")
    # No token can be it.
    with pytest.raises(Unauthorized):
        principal_from_claims({"sub": "system:rollout", "org_id": "acme"}, {})
