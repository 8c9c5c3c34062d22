"""The scheduled archival on a real ``wfv worker`` leaves its run a report: read back over
HTTP (as an admin of each tenant) once the worker completed the run. SQLite queue + SQLite
index, and Redis + PostgreSQL as the service role."""

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import ArchivalRun
from service.api.app import create_app
from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, running
from tests.factories import published_long_ago
from tests.tasks.conftest import container_for

SECRET = "archival-report-consumer-secret-long-enough"
POLICY = {"WFV_ARCHIVAL_CRON": "* * * * *", "WFV_KEEP_VERSIONS": "1", "WFV_JWT_SECRET": SECRET}
ORGS = ("acme", "globex")


@pytest.fixture
def stack(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | POLICY


def _completed(container: Container, org: str) -> list[ArchivalRun]:
    with container.uow(org) as uow:
        query = select(ArchivalRun).where(ArchivalRun.tenant_id == org, ArchivalRun.status == "completed")
        return list(uow.session.scalars(query))


def test_the_scheduled_run_keeps_a_report(stack: dict[str, str], tmp_path: Path) -> None:
    container = container_for(stack, jwt_secret=SECRET)
    flows = {org: published_long_ago(container, org=org) for org in ORGS}
    with running([WFV, "worker"], stack, tmp_path / "worker.log"):
        deadline = time.monotonic() + 45
        while not all(_completed(container, org) for org in ORGS):
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
    with TestClient(create_app(container=container)) as client:
        for org, workflow_id in flows.items():
            [run] = _completed(container, org)
            token = issue_token(secret=SECRET, user="auditor", org=org, permissions=["workflows:admin"])
            response = client.get(
                f"/api/v1/admin/workflows/archival-runs/{run.id}/report",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
            report = response.json()
            assert (report["run"]["trigger"], report["run"]["triggered_by"]) == (
                "scheduled",
                "system:archival",
            )
            assert [(a["workflow_id"], a["version_number"]) for a in report["archived"]] == [
                (str(workflow_id), 1),
                (str(workflow_id), 2),
            ]
            assert {rule: [k["version_number"] for k in kept] for rule, kept in report["kept"].items()} == {
                "current": [3],
                "keep_newest": [3],
            }
    container.close()
