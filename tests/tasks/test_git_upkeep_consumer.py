"""The upkeep task through a real queue and a real ``wfv worker`` process: SQLite queue
on the embedded defaults, Redis queue with PostgreSQL as in production."""

from pathlib import Path

import pytest

from repo_store.upkeep import count_loose, count_packs
from tests.factories import published_history
from tests.tasks.conftest import container_for, run_on_worker


@pytest.fixture
def upkeep_env(queue_env: dict[str, str]) -> dict[str, str]:
    return queue_env | {"WFV_GIT_REPACK_LOOSE_OBJECTS": "20"}


def test_worker_packs_a_grown_repository(upkeep_env: dict[str, str], tmp_path: Path) -> None:
    queue_env = upkeep_env
    container = container_for(queue_env)
    workflow_id = published_history(container, 1, drafts=10)[0]
    repo = container.store.path_for("acme", workflow_id)
    assert count_loose(repo) >= 30

    result = run_on_worker(queue_env, "tasks.git_upkeep:upkeep_now", tmp_path / "worker.log")
    assert result == {"repositories": 1, "repacked": 1, "cleared": 0, "errors": 0}
    assert count_loose(repo) == 0
    assert count_packs(repo) == 1
    container.close()
