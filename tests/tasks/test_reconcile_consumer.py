"""The reconcile task through a real queue and a real ``wfv worker`` process:
SQLite queue on the embedded defaults, Redis queue with PostgreSQL as in production."""

from pathlib import Path

from schemas.workflow import WorkflowDefinition
from service.versions import editing as versions
from service.versions import workflows
from tests.factories import example, principal
from tests.tasks.conftest import container_for, run_on_worker


def test_worker_heals_a_workflow_left_behind_by_a_crash(queue_env: dict[str, str], tmp_path: Path) -> None:
    container = container_for(queue_env)
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

    result = run_on_worker(queue_env, "tasks.reconcile:reconcile_now", tmp_path / "worker.log")
    assert result["versions_changed"] == 1
    assert result["errors"] == 0
    with container.uow("acme") as uow:
        row = versions.find_version(uow, workflow, 2)
        assert row.id == lost.id
        assert row.commit_sha == container.store.open(workflow.tenant_id, workflow.id).ref_target(
            "refs/heads/drafts/v2"
        )
    container.close()
