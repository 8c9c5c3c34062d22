"""Refs moved by hand with the real ``git`` in workflows' bare repositories, behind a real
``wfv serve`` and worker while other workflows are written: every read route of those
workflows keeps answering (no 5xx), writes to them are refused with a 409 problem, the
reconcile task records each once in the audit trail, ``wfv check`` and the consistency
route report ``ref-moved``, nothing of the moved refs reaches the index; once an operator
puts the refs back, writes go through and the check is clean."""

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from indexer.models import AuditEntry, Workflow, WorkflowVersion
from schemas.history import MAIN_REF, draft_ref
from tests.e2e.helpers import WFV
from tests.factories import example, git_cli, published_history
from tests.faults.checks import consistency_problems, durability_problems
from tests.faults.load import PROBLEM_JSON, Load
from tests.faults.stack import FaultStack, enqueue_reconcile


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def stack(request: pytest.FixtureRequest) -> FaultStack:
    built: FaultStack = request.getfixturevalue("pg_stack" if request.param == "postgres" else "sqlite_stack")
    return built


def _index(stack: FaultStack, workflow_ids: list[uuid.UUID]) -> list[tuple[Any, ...]]:
    """What the index says of these workflows, row by row."""
    with stack.container.uow("acme") as uow:
        versions = uow.session.execute(
            select(
                WorkflowVersion.id,
                WorkflowVersion.version_number,
                WorkflowVersion.status,
                WorkflowVersion.is_current,
                WorkflowVersion.lock_version,
                WorkflowVersion.commit_sha,
            )
            .where(WorkflowVersion.workflow_id.in_(workflow_ids))
            .order_by(WorkflowVersion.workflow_id, WorkflowVersion.version_number)
        ).all()
        heads = uow.session.execute(
            select(Workflow.id, Workflow.git_head, Workflow.current_version_id).where(
                Workflow.id.in_(workflow_ids)
            )
        ).all()
    return [tuple(row) for row in [*versions, *heads]]


def _read_everything(stack: FaultStack, client: httpx.Client, workflow_id: uuid.UUID, versions: int) -> None:
    """Every GET route of a workflow (from the service's own OpenAPI): no 5xx, errors as problems."""
    spec = httpx.get(f"{stack.base}/openapi.json").json()
    values = {
        "workflow_id": str(workflow_id),
        "review_id": str(uuid.uuid4()),
        "migration_id": str(uuid.uuid4()),
        "execution_id": str(uuid.uuid4()),
    }
    values |= {"action_id": "welcome", "contact_id": "c-1"}
    for path, operations in spec["paths"].items():
        if "get" not in operations or "{workflow_id}" not in path:
            continue
        for number in range(1, versions + 1):
            url = path.removeprefix("/api/v1").format(**values, version=number)
            params = {"from": 1, "to": number} if path.endswith("/compare") else None
            response = client.get(url, params=params)
            assert response.status_code < 500, (url, response.text)
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith(PROBLEM_JSON), (url, response.text)
            if "{version}" not in path and not path.endswith("/compare"):
                break


