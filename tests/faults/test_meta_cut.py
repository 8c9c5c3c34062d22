"""A rename or a deletion cut between its database commit and the write of the
repository's own copy (git config ``wfv.name`` / ``wfv.deletedAt``): the index has the
change, the repository does not. ``wfv check`` reports it as healable, the reconcile task
writes the copy again, and a reindex from git alone into an empty database then keeps the
new name and the deletion (before, it brought back the old name and the deleted workflow)."""

import json
import signal
import subprocess
import uuid

import httpx
import pytest

from service.healing.scan import reindex_all
from tests.e2e.helpers import WFV
from tests.factories import empty_index, example
from tests.faults.stack import FaultStack, WfvProcess, enqueue_reconcile


def _armed_server(stack: FaultStack) -> WfvProcess:
    env = stack.env | {"WFV_TEST_CRASH_POINTS": json.dumps(["committed"])}
    args = [WFV, "serve", "--port", str(stack.port), "--no-embedded-worker"]
    process = WfvProcess(args, env, stack.workdir / "armed.log", f"{stack.base}/healthz").start()
    stack.processes.append(process)
    return process


def _two_workflows(stack: FaultStack) -> tuple[str, str]:
    server = stack.serve()
    ids = []
    with stack.client() as client:
        for name in ("kept", "doomed"):
            made = client.post("/workflows", json={"name": name, "definition": example("welcome-small")})
            assert made.status_code == 201, made.text
            ids.append(made.json()["id"])
    server.stop()
    return ids[0], ids[1]


def _cut(stack: FaultStack, method: str, path: str, **kw: object) -> None:
    server = _armed_server(stack)
    with stack.client() as client, pytest.raises(httpx.TransportError):
        client.request(method, path, **kw)  # type: ignore[arg-type]
    assert server.process is not None
    assert server.process.wait(timeout=10) == -signal.SIGKILL


def _check(stack: FaultStack) -> dict[str, list[dict[str, object]]]:
    done = subprocess.run(
        [WFV, "check", "--json"], env=stack.env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, list[dict[str, object]]] = json.loads(done.stdout)
    return report


def _cut_and_heal(stack: FaultStack) -> None:
    kept, doomed = _two_workflows(stack)
    _cut(stack, "PATCH", f"/workflows/{kept}", json={"name": "renamed"})
    _cut(stack, "DELETE", f"/workflows/{doomed}", headers={})
    repos = {key: stack.container.store.open("acme", uuid.UUID(key)) for key in (kept, doomed)}
    assert repos[kept].get_meta("name") == "kept"  # the cut: the index has the change, git not
    assert repos[doomed].get_meta("deletedAt") is None

    lagging = _check(stack)["healable"]
    assert sorted((p["kind"], p["workflow_id"]) for p in lagging) == sorted(
        [("meta-behind", kept), ("meta-behind", doomed)]
    )
    stack.worker("--no-periodic")
    healed = enqueue_reconcile(stack)
    assert (healed["errors"], healed["meta_rewritten"]) == (0, 2), healed
    assert _check(stack)["healable"] == []
    assert repos[kept].get_meta("name") == "renamed"
    assert repos[doomed].get_meta("deletedAt") is not None
    assert repos[doomed].get_meta("deletedBy") == "alice"

    empty_index(stack.container)  # the database lost: rebuild from git alone
    assert reindex_all(stack.container).errors == []
    stack.serve(name="serve-after-reindex")
    with stack.client() as client:
        listed = client.get("/workflows").json()["items"]
    assert [(w["id"], w["name"]) for w in listed] == [(kept, "renamed")]


@pytest.mark.postgres
def test_a_cut_rename_and_delete_are_healed_into_git_on_postgres(pg_stack: FaultStack) -> None:
    _cut_and_heal(pg_stack)


def test_a_cut_rename_and_delete_are_healed_into_git_on_sqlite(sqlite_stack: FaultStack) -> None:
    _cut_and_heal(sqlite_stack)
