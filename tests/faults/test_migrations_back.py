"""Migrations move again within seconds of an outage's end, with the minute watchdog
switched off (so only the paths under test can heal): PostgreSQL crashed under running
migrations, and Redis SIGKILLed under a running migration while another is started (it is
recorded, but its job cannot be queued). Redis comes back empty (no persistence) or with
its data (append-only file): in the second case the queue lost nothing it could see, yet
the job of the migration started meanwhile was never there.

What brings them back: a batch (or the enqueueing of its successor) failing on an outage
is tried again in place with backoff capped at a second (``tasks.migrations``), and a
scheduler that could not read the queue wakes the resume hooks when it reads again
(``tasks.queue``). Each migration then completes, every execution moved exactly once."""

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from indexer.models import Execution, VersionMigration
from service.transient import is_transient
from tests.factories import count_executions, migration_ready
from tests.faults.checks import consistency_problems
from tests.faults.conftest import production_env
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import FaultStack, open_stack, wait_for
from tests.redis_support import RedisProcess, own_redis

CONTACTS = 20_000
BATCH = 100  # the smallest batches: the migrations are still running when the outage ends
OUTAGE_SECONDS = 3.0
BACK_WITHIN_SECONDS = 5.0
NO_WATCHDOG = {"WFV_MIGRATION_WATCHDOG_SECONDS": "3600"}


@pytest.fixture(params=[False, True], ids=["redis-volatile", "redis-appendonly"])
def queue_redis(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RedisProcess]:
    workdir = tmp_path / "redis"
    workdir.mkdir()
    with own_redis(workdir, appendonly=request.param) as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, pg_cluster: PrivateCluster, queue_redis: RedisProcess) -> Iterator[FaultStack]:
    env = production_env(tmp_path / "var", pg_cluster, queue_redis, **NO_WATCHDOG)
    opened = open_stack("postgres", env, tmp_path)
    yield opened
    opened.close()


def _progress(stack: FaultStack) -> dict[uuid.UUID, tuple[str, int]] | None:
    """(status, migrated) per workflow; None while the test's own connections recover."""
    try:
        with stack.container.uow("acme") as uow:
            rows = uow.session.scalars(select(VersionMigration))
            return {m.workflow_id: (m.status, m.migrated) for m in rows}
    except Exception as exc:
        if is_transient(exc):
            return None
        raise


def _migrate(stack: FaultStack, workflow_id: uuid.UUID) -> None:
    with stack.client() as client:
        response = client.post(
            f"/workflows/{workflow_id}/versions/2/migrate", json={"from_versions": [1], "batch_size": BATCH}
        )
    assert response.status_code == 202, response.text


def _moved_again(stack: FaultStack, before: dict[uuid.UUID, int], since: float) -> float:
    """Seconds from ``since`` until every migration moved past ``before`` (or completed)."""

    def moved() -> bool:
        now = _progress(stack)
        return now is not None and all(
            now[w][0] == "completed" or now[w][1] > migrated for w, migrated in before.items()
        )

    wait_for("every migration moving again", moved, 30, stack)
    return time.monotonic() - since


def _assert_completed(stack: FaultStack, moved: dict[uuid.UUID, uuid.UUID]) -> None:
    wait_for(
        "every migration completed",
        lambda: (p := _progress(stack)) is not None and all(p[w][0] == "completed" for w in moved),
        120,
        stack,
    )
    with stack.container.uow("acme") as uow:
        for workflow_id, v1 in moved.items():
            done = uow.session.scalars(
                select(VersionMigration).where(VersionMigration.workflow_id == workflow_id)
            ).one()
            assert (done.migrated, done.failed, done.skipped) == (CONTACTS, 0, 0)
            assert count_executions(uow, Execution.version_id == v1) == 0
            assert count_executions(uow, Execution.last_migration_id == done.id) == CONTACTS
    assert consistency_problems(stack.container) == []


def test_migrations_move_again_soon_after_redis_returns(stack: FaultStack, queue_redis: RedisProcess) -> None:
    running, running_v1 = migration_ready(stack.container, CONTACTS)
    started, started_v1 = migration_ready(stack.container, CONTACTS)
    stack.serve()
    stack.worker()
    _migrate(stack, running)
    wait_for("under way", lambda: (_progress(stack) or {}).get(running, ("", 0))[1] > 0, 30, stack)

    queue_redis.kill()
    _migrate(stack, started)  # recorded in the database; its job cannot be queued
    time.sleep(OUTAGE_SECONDS)
    progress = _progress(stack)
    assert progress is not None
    assert progress[running][0] == "running", "the migration ended before Redis returned"
    assert progress[started] == ("queued", 0)
    queue_redis.start()
    back = _moved_again(stack, {w: m for w, (_, m) in progress.items()}, time.monotonic())

    print(f"moved again {back:.2f} s after Redis returned")  # the figure, with -s
    assert back < BACK_WITHIN_SECONDS, f"migrations moved again {back:.1f} s after Redis returned"
    _assert_completed(stack, {running: running_v1, started: started_v1})


def test_migrations_move_again_soon_after_postgres_returns(
    pg_cluster: PrivateCluster, pg_stack: FaultStack
) -> None:
    stack = pg_stack
    stack.env |= NO_WATCHDOG
    moving = dict(migration_ready(stack.container, CONTACTS) for _ in range(2))
    stack.serve()
    stack.worker()
    for workflow_id in moving:
        _migrate(stack, workflow_id)
    wait_for(
        "both under way",
        lambda: all((_progress(stack) or {}).get(w, ("", 0))[1] > 0 for w in moving),
        30,
        stack,
    )

    pg_cluster.crash()
    time.sleep(OUTAGE_SECONDS)
    pg_cluster.start()
    up = time.monotonic()
    # The first read after the restart: any progress it already shows is not counted, so
    # the time measured can only be longer than the truth.
    wait_for("the test's own connections back", lambda: _progress(stack) is not None, 10, stack)
    progress = _progress(stack)
    assert progress is not None
    assert all(status == "running" for status, _ in progress.values()), "ended before the crash"
    back = _moved_again(stack, {w: m for w, (_, m) in progress.items()}, up)

    print(f"moved again {back:.2f} s after PostgreSQL returned")  # the figure, with -s
    assert back < BACK_WITHIN_SECONDS, f"migrations moved again {back:.1f} s after PostgreSQL returned"
    _assert_completed(stack, moving)
