"""The API process SIGKILLed in the middle of creations, edits and publishes, then started
again: what it acknowledged is durable, and what it left half done (git ahead of the index)
is healed: on access (every workflow is read once), and by the reconcile task for the
repositories no row knows yet (a creation cut there), which no read can reach.

On PostgreSQL a slow COMMIT (a deferred trigger that sleeps) holds every write in the
window between its ref move and its commit, so the kill cuts writes exactly there."""

import time
import uuid

import psycopg
import pytest

from tests.faults.checks import behind_git, consistency_problems, durability_problems
from tests.faults.load import Load
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, enqueue_reconcile

SLOW_COMMIT = """
CREATE FUNCTION fault_slow_commit() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER fault_slow_commit AFTER INSERT OR UPDATE ON workflows
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fault_slow_commit();
"""


def _kill_under_load(stack: FaultStack) -> Load:
    server = stack.serve()
    load = Load(stack, threads=4)
    with load:
        load.wait_for_acks(20)
        time.sleep(0.15)  # into the next requests: on PostgreSQL, mid-COMMIT
        server.kill()
        time.sleep(0.5)  # clients keep coming at a dead port
        stack.serve(name="serve-2")
        before = len(load.acked())
        load.wait_for_acks(before + 10)
    return load


def _heal_and_check(stack: FaultStack, load: Load) -> set[uuid.UUID | None]:
    """Heal as the service does, reads first, then the reconcile task; returns the
    workflows that were behind git."""
    ahead = behind_git(stack.container)  # git ahead at most, nothing worse
    with stack.client() as client:  # every workflow read once: a read heals its workflow
        listed = client.get("/workflows", params={"limit": 200}).json()["items"]
        for workflow in listed:
            assert client.get(f"/workflows/{workflow['id']}/versions").status_code == 200
    unindexed = behind_git(stack.container)  # what no read reaches: repositories with no row
    assert unindexed <= ahead
    assert not unindexed & {uuid.UUID(w["id"]) for w in listed}
    stack.worker("--no-periodic")
    healed = enqueue_reconcile(stack)
    assert (healed["errors"], healed["workflows_created"]) == (0, len(unindexed)), healed
    assert durability_problems(stack.container, load.acked()) == []
    assert consistency_problems(stack.container) == []
    return ahead


@pytest.mark.postgres
def test_api_killed_mid_write_on_postgres(pg_cluster: PrivateCluster, pg_stack: FaultStack) -> None:
    with psycopg.connect(pg_cluster.owner_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(SLOW_COMMIT)
    load = _kill_under_load(pg_stack)
    ahead = _heal_and_check(pg_stack, load)
    assert [m for m in load.missed() if m.status is None], load.summary()  # requests were cut
    assert ahead, load.summary()  # and some of them between their ref move and their COMMIT


def test_api_killed_mid_write_on_sqlite(sqlite_stack: FaultStack) -> None:
    load = _kill_under_load(sqlite_stack)
    _heal_and_check(sqlite_stack, load)
