"""PostgreSQL restarted, fast (``pg_ctl stop -m fast``) and immediate (a crash), under one
``wfv serve`` and one ``wfv worker`` that are never restarted: no request answers 500,
every failure is a 503 ``database-unavailable`` problem with ``Retry-After``, the first
requests after the database is back succeed (the pool's dead connections are replaced
before use, not each failing a request), and a gradual migration's next step, run by the
worker on its pooled connections, goes on at once rather than waiting for the watchdog."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from indexer.models import VersionMigration
from tests.factories import migration_ready
from tests.faults.load import PROBLEM_JSON
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, wait_for

READERS = 8
CONTACTS = 2_000
STEP = 200  # step_percent 10 of CONTACTS
INTERVAL_SECONDS = 5  # a restart (about a second) fits between two steps


@dataclass(frozen=True)
class Answer:
    status: int | None
    content_type: str
    retry_after: str | None
    body: str
    started: float


def _get(stack: FaultStack, path: str) -> Answer:
    started = time.monotonic()
    try:
        with stack.client(timeout=10) as client:
            response = client.get(path)
    except httpx.TransportError as exc:
        return Answer(None, "", None, type(exc).__name__, started)
    return Answer(
        response.status_code,
        response.headers.get("content-type", ""),
        response.headers.get("retry-after"),
        response.text[:300],
        started,
    )


def _burst(stack: FaultStack, paths: list[str]) -> list[Answer]:
    """Every path at once, from ``READERS`` threads (so the pool holds that many)."""
    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(lambda path: _get(stack, path), paths))


def _restarter(cluster: PrivateCluster, mode: str) -> Callable[[], None]:
    return cluster.stop if mode == "fast" else cluster.crash


def _refused_properly(answer: Answer) -> bool:
    return (
        answer.status == 503
        and answer.content_type == PROBLEM_JSON
        and "/problems/database-unavailable" in answer.body
        and answer.retry_after == "2"
    )


def _read_through_restart(stack: FaultStack, cluster: PrivateCluster, mode: str, paths: list[str]) -> float:
    """Readers keep reading while the server goes down and comes back; returns when it
    was back, after checking every answer."""
    answers: list[Answer] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            answers.extend(_get(stack, path) for path in paths)

    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    time.sleep(0.3)
    _restarter(cluster, mode)()
    time.sleep(1.0)
    cluster.start()
    up = time.monotonic()
    time.sleep(1.0)
    stop.set()
    for reader in readers:
        reader.join()
    failed = [a for a in answers if a.status != 200]
    assert all(_refused_properly(a) for a in failed), failed[:5]
    assert failed, "no request met the outage"
    assert all(a.status == 200 for a in answers if a.started > up), "a request failed after the return"
    return up


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_restart_answers_503_never_500_and_heals_at_once(
    mode: str, pg_cluster: PrivateCluster, pg_stack: FaultStack
) -> None:
    workflow_id, _ = migration_ready(pg_stack.container, 10)
    paths = ["/workflows", f"/workflows/{workflow_id}", f"/workflows/{workflow_id}/versions/2"]
    pg_stack.serve()
    warm = _burst(pg_stack, paths * READERS)
    assert {a.status for a in warm} == {200}

    # Restarted while the pool sits idle: the first requests meet only dead connections.
    _restarter(pg_cluster, mode)()
    pg_cluster.start()
    first = _burst(pg_stack, paths * READERS)
    assert [a for a in first if a.status != 200] == []

    # Restarted under reads: 503s while it is down, never a 500, all well once it is back.
    _read_through_restart(pg_stack, pg_cluster, mode, paths)


def _migrated(stack: FaultStack) -> int:
    with stack.container.uow("acme") as uow:
        return uow.session.scalars(select(VersionMigration.migrated)).one()


def _reached(stack: FaultStack, goal: int) -> Callable[[], bool]:
    return lambda: _migrated(stack) >= goal


def test_the_workers_next_migration_step_runs_right_after_a_restart(
    pg_cluster: PrivateCluster, pg_stack: FaultStack
) -> None:
    workflow_id, _ = migration_ready(pg_stack.container, CONTACTS)
    pg_stack.serve()
    pg_stack.worker()
    with pg_stack.client() as client:
        response = client.post(
            f"/workflows/{workflow_id}/versions/2/migrate",
            json={
                "from_versions": [1],
                "strategy": "gradual",
                "batch_size": 100,
                "step_percent": 10,
                "interval_seconds": INTERVAL_SECONDS,
            },
        )
    assert response.status_code == 202, response.text
    reached = STEP
    for mode in ("fast", "immediate"):
        wait_for(f"step to {reached}", _reached(pg_stack, reached), 20, pg_stack)
        time.sleep(0.5)  # the step's batches are committed; the worker waits for the next
        _restarter(pg_cluster, mode)()
        pg_cluster.start()
        up = time.monotonic()
        reached += STEP
        # The worker's pooled connections all died; its next step must not (the watchdog
        # would pick the migration up only after a minute).
        wait_for(f"step after a {mode} restart", _reached(pg_stack, reached), 20, pg_stack)
        assert time.monotonic() - up < INTERVAL_SECONDS + 3
    assert "Traceback" not in pg_stack.processes[-1].log_text()