def _foreign_commit(path: Path) -> str:
    """A commit made by hand: another document, no wfv trailers."""
    document = json.dumps(example("welcome-small-b"), indent=2) + "\n"
    blob = subprocess.run(
        ["git", "-C", str(path), "hash-object", "-w", "--stdin"],
        input=document,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = subprocess.run(
        ["git", "-C", str(path), "mktree"],
        input=f"100644 blob {blob}\tworkflow.json\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return git_cli(
        path,
        "-c",
        "user.name=Mallory",
        "-c",
        "user.email=m@example.test",
        "commit-tree",
        tree,
        "-m",
        "hotfix by hand",
    )


def _wfv_check(stack: FaultStack) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [WFV, "check", "--json"], env=stack.env, capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode, json.loads(done.stdout)


def test_refs_moved_by_hand_are_reported_and_never_indexed(stack: FaultStack) -> None:
    container = stack.container
    main_moved = published_history(container, 3, drafts=1)[0]  # v1..v3 published, v4 a draft
    draft_moved = published_history(container, 1, drafts=1)[0]  # v1 published, v2 a draft
    moved = [main_moved, draft_moved]
    stack.serve(embedded_worker=stack.kind == "sqlite")
    if stack.kind == "postgres":
        stack.worker("--no-periodic")
    before = _index(stack, moved)
    paths = {key: container.store.path_for("acme", key) for key in moved}
    kept = {
        MAIN_REF: git_cli(paths[main_moved], "rev-parse", MAIN_REF),
        draft_ref(2): git_cli(paths[draft_moved], "rev-parse", draft_ref(2)),
    }

    git_cli(paths[main_moved], "update-ref", MAIN_REF, git_cli(paths[main_moved], "rev-parse", "v1^{commit}"))
    git_cli(paths[draft_moved], "update-ref", draft_ref(2), _foreign_commit(paths[draft_moved]))

    with Load(stack, threads=2) as load, stack.client() as client:
        _read_everything(stack, client, main_moved, 4)
        _read_everything(stack, client, draft_moved, 2)
        # A new draft moves no moved ref: taken, and a copy of the index's current v3,
        # not of the commit main was moved to.
        copied = client.post(f"/workflows/{main_moved}/versions", json={})
        assert copied.status_code == 201, copied.text
        v3 = client.get(f"/workflows/{main_moved}/versions/3").json()
        assert copied.json()["definition"] == v3["definition"] != example("welcome-small")
        refusals = [
            client.post(f"/workflows/{main_moved}/versions/4/publish"),
            client.patch(
                f"/workflows/{draft_moved}/versions/2",
                json={"definition": example("welcome-small-a"), "lock_version": 1},
            ),
            client.post(f"/workflows/{draft_moved}/versions/2/publish"),
        ]
        for refused in refusals:
            assert refused.status_code == 409, refused.text
            assert refused.json()["type"] == "/problems/ref-moved"
        first, second = enqueue_reconcile(stack), enqueue_reconcile(stack)
        code, report = _wfv_check(stack)
        routed = client.get(f"{stack.base}/api/v1/admin/workflows/consistency").json()
        audited = {
            key: client.get(f"/workflows/{key}/audit", params={"action": "ref_moved"}).json()["items"]
            for key in moved
        }
        load.wait_for_acks(10)
    assert load.missed() == []  # the other workflows never noticed

    assert (first["refs_moved"], second["refs_moved"], first["versions_changed"]) == (2, 2, 0)
    assert all(len(entries) == 1 for entries in audited.values())  # recorded once, not each sweep
    assert code == 1
    for found in (report, routed):
        assert not found["ok"]
        assert {(p["kind"], p["workflow_id"]) for p in found["problems"]} == {
            ("ref-moved", str(main_moved)),
            ("ref-moved", str(draft_moved)),
        }
    after = [row for row in _index(stack, moved) if row[0] != uuid.UUID(copied.json()["id"])]
    assert after[:-2] == before[:-2]  # no version row took anything from the moved refs
    assert after[-2:][0][2] == before[-2:][0][2]  # nor did the current version change

    git_cli(paths[main_moved], "update-ref", MAIN_REF, kept[MAIN_REF])  # the operator puts them back
    git_cli(paths[draft_moved], "update-ref", draft_ref(2), kept[draft_ref(2)])
    assert _wfv_check(stack)[0] == 0
    with stack.client() as client:
        assert client.post(f"/workflows/{main_moved}/versions/4/publish").status_code == 200
        assert client.post(f"/workflows/{draft_moved}/versions/2/publish").status_code == 200
    assert durability_problems(container, load.acked()) == []
    assert consistency_problems(container) == []
    with container.uow("acme") as uow:
        assert uow.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "publish").limit(1))
