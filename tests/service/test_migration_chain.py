"""One live runner chain per migration, on the runner functions (both databases; the
queue runs inline, so a gradual step runs at once and the next one stays scheduled; see
tests/tasks/test_migration_chain.py for a real worker): a job of a replaced chain, or one
that fires before the next step is due, changes nothing; jobs queued before revision 0013
(no generation) are adopted at most once."""

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from indexer.models import VersionMigration
from service.container import Container
from service.executions.runner import adopt, new_chain, run_batches
from tests.factories import clock_at, migration_ready, versions_url


def _row(container: Container, key: uuid.UUID) -> VersionMigration:
    with container.uow("acme") as uow:
        found = uow.session.get(VersionMigration, key)
        assert found is not None
        return found


def _resting(client: TestClient, container: Container, admin: dict[str, str]) -> tuple[str, uuid.UUID]:
    """A gradual migration of 40 in steps of 10, resting an hour after its first step."""
    workflow_id, _ = migration_ready(container, 40)
    started = client.post(
        versions_url(workflow_id, 2, "migrate"),
        json={"from_versions": [1], "strategy": "gradual", "step_percent": 25, "interval_seconds": 3600},
        headers=admin,
    )
    assert started.status_code == 202, started.text
    return started.headers["Location"], uuid.UUID(started.json()["id"])


def _progress(m: VersionMigration) -> tuple[Any, ...]:
    return (m.status, m.step, m.migrated, m.failed, m.skipped, m.cursor, m.heartbeat_at, m.generation)


def test_a_replaced_chains_job_does_nothing_and_the_live_one_waits_for_the_step(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin = auth("workflows:admin")
    path, key = _resting(client, container, admin)
    first = _row(container, key)
    assert (first.step, first.migrated, first.generation) == (2, 10, 1)
    assert first.next_step_at is not None
    due = first.next_step_at

    # Paused and resumed inside the pause: a new chain (2), whose job ran at once and,
    # early, started nothing.
    assert client.post(f"{path}/pause", headers=admin).status_code == 200
    assert client.post(f"{path}/resume", headers=admin).status_code == 200
    resumed = _row(container, key)
    assert (resumed.generation, resumed.step, resumed.migrated) == (2, 2, 10)

    with clock_at(due + timedelta(seconds=1)):
        # The job scheduled before the pause fires on time: its chain is gone.
        assert run_batches(container, "acme", key, generation=1) == "stale"
        assert _progress(_row(container, key)) == _progress(resumed)
        # The live chain runs step 2 and rests again.
        assert run_batches(container, "acme", key, generation=2) == "wait"
    second = _row(container, key)
    assert (second.step, second.migrated, second.generation) == (3, 20, 2)

    # Early (before step 3 is due) the live chain starts nothing either.
    assert second.next_step_at is not None
    with clock_at(second.next_step_at - timedelta(seconds=1)):
        assert run_batches(container, "acme", key, generation=2) == "wait"
    assert _progress(_row(container, key)) == _progress(second)


def test_the_watchdog_starts_a_new_chain_and_old_jobs_are_adopted_once(
    client: TestClient, container: Container, auth: Any
) -> None:
    admin = auth("workflows:admin")
    path, key = _resting(client, container, admin)
    assert new_chain(container, "acme", key) == 2
    assert adopt(container, "acme", key) is None  # a chain was started since the upgrade

    # A row from before the upgrade (generation 0): the first job without a generation
    # claims it, a second one (the same migration chained twice before) exits.
    with container.uow("acme", write=True) as uow:
        uow.session.execute(update(VersionMigration).where(VersionMigration.id == key).values(generation=0))
        uow.commit()
    assert adopt(container, "acme", key) == 1
    assert adopt(container, "acme", key) is None
    assert _row(container, key).generation == 1

    assert client.post(f"{path}/pause", headers=admin).status_code == 200
    assert new_chain(container, "acme", key) is None  # paused: the watchdog leaves it
    assert _row(container, key).generation == 1
