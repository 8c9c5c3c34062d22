"""A ``wfv serve`` SIGKILLed inside the write path, on purpose (``service/crashpoints.py``):
inside a publish's ref move (``main`` moved, its tag and the watermark not: the journal
finishes it), between its ref move and its database commit (git ahead of the index), and between
its commit and its answer (saved, never acknowledged). A fresh server then heals the
workflow, by the next read or, separately, by the reconcile task before any read; every
acknowledged write is there exactly once, the cut publish exactly once, and ``wfv check``
is clean. Timing-based kills (test_api_killed.py) hit the first window only by luck."""

import json
import signal
import subprocess
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from indexer.models import AuditEntry, WorkflowVersion
from tests.e2e.gitclient import GitClient
from tests.e2e.helpers import WFV
from tests.factories import example, renamed
from tests.faults.checks import behind_git, consistency_problems, durability_problems
from tests.faults.load import Ack
from tests.faults.stack import FaultStack, WfvProcess, enqueue_reconcile

POINTS = ["refs-cut", "refs-moved", "committed"]
HEALERS = ["read", "reconcile"]


def _ack(op: str, response: httpx.Response, expect: int) -> Ack:
    assert response.status_code == expect, response.text
    return Ack.of(op, response.json())


def _acknowledged_history(stack: FaultStack) -> list[Ack]:
    """v1 published and a v2 draft, on a server with no crash point armed."""
    server = stack.serve()
    document = example("welcome-small")
    with stack.client() as client:
        created = _ack(
            "create_workflow", client.post("/workflows", json={"name": "w", "definition": document}), 201
        )
        path = f"/workflows/{created.workflow_id}/versions"
        acks = [created, _ack("publish", client.post(f"{path}/1/publish"), 200)]
        body = {"definition": renamed(document, "second")}
        acks.append(_ack("create_version", client.post(path, json=body), 201))
    server.stop()
    return acks


def _armed_server(stack: FaultStack, point: str) -> WfvProcess:
    """A server with ``point`` armed: only this process has it, never the test's own container."""
    env = stack.env | {"WFV_TEST_CRASH_POINTS": json.dumps([point])}
    args = [WFV, "serve", "--port", str(stack.port), "--no-embedded-worker"]
    process = WfvProcess(args, env, stack.workdir / f"armed-{point}.log", f"{stack.base}/healthz").start()
    stack.processes.append(process)
    return process


def _cut_publish(stack: FaultStack, point: str, workflow_id: str) -> None:
    """Publish v2 on the armed server: it dies at ``point``, the client gets no answer."""
    server = _armed_server(stack, point)
    with stack.client() as client, pytest.raises(httpx.TransportError):
        client.post(f"/workflows/{workflow_id}/versions/2/publish")
    assert server.process is not None
    assert server.process.wait(timeout=10) == -signal.SIGKILL
    assert f"crash point {point} reached" in server.log_text()


def _heal(stack: FaultStack, healer: str, workflow_id: str) -> None:
    stack.serve(name="serve-fresh")
    if healer == "reconcile":  # before any read: the task alone brings the index up to git
        stack.worker("--no-periodic")
        healed = enqueue_reconcile(stack)
        assert healed["errors"] == 0, healed
        assert behind_git(stack.container) == set()
    with stack.client() as client:  # the next read (for "read", the one that heals)
        version = client.get(f"/workflows/{workflow_id}/versions/2")
        assert version.status_code == 200, version.text
        assert version.json()["status"] == "active"  # the cut publish, now the current version
    assert behind_git(stack.container) == set()


def _publish_v3(stack: FaultStack, workflow_id: str) -> list[Ack]:
    """The healed workflow takes writes as before."""
    path = f"/workflows/{workflow_id}/versions"
    with stack.client() as client:
        made = _ack("create_version", client.post(path, json={"definition": example("welcome-small-b")}), 201)
        return [made, _ack("publish", client.post(f"{path}/3/publish"), 200)]


def _exactly_once(stack: FaultStack, workflow_id: str, point: str) -> None:
    """Versions 1-3 once each, v2's publish once in git and in the audit trail: as the
    publish itself (committed) or as the reconciliation of it (refs moved)."""
    key = uuid.UUID(workflow_id)
    with stack.container.uow("acme") as uow:
        rows = list(uow.session.scalars(select(WorkflowVersion).where(WorkflowVersion.workflow_id == key)))
        entries = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.workflow_id == key)))
        audit = Counter(e.action for e in entries)
    assert sorted(v.version_number for v in rows) == [1, 2, 3]
    assert [v.status for v in sorted(rows, key=lambda v: v.version_number)][2] == "active"
    repo = stack.container.store.open("acme", key)
    main = repo.ref_target("refs/heads/main")
    assert main is not None
    assert len(list(repo.first_parent_walk(main))) == 3  # one commit per publish, v2's once
    assert audit["publish"] + audit["reconcile"] == 3, audit
    assert audit["reconcile"] == (1 if point != "committed" else 0), audit
    for healed in (e for e in entries if e.action == "reconcile"):
        # The cut publish's own entry was lost with its transaction: the healed one names
        # who published, as git recorded it.
        records = healed.details["records"]
        assert [(r["version_number"], r["published_by"]) for r in records] == [(2, "alice")], records


