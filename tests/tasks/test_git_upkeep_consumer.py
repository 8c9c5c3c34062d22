"""The upkeep task through a real queue and a real ``wfv worker`` process: SQLite queue
on the embedded defaults, Redis queue with PostgreSQL as in production."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from indexer.migrate import upgrade
from repo_store.upkeep import count_loose, count_packs
from schemas.workflow import WorkflowDefinition
from service import versions, workflows
from service.container import build_container
from service.settings import Settings
from tests.conftest import REQUIRE_SERVICES, app_role_url, truncate_tables
from tests.e2e.helpers import WFV, running, wfv_env
from tests.factories import example, principal, renamed

REDIS_URL = "redis://127.0.0.1:6379/14"
ENQUEUE = (
    "import json; from tasks.git_upkeep import upkeep_now; "
    "print(json.dumps(upkeep_now().get(blocking=True, timeout=60)))"
)


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.postgres)])
def queue_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "var"
    if request.param == "sqlite":
        return wfv_env(data, WFV_QUEUE="sqlite", WFV_GIT_REPACK_LOOSE_OBJECTS="20")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (WFV_REQUIRE_SERVICES=1) but unreachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    url: str = request.getfixturevalue("postgres_url")
    truncate_tables(url)
    return wfv_env(
        data,
        WFV_QUEUE="redis",
        WFV_REDIS_URL=REDIS_URL,
        WFV_DATABASE_URL=app_role_url(url),
        WFV_MIGRATION_DATABASE_URL=url,
        WFV_GIT_REPACK_LOOSE_OBJECTS="20",
    )


def test_worker_packs_a_grown_repository(queue_env: dict[str, str], tmp_path: Path) -> None:
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
        for n in range(10):
            document = WorkflowDefinition.model_validate(renamed(example("welcome-small"), str(n)))
            versions.create_version(uow=uow, principal=alice, workflow_id=workflow.id, definition=document)
        uow.commit()
    repo = container.store.path_for("acme", workflow.id)
    assert count_loose(repo) >= 30

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
    assert result == {"repositories": 1, "repacked": 1, "cleared": 0, "errors": 0}
    assert count_loose(repo) == 0
    assert count_packs(repo) == 1
    container.close()
