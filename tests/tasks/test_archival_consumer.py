"""The scheduled archival on a real ``wfv worker``: its scheduler enqueues the periodic
task (cron every minute here; a consumer checks the schedule when it starts), which
archives in every tenant. SQLite queue + SQLite index, and Redis + PostgreSQL as the
service role, as in production."""

import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from indexer.models import ArchivalRun, WorkflowVersion
from service.container import Container
from tests.e2e.helpers import WFV, running
from tests.factories import published_long_ago
from tests.tasks.conftest import container_for

SECRET = "archival-consumer-secret-long-enough-for-hs256"
POLICY = {"WFV_ARCHIVAL_CRON": "* * * * *", "WFV_KEEP_VERSIONS": "1", "WFV_JWT_SECRET": SECRET}


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | POLICY


def _runs(container: Container, org: str) -> list[ArchivalRun]:
    with container.uow(org) as uow:
        return list(uow.session.scalars(select(ArchivalRun).where(ArchivalRun.tenant_id == org)))


def _statuses(container: Container, org: str, workflow_id: uuid.UUID) -> list[str]:
    with container.uow(org) as uow:
        return list(
            uow.session.scalars(
                select(WorkflowVersion.status)
                .where(WorkflowVersion.workflow_id == workflow_id)
                .order_by(WorkflowVersion.version_number)
            )
        )


def test_the_worker_archives_every_tenant_on_its_schedule(stack: dict[str, str], tmp_path: Path) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    flows = {org: published_long_ago(container, org=org) for org in ("acme", "globex")}
    with running([WFV, "worker"], stack, tmp_path / "worker.log"):
        deadline = time.monotonic() + 45
        while not all(any(r.status == "completed" for r in _runs(container, org)) for org in flows):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
    for org, workflow_id in flows.items():
        [run] = _runs(container, org)
        assert (run.trigger, run.triggered_by, run.archived, run.examined) == (
            "scheduled",
            "system:archival",
            2,
            3,
        )
        assert _statuses(container, org, workflow_id) == ["archived", "archived", "active"]
    container.close()
