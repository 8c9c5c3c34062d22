"""A repository older than the index (put back from a copy taken before the database dump,
the wrong backup order; docs/operations.md), on both databases: the consistency check
names the workflow and versions as ``index-ahead`` problems, nothing is offered as
healable, healing refuses to rewrite the index from the older repository, reads answer
from the index and writes are refused with a 409 problem."""

import shutil
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry
from service.container import Container
from service.healing.check import check_consistency
from service.healing.scan import reconcile_all
from tests.factories import assert_problem, example, published_history, renamed, versions_url


def test_a_repository_older_than_the_index_is_reported_and_never_healed_backwards(
    container: Container, client: TestClient, auth: Any
) -> None:
    workflow_id = published_history(container, 1, drafts=1)[0]
    path = container.store.path_for("acme", workflow_id)
    old_copy = path.parent / "old-copy"
    shutil.copytree(path, old_copy)
    admin = auth("workflows:admin")
    edit = {"definition": renamed(example("welcome-small"), "after the copy"), "lock_version": 1}
    edited = client.patch(f"{versions_url(workflow_id)}/2", json=edit, headers=admin)
    assert edited.status_code == 200, edited.text
    shutil.rmtree(path)
    old_copy.rename(path)  # the restore of the older copy

    report = check_consistency(container)
    found = {(p.kind, p.workflow_id, p.version_number) for p in report.problems}
    assert ("index-ahead", workflow_id, None) in found
    assert ("index-ahead", workflow_id, 2) in found  # drafts/v2 lacks the edit
    assert ("commit-missing", workflow_id, 2) in found
    assert report.healable == []
    watermark = next(p for p in report.problems if p.kind == "index-ahead" and p.version_number is None)
    assert "older than the index" in watermark.detail
    assert watermark.ref == "refs/wfv/head"

    summary = reconcile_all(container)
    assert len(summary.errors) == 1
    assert "older than the index" in summary.errors[0]
    assert summary.versions_changed == 0
    with container.uow("acme") as uow:
        recorded = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "ref_moved")))
    assert len(recorded) == 1

    read = client.get(f"{versions_url(workflow_id)}/2", headers=admin)
    assert read.status_code == 200
    assert read.json()["lock_version"] == 2  # the index as it was, not the old copy
    refused = client.patch(f"{versions_url(workflow_id)}/2", json=edit | {"lock_version": 2}, headers=admin)
    assert_problem(refused, 409, "ref-moved")
    assert "older than the index" in refused.json()["detail"]
    assert check_consistency(container).problems == report.problems
