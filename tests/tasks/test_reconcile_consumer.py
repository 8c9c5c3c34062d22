"""The reconcile task through a real queue and a real ``wfv worker`` process:
SQLite queue on the embedded defaults, Redis queue with PostgreSQL as in production."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from indexer.migrate import upgrade
from schemas.workflow import WorkflowDefinition
from service import versions, workflows
from service.container import build_container
from service.settings import Settings
from tests.conftest import REQUIRE_SERVICES, app_role_url, truncate_tables
from tests.e2e.helpers import WFV, running, wfv_env
from tests.factories import example, principal

REDIS_URL = "redis://127.0.0.1:6379/15"
ENQUEUE = (
    "import json; from tasks.reconcile import reconcile_now; "
    "print(json.dumps(reconcile_now().get(blocking=True, timeout=60)))"
)


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (WFV_REQUIRE_SERVICES=1) but unreachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.postgres)])
def queue_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "var"
    if request.param == "sqlite":
        return wfv_env(data, WFV_QUEUE="sqlite")
    _redis_or_skip()
    url: str = request.getfixturevalue("postgres_url")
    truncate_tables(url)
    return wfv_env(
        data,
        WFV_QUEUE="redis",
        WFV_REDIS_URL=REDIS_URL,
        WFV_DATABASE_URL=app_role_url(url),
        WFV_MIGRATION_DATABASE_URL=url,
    )


def test_worker_heals_a_workflow_left_behind_by_a_crash(queue_env: dict[str, str], tmp_path: Path) -> None:
    settings = Settings(
        data_dir=Path(queue_env["WFV_DATA_DIR"]),
        database_url=queue_env.get("WFV_DATABASE_URL"),
        migration_database_url=queue_env.get("WFV_MIGRATION_DATABASE_URL"),
        _env_file=None,
    )
    container = build_container(settings)
    upgrade(container.migration_engine())
    alice = principal()
    with container.uow("acme", write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow,
            principal=alice,
            name="W",
            definition=WorkflowDefinition.model_validate(example("welcome-small")),
        )
        uow.commit()
    with container.uow("acme", write=True) as uow:
        lost = versions.create_version(uow=uow, principal=alice, workflow_id=workflow.id)
        uow._undo.clear()  # a process killed between the ref move and the SQL commit

    with running([WFV, "worker", "--no-periodic"], queue_env, tmp_path / "worker.log"):
        done = subprocess.run(
            [sys.executable, "-c", ENQUEUE],
            env=queue_env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["versions_changed"] == 1
    assert result["errors"] == 0
    with container.uow("acme") as uow:
        row = versions.find_version(uow, workflow, 2)
        assert row.id == lost.id
        assert row.commit_sha == container.store.open(workflow.tenant_id, workflow.id).ref_target(
            "refs/heads/drafts/v2"
        )
    container.close()
