"""Refs moved by hand in a bare repository (``git update-ref``), on both databases: routes
never index them nor answer 500, writes are refused with a 409 problem, an ERROR names
tenant, workflow and ref, the reconcile pass records it once in the audit trail, and the
consistency check reports it."""

import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry, WorkflowVersion
from schemas.history import MAIN_REF, draft_ref
from service.container import Container
from service.healing.check import check_consistency
from service.healing.ref_sweep import sweep_moved_refs
from service.healing.scan import reconcile_all
from service.versions import editing as versions
from tests.factories import assert_problem, example, git_cli, principal, published_history, versions_url


@pytest.fixture
def flow(container: Container) -> dict[str, Any]:
    """v1..v3 published (v3 current), v4 an open draft."""
    ids = published_history(container, 3, drafts=1)
    return {"id": ids[0], "path": container.store.path_for("acme", ids[0])}


def _foreign_commit(path: Path) -> str:
    tree = git_cli(path, "rev-parse", "v1^{tree}")
    return git_cli(path, "-c", "user.name=x", "-c", "user.email=x@x", "commit-tree", tree, "-m", "by hand")


def _moved_entries(container: Container) -> list[AuditEntry]:
    with container.uow("acme") as uow:
        return list(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "ref_moved")))


def _refs(path: Path) -> str:
    return git_cli(path, "for-each-ref", "--format=%(refname) %(objectname)")


def test_main_moved_back_refuses_the_next_publish_and_is_recorded_once(
    container: Container,
    client: TestClient,
    auth: Any,
    flow: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, wid = flow["path"], flow["id"]
    git_cli(path, "update-ref", MAIN_REF, git_cli(path, "rev-parse", "v1^{commit}"))
    before = _refs(path)
    admin = auth("workflows:admin")

    listed = client.get(versions_url(wid), headers=admin)
    assert listed.status_code == 200
    assert [v["version_number"] for v in listed.json()["items"] if v["is_current"]] == [3]
    with caplog.at_level(logging.ERROR, logger="wfv.refs"):
        refused = client.post(versions_url(wid, 4, "publish"), headers=admin)
    body = assert_problem(refused, 409, "ref-moved")
    assert body["refs"][0]["ref"] == MAIN_REF
    assert f"tenant=acme workflow={wid} ref=refs/heads/main" in caplog.text
    assert _refs(path) == before  # no tag v4, main left where the hand put it
    assert client.get(versions_url(wid, 4), headers=admin).json()["status"] == "draft"

    assert reconcile_all(container).repositories == 0  # watermark unchanged: nothing to heal
    moved = sweep_moved_refs(container)
    assert [(m.workflow_id, m.recorded) for m in moved] == [(wid, True)]
    assert "main" in moved[0].problems[0]
    assert [m.recorded for m in sweep_moved_refs(container)] == [False]  # said once
    entries = _moved_entries(container)
    assert len(entries) == 1
    assert entries[0].actor_id == "system:reconcile"
    assert client.get(f"/api/v1/workflows/{wid}/audit?action=ref_moved", headers=admin).json()["items"]
    assert {p.kind for p in check_consistency(container).problems} == {"ref-moved"}

    git_cli(path, "update-ref", MAIN_REF, git_cli(path, "rev-parse", "v3^{commit}"))  # the operator's fix
    assert check_consistency(container).ok
    assert sweep_moved_refs(container) == []
    assert client.post(versions_url(wid, 4, "publish"), headers=admin).status_code == 200
    assert check_consistency(container).ok


def test_a_draft_at_a_foreign_commit_refuses_edits(
    container: Container, client: TestClient, auth: Any, flow: dict[str, Any]
) -> None:
    path, wid = flow["path"], flow["id"]
    git_cli(path, "update-ref", draft_ref(4), _foreign_commit(path))
    editor = auth("workflows:edit")
    response = client.patch(
        versions_url(wid, 4),
        json={"definition": example("welcome-small-b"), "lock_version": 1},
        headers=editor,
    )
    assert_problem(response, 409, "ref-moved")
    assert client.get(versions_url(wid, 4), headers=editor).json()["lock_version"] == 1
    assert [m.workflow_id for m in sweep_moved_refs(container)] == [wid]
    assert {p.kind for p in check_consistency(container).problems} == {"ref-moved"}


def test_healing_never_indexes_a_foreign_ref(
    container: Container,
    client: TestClient,
    auth: Any,
    flow: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """git ahead (a crash) and a branch moved by hand: reads serve the index as it was,
    writes are refused, reconcile reports instead of indexing garbage."""
    path, wid = flow["path"], flow["id"]
    with container.uow("acme", write=True) as uow:
        versions.create_version(uow=uow, principal=principal(), workflow_id=wid)
        uow._undo.clear()  # killed after the ref move: git is ahead (v5)
    git_cli(path, "update-ref", draft_ref(4), _foreign_commit(path))
    reader, editor = auth("workflows:read"), auth("workflows:edit")

    with caplog.at_level(logging.ERROR, logger="wfv.refs"):
        listed = client.get(versions_url(wid), headers=reader)
    assert listed.status_code == 200
    assert [v["version_number"] for v in listed.json()["items"]] == [4, 3, 2, 1]
    assert f"workflow={wid} ref=refs/heads/drafts/v4" in caplog.text
    assert_problem(client.post(versions_url(wid), json={}, headers=editor), 409, "ref-moved")

    summary = reconcile_all(container)
    assert summary.versions_changed == 0
    assert len(summary.errors) == 1
    assert "drafts/v4" in summary.errors[0]
    assert len(_moved_entries(container)) == 1
    with container.uow("acme") as uow:
        numbers = uow.session.scalars(select(WorkflowVersion.version_number)).all()
    assert sorted(numbers) == [1, 2, 3, 4]
    report = check_consistency(container)
    assert "ref-moved" in {p.kind for p in report.problems}


def test_a_ref_wfv_never_writes_is_reported(container: Container, flow: dict[str, Any]) -> None:
    path = flow["path"]
    git_cli(path, "update-ref", "refs/heads/hotfix", git_cli(path, "rev-parse", "v2^{commit}"))
    moved = sweep_moved_refs(container)
    assert len(moved) == 1
    assert "refs/heads/hotfix is not a ref wfv writes" in moved[0].problems
    assert check_consistency(container).problems[0].kind == "ref-moved"
    other = published_history(container, 1, org="globex")
    assert check_consistency(container, tenant_ids=["globex"]).ok
    assert uuid.UUID(str(other[0]))
