"""PostgreSQL crashed (``pg_ctl -m immediate``) and started again under write load, against
one ``wfv serve`` that is never restarted. During the outage every request fails fast with
a 503 problem; no request succeeds without being persisted; a request whose COMMIT failed
moved its refs back, unless the connection died during the COMMIT itself (the outcome
unknown), where git was left ahead for healing to settle; and the same process serves
again within seconds of the database's return.

A deferred trigger that sleeps at COMMIT holds writes there, so the crash lands on some
COMMITs in flight: the ambiguous case, every run."""

import time

import psycopg

from tests.faults.checks import behind_git, consistency_problems, durability_problems
from tests.faults.load import PROBLEM_JSON, Load
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, enqueue_reconcile
from tests.faults.test_api_killed import SLOW_COMMIT

OUTAGE_SECONDS = 2.0


def test_postgres_restarted_under_load(pg_cluster: PrivateCluster, pg_stack: FaultStack) -> None:
    with psycopg.connect(pg_cluster.owner_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(SLOW_COMMIT)
    server = pg_stack.serve()
    load = Load(pg_stack, threads=4)
    with load:
        load.wait_for_acks(12)
        time.sleep(0.1)  # into the next COMMITs
        pg_cluster.crash()
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        pg_cluster.start()
        up = time.monotonic()
        load.wait_for_acks(len(load.acked()) + 8, seconds=20)
    assert server.process is not None
    assert server.process.poll() is None  # the same process, never restarted

    misses = load.missed()
    assert misses, load.summary()
    for miss in misses:
        assert (miss.status, miss.content_type) == (503, PROBLEM_JSON), miss
        assert miss.elapsed < 2.0, miss  # failed fast, not held until a timeout
    slugs = {m.body.split('"type":"/problems/')[1].split('"')[0] for m in misses}
    assert slugs <= {"database-unavailable", "commit-outcome-unknown"}
    unknown = [m for m in misses if "commit-outcome-unknown" in m.body]
    assert unknown, load.summary()  # the crash did cut COMMITs in flight
    during = [a for a in load.acked() if down < a.at < up]
    assert during == []  # nothing succeeded while the database was away
    back = min(a.at for a in load.acked() if a.at > up)
    assert back - up < 5, "the service did not recover by itself within seconds"

    # Only a COMMIT with an unknown outcome may leave git ahead; every other failure
    # moved its refs back.
    assert len(behind_git(pg_stack.container)) <= len(unknown)
    pg_stack.worker("--no-periodic")
    assert enqueue_reconcile(pg_stack)["errors"] == 0
    assert durability_problems(pg_stack.container, load.acked()) == []
    assert consistency_problems(pg_stack.container) == []
