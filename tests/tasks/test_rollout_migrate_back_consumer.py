"""Migrate back on a real queue with real processes: a process whose container is set up
as ``wfv worker`` sets up its own (the queue's jobs attached, no user behind it) starts the
migrate-back as ``system:rollout``, as the rollout's schedule will after a halt; a running
``wfv worker`` takes the runner from the queue and moves the new version's live contacts to
the baseline. SQLite queue + SQLite index, and
Redis queue + PostgreSQL (as the service role)."""

import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from indexer.models import AuditEntry, Execution
from tests.e2e.helpers import WFV, running
from tests.factories import example, published_history, wait_for_migration
from tests.tasks.conftest import container_for

LIVE, ON_REMINDER = 3000, 300

# What the rollout's schedule does on the worker after a halt, in a process of its own.
_START = textwrap.dedent(
    """
    import sys, uuid
    from service.cli.app import load_settings
    from service.container import build_container
    from service.rollouts import migrate_back
    from tasks import runtime
    from tasks.jobs import QueueJobs

    container = build_container(load_settings())
    container.jobs = QueueJobs()
    runtime.configure(container)
    with container.uow("acme", write=True) as uow:
        started = migrate_back.start(uow, migrate_back.system_actor("acme"), uuid.UUID(sys.argv[1]), 2, 1)
        uow.commit()
    print(started.id if started else "none")
    container.close()
    """
)


def test_a_worker_moves_the_new_versions_contacts_back(queue_env: dict[str, str], tmp_path: Path) -> None:
    container = container_for(queue_env)
    # v1 = welcome-small-b, the baseline; v2 = welcome-small (with 'reminder'), rolled out.
    workflow_id, v1, v2 = published_history(
        container, 1, drafts=1, documents=[example("welcome-small-b"), example("welcome-small")]
    )
    now = datetime.now(UTC)
    rows = [
        {
            "id": uuid.uuid4(),
            "tenant_id": "acme",
            "workflow_id": workflow_id,
            "version_id": v2,
            "contact_id": f"c-{n}",
            "current_action_id": "reminder" if n < ON_REMINDER else ("welcome", "wait-1d", "tips")[n % 3],
            "status": "waiting",
            "enrolled_at": now,
            "updated_at": now,
        }
        for n in range(LIVE)
    ]
    with container.uow("acme", write=True) as uow:
        uow.session.execute(insert(Execution), rows)
        uow.commit()
    with running([WFV, "worker", "--no-periodic"], queue_env, tmp_path / "worker.log"):
        done = subprocess.run(
            [sys.executable, "-c", _START, str(workflow_id)],
            env=queue_env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        migration_id = uuid.UUID(done.stdout.strip().splitlines()[-1])
        finished = wait_for_migration(container, lambda m: m.status == "completed", 60)
    assert finished.id == migration_id
    assert finished.status == "completed", (finished.status_reason, (tmp_path / "worker.log").read_text())
    assert (finished.created_by, finished.strategy) == ("system:rollout", "immediate")
    assert (finished.migrated, finished.failed, finished.total) == (LIVE - ON_REMINDER, ON_REMINDER, LIVE)
    with container.uow("acme") as uow:
        by_version = dict(
            uow.session.execute(
                select(Execution.version_id, func.count())
                .where(Execution.workflow_id == workflow_id)
                .group_by(Execution.version_id)
            ).all()
        )
        stayed = set(
            uow.session.scalars(select(Execution.current_action_id).where(Execution.version_id == v2))
        )
        moved = uow.session.scalar(
            select(func.count()).select_from(Execution).where(Execution.last_migration_id == migration_id)
        )
        actors = set(
            uow.session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action.like("migration_%")))
        )
    assert by_version == {v1: LIVE - ON_REMINDER, v2: ON_REMINDER}
    assert stayed == {"reminder"}  # the baseline lacks it: 'fail' leaves them, reported
    assert moved == LIVE - ON_REMINDER
    assert actors == {"system:rollout"}
    container.close()