def _wfv_check(stack: FaultStack) -> dict[str, Any]:
    done = subprocess.run(
        [WFV, "check", "--json"], env=stack.env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _crash_and_heal(stack: FaultStack, point: str, healer: str) -> None:
    acks = _acknowledged_history(stack)
    workflow_id = acks[0].workflow_id
    _cut_publish(stack, point, workflow_id)
    expected_behind = {uuid.UUID(workflow_id)} if point != "committed" else set()
    assert behind_git(stack.container) == expected_behind  # git ahead at most, nothing worse
    _heal(stack, healer, workflow_id)
    acks += _publish_v3(stack, workflow_id)
    assert durability_problems(stack.container, acks) == []
    _exactly_once(stack, workflow_id, point)
    assert consistency_problems(stack.container) == []
    report = _wfv_check(stack)
    assert (report["problems"], report["healable"]) == ([], [])


@pytest.mark.postgres
@pytest.mark.parametrize("healer", HEALERS)
@pytest.mark.parametrize("point", POINTS)
def test_crash_in_the_write_path_heals_on_postgres(pg_stack: FaultStack, point: str, healer: str) -> None:
    _crash_and_heal(pg_stack, point, healer)


@pytest.mark.parametrize("healer", HEALERS)
@pytest.mark.parametrize("point", POINTS)
def test_crash_in_the_write_path_heals_on_sqlite(sqlite_stack: FaultStack, point: str, healer: str) -> None:
    _crash_and_heal(sqlite_stack, point, healer)


def _cut_create(stack: FaultStack) -> None:
    """A creation cut after its ref move: a repository no row knows, which no read reaches."""
    document = example("welcome-small")
    server = _armed_server(stack, "refs-moved")
    with stack.client() as client, pytest.raises(httpx.TransportError):
        client.post("/workflows", json={"name": "cut", "definition": document})
    assert server.process is not None
    assert server.process.wait(timeout=10) == -signal.SIGKILL
    stack.serve(name="serve-fresh")
    with stack.client() as client:
        assert client.get("/workflows").json()["items"] == []
    assert len(behind_git(stack.container)) == 1
    stack.worker("--no-periodic")
    healed = enqueue_reconcile(stack)
    assert (healed["errors"], healed["workflows_created"]) == (0, 1), healed


def _creation_healed(stack: FaultStack) -> None:
    _cut_create(stack)
    with stack.client() as client:
        listed = client.get("/workflows").json()["items"]
        assert [w["name"] for w in listed] == ["cut"]  # exactly once
        versions = client.get(f"/workflows/{listed[0]['id']}/versions").json()["items"]
        assert [(v["version_number"], v["status"]) for v in versions] == [(1, "draft")]
        published = client.post(f"/workflows/{listed[0]['id']}/versions/1/publish")
        assert published.status_code == 200, published.text
    assert consistency_problems(stack.container) == []
    report = _wfv_check(stack)
    assert (report["problems"], report["healable"]) == ([], [])


@pytest.mark.postgres
def test_a_creation_cut_after_its_ref_move_is_reconciled_on_postgres(pg_stack: FaultStack) -> None:
    _creation_healed(pg_stack)


def test_a_creation_cut_after_its_ref_move_is_reconciled_on_sqlite(
    sqlite_stack: FaultStack,
) -> None:
    _creation_healed(sqlite_stack)


def _cut_push(stack: FaultStack, workflow_id: str) -> str:
    """A ``git push`` to v2's draft cut after its ref move; returns the pushed commit."""
    git = GitClient(stack.workdir / "home")
    server = stack.serve(name="serve-clone")
    repo = git.clone(f"{stack.base}/git/{workflow_id}.git", stack.workdir / "clone", stack.token())
    server.stop()
    git.run("switch", "--quiet", "drafts/v2", cwd=repo)
    tip = git.commit_document(repo, renamed(example("welcome-small"), "pushed"), "edit by push")
    armed = _armed_server(stack, "refs-moved")
    pushed = git.run(
        "push", "origin", "HEAD:refs/heads/drafts/v2", cwd=repo, token=stack.token(), check=False
    )
    assert pushed.returncode != 0, pushed.stderr  # no answer: the pusher is not told it landed
    assert armed.process is not None
    assert armed.process.wait(timeout=10) == -signal.SIGKILL
    return tip


def _push_healed(stack: FaultStack, healer: str) -> None:
    acks = _acknowledged_history(stack)
    workflow_id = acks[0].workflow_id
    tip = _cut_push(stack, workflow_id)
    assert behind_git(stack.container) == {uuid.UUID(workflow_id)}
    stack.serve(name="serve-fresh")
    if healer == "reconcile":
        stack.worker("--no-periodic")
        assert enqueue_reconcile(stack)["errors"] == 0
        assert behind_git(stack.container) == set()
    with stack.client() as client:
        version = client.get(f"/workflows/{workflow_id}/versions/2").json()
    assert (version["commit_sha"], version["lock_version"]) == (tip, 2)  # the push, once
    assert durability_problems(stack.container, acks) == []
    assert consistency_problems(stack.container) == []
    report = _wfv_check(stack)
    assert (report["problems"], report["healable"]) == ([], [])


@pytest.mark.postgres
@pytest.mark.parametrize("healer", HEALERS)
def test_a_push_cut_after_its_ref_move_heals_on_postgres(pg_stack: FaultStack, healer: str) -> None:
    _push_healed(pg_stack, healer)


@pytest.mark.parametrize("healer", HEALERS)
def test_a_push_cut_after_its_ref_move_heals_on_sqlite(sqlite_stack: FaultStack, healer: str) -> None:
    _push_healed(sqlite_stack, healer)
