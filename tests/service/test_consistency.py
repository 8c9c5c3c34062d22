"""The consistency check on both databases: clean histories pass; each broken invariant is
reported with its kind; an index merely behind git is healable, not a problem."""

import json
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from indexer.db import make_engine
from indexer.models import AuditEntry, Execution, WorkflowVersion
from schemas.history import MAIN_REF, draft_ref
from schemas.workflow import WorkflowDefinition
from service.container import Container
from service.healing.check import ConsistencyReport, check_consistency
from service.versions import editing as versions
from service.versions import workflows
from tests.e2e.helpers import WFV, settings_env
from tests.factories import (
    assert_problem,
    create_workflow_via_api,
    example,
    get_versions,
    git_cli,
    place_contacts,
    post_publish,
    post_version,
    principal,
    published_history,
    renamed,
    versions_url,
)


def _kinds(report: ConsistencyReport) -> list[str]:
    return sorted(problem.kind for problem in report.problems)


def _as_owner(container: Container, statement: object) -> None:
    """A change the service role may not make (the audit trail is insert-only for it)."""
    engine = make_engine(container.settings.resolved_migration_url)
    with engine.begin() as conn:
        conn.execute(statement)  # type: ignore[call-overload]
    engine.dispose()


@pytest.fixture
def history(container: Container) -> list[uuid.UUID]:
    """v1..v3 published (v3 current), v4 a draft; 4 contacts waiting on v3."""
    ids: list[uuid.UUID] = published_history(container, 3, drafts=1)
    place_contacts(container, "acme", str(ids[0]), str(ids[3]), {"welcome": 3, "wait-1d": 1})
    return ids


def test_a_clean_service_is_consistent(container: Container, history: list[uuid.UUID]) -> None:
    report = check_consistency(container)
    assert report.problems == []
    assert report.healable == []
    assert report.ok
    assert (report.workflows_checked, report.versions_checked, report.executions_checked) == (1, 4, 4)
    assert check_consistency(container, tenant_ids=["other"]).workflows_checked == 0


def test_an_index_behind_git_is_healable_not_a_problem(
    container: Container, history: list[uuid.UUID]
) -> None:
    with container.uow("acme", write=True) as uow:
        versions.create_version(uow=uow, principal=principal(), workflow_id=history[0])
        uow._undo.clear()  # a process killed after the ref move, before the SQL commit
    report = check_consistency(container)
    assert report.ok
    assert [(p.kind, p.version_number) for p in report.healable] == [("index-behind", 5)]


def test_main_moved_back_by_hand_is_a_moved_ref(container: Container, history: list[uuid.UUID]) -> None:
    path = container.store.path_for("acme", history[0])
    git_cli(path, "update-ref", MAIN_REF, git_cli(path, "rev-parse", "v1^{commit}"))
    report = check_consistency(container)
    assert not report.ok
    assert set(_kinds(report)) == {"ref-moved"}
    assert any("main" in p.detail for p in report.problems)
    assert report.problems[0].workflow_id == history[0]


def test_a_draft_at_a_foreign_commit_is_a_moved_ref(container: Container, history: list[uuid.UUID]) -> None:
    path = container.store.path_for("acme", history[0])
    tree = git_cli(path, "rev-parse", "v1^{tree}")
    foreign = git_cli(path, "-c", "user.name=x", "-c", "user.email=x@x", "commit-tree", tree, "-m", "by hand")
    git_cli(path, "update-ref", draft_ref(4), foreign)
    report = check_consistency(container)
    assert _kinds(report) == ["ref-moved"]
    assert "drafts/v4" in report.problems[0].detail


def test_missing_audit_and_bad_positions_are_reported(container: Container, history: list[uuid.UUID]) -> None:
    _as_owner(
        container,
        delete(AuditEntry).where(AuditEntry.action == "publish", AuditEntry.version_id == history[2]),
    )
    _as_owner(
        container,
        update(Execution).where(Execution.current_action_id == "wait-1d").values(current_action_id="gone"),
    )
    report = check_consistency(container)
    assert _kinds(report) == ["audit-missing", "execution-position"]
    assert {p.version_number for p in report.problems} == {2, 3}


def test_a_row_pointing_at_a_missing_commit_is_reported(
    container: Container, history: list[uuid.UUID]
) -> None:
    _as_owner(
        container,
        update(WorkflowVersion).where(WorkflowVersion.id == history[4]).values(commit_sha="1" * 40),
    )
    report = check_consistency(container)
    assert "commit-missing" in _kinds(report)


def test_the_admin_route_checks_the_callers_tenant_only(
    container: Container, client: TestClient, auth: Any, history: list[uuid.UUID]
) -> None:
    url = "/api/v1/admin/workflows/consistency"
    clean = client.get(url, headers=auth("workflows:admin"))
    assert clean.status_code == 200
    assert clean.json() | {"problems": [], "healable": []} == clean.json()
    assert (clean.json()["ok"], clean.json()["workflows_checked"], clean.json()["versions_checked"]) == (
        True,
        1,
        4,
    )
    assert client.get(url, headers=auth("workflows:admin", org="globex")).json()["workflows_checked"] == 0
    assert_problem(client.get(url, headers=auth("workflows:edit")), 403, "forbidden")

    path = container.store.path_for("acme", history[0])
    git_cli(path, "update-ref", MAIN_REF, git_cli(path, "rev-parse", "v2^{commit}"))
    body = client.get(url, headers=auth("workflows:admin")).json()
    assert body["ok"] is False
    assert {(p["kind"], p["ref"], p["workflow_id"]) for p in body["problems"]} == {
        ("ref-moved", MAIN_REF, str(history[0]))
    }


def test_wfv_check_prints_the_report_and_fails_on_problems(
    container: Container, history: list[uuid.UUID]
) -> None:
    env = settings_env(container.settings)
    done = subprocess.run(
        [WFV, "check", "--json"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["executions_checked"] == 4

    path = container.store.path_for("acme", history[0])
    git_cli(path, "update-ref", draft_ref(4), git_cli(path, "rev-parse", "v1^{commit}"))
    done = subprocess.run([WFV, "check"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "ref-moved" in done.stdout
    assert "1 problem(s)" in done.stdout


def test_every_kind_of_change_leaves_a_consistent_service(
    container: Container, client: TestClient, auth: Any
) -> None:
    """No false alarms: edits, draft commits, reviews, publish, rollback, delete, executions,
    a migration, archival, unarchive and legal holds, through the API, then a clean check."""
    admin, bob = auth("workflows:admin"), auth("workflows:edit", user="bob")
    wid = create_workflow_via_api(client, admin)["id"]
    doc = example("welcome-small")
    edit = client.patch(
        versions_url(wid, 1), json={"definition": renamed(doc, "e1")}, headers={**admin, "If-Match": '"1"'}
    )
    assert edit.status_code == 200, edit.text
    draft = f"{versions_url(wid, 1)}/draft"
    assert (
        client.post(draft, json={"definition": renamed(doc, "d1"), "revision": 0}, headers=admin).status_code
        == 200
    )
    assert client.post(f"{draft}/commit", json={"lock_version": 2}, headers=admin).status_code == 200
    assert (
        client.patch(f"/api/v1/workflows/{wid}", json={"required_approvals": 1}, headers=admin).status_code
        == 200
    )
    review = client.post(versions_url(wid, 1, "reviews"), headers=admin).json()["id"]
    verdict = {"verdict": "approve"}
    assert (
        client.post(
            f"/api/v1/workflows/{wid}/reviews/{review}/verdicts", json=verdict, headers=bob
        ).status_code
        == 201
    )
    assert client.post(versions_url(wid, 1, "publish"), headers=admin).status_code == 200
    assert (
        client.patch(f"/api/v1/workflows/{wid}", json={"required_approvals": 0}, headers=admin).status_code
        == 200
    )
    contacts = {"contact_ids": [f"c-{n}" for n in range(20)]}
    assert client.post(f"/api/v1/workflows/{wid}/executions", json=contacts, headers=admin).status_code == 201
    for number in (2, 3):
        post_version(client, admin, wid, definition=renamed(doc, f"v{number}"))
        post_publish(client, admin, wid, number)
    migrate = client.post(versions_url(wid, 3, "migrate"), json={"from_versions": [1]}, headers=admin)
    assert migrate.status_code == 202, migrate.text
    assert client.post(versions_url(wid, 1, "rollback"), headers=admin).status_code == 201  # v4
    post_version(client, admin, wid)  # v5
    assert client.delete(versions_url(wid, 5), headers={**admin, "If-Match": '"1"'}).status_code == 200
    hold = client.post(versions_url(wid, 2, "legal-hold"), json={"reason": "audit"}, headers=admin)
    assert hold.status_code == 200, hold.text
    container.settings.keep_versions = 1
    container.clock = lambda: datetime.now(UTC) + timedelta(days=200)
    run = client.post("/api/v1/admin/workflows/archive-versions", json={}, headers=admin).json()
    assert run["archived"] >= 1, run
    archived = [
        v["version_number"] for v in get_versions(client, admin, wid)["items"] if v["status"] == "archived"
    ]
    assert archived == [1]  # v2 held, v3 has contacts, v4 current
    assert client.post(versions_url(wid, 1, "unarchive"), headers=admin).status_code == 200
    assert client.post("/api/v1/admin/workflows/archive-versions", json={}, headers=admin).status_code == 200

    report = check_consistency(container)
    assert report.problems == []
    assert report.healable == []
    assert (report.versions_checked, report.executions_checked) == (5, 20)


def test_a_repository_without_its_row_is_healable(container: Container, history: list[uuid.UUID]) -> None:
    with container.uow("acme", write=True) as uow:
        lost, _ = workflows.create_workflow(
            uow=uow,
            principal=principal(),
            name="Lost",
            definition=WorkflowDefinition.model_validate(example("welcome-small")),
        )
        uow._undo.clear()  # killed before the SQL commit: the repository stays
    report = check_consistency(container)
    assert report.ok
    assert [(p.kind, p.workflow_id) for p in report.healable] == [("index-behind", lost.id)]
