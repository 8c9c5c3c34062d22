"""Archival over HTTP: run now, dry run, candidates, runs, unarchive, legal hold, and the
rollback that archival blocks until an admin unarchives (both databases)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from service.container import Container
from tests.factories import assert_problem, published_history, versions_url

ADMIN = "/api/v1/admin/workflows"


def _archived_history(container: Container, client: TestClient, admin: dict[str, str]) -> str:
    """v1..v3 published, keep 1, 200 days later: a run archives v1 and v2."""
    container.settings.keep_versions = 1
    workflow_id = str(published_history(container, 3)[0])
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    response = client.post(f"{ADMIN}/archive-versions", json={}, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["archived"] == 2
    return workflow_id


def _audit_actions(client: TestClient, admin: dict[str, str], workflow_id: str) -> list[str]:
    body: dict[str, Any] = client.get(f"/api/v1/workflows/{workflow_id}/audit", headers=admin).json()
    return [entry["action"] for entry in body["items"]]


def test_archived_versions_stay_readable_and_rollback_waits_for_unarchive(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    workflow_id = _archived_history(container, client, admin)
    one = client.get(versions_url(workflow_id, 1), headers=admin)
    assert one.status_code == 200
    assert one.json()["status"] == "archived"
    assert one.json()["definition"]["actions"]
    compared = client.get(versions_url(workflow_id, "compare"), params={"from": 1, "to": 3}, headers=admin)
    assert compared.status_code == 200, compared.text
    assert_problem(
        client.post(versions_url(workflow_id, 1, "rollback"), headers=admin), 409, "version-conflict"
    )

    back = client.post(versions_url(workflow_id, 1, "unarchive"), headers=admin)
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["archived_at"]) == ("active", None)
    assert "unarchive" in _audit_actions(client, admin, workflow_id)
    rolled = client.post(versions_url(workflow_id, 1, "rollback"), headers=admin)
    assert rolled.status_code == 201, rolled.text
    again = client.post(f"{ADMIN}/archive-versions", json={}, headers=admin).json()
    assert again["skipped"]["recently_published"] >= 1  # unarchiving restarted v1's clock
    assert client.get(versions_url(workflow_id, 1), headers=admin).json()["status"] == "active"


def test_unarchive_of_an_active_version_is_refused(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    workflow_id = _archived_history(container, client, admin)
    body = assert_problem(client.post(versions_url(workflow_id, 3, "unarchive"), headers=admin), 409)
    assert body["type"] == "/problems/invalid-transition"
    assert client.get(versions_url(workflow_id, 3), headers=admin).json()["status"] == "active"


def test_legal_hold_keeps_a_version_and_is_audited(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    container.settings.keep_versions = 1
    workflow_id = str(published_history(container, 3)[0])
    url = versions_url(workflow_id, 1, "legal-hold")
    for bad in ({"reason": "  "}, {}, {"reason": "x", "until": "never"}):
        assert_problem(client.post(url, json=bad, headers=admin), 422)
    assert client.get(versions_url(workflow_id, 1), headers=admin).json()["legal_hold_reason"] is None
    assert_problem(client.delete(url, headers=admin), 409, "no-legal-hold")

    held = client.post(url, json={"reason": "litigation 2026-17"}, headers=admin)
    assert held.status_code == 200, held.text
    assert (held.json()["legal_hold_reason"], held.json()["legal_hold_by"]) == ("litigation 2026-17", "alice")
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    run = client.post(f"{ADMIN}/archive-versions", json={"workflow_id": workflow_id}, headers=admin).json()
    assert (run["archived"], run["skipped"]["legal_hold"]) == (1, 1)
    assert client.get(versions_url(workflow_id, 1), headers=admin).json()["status"] == "active"

    cleared = client.delete(url, params={"reason": "case closed"}, headers=admin)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["legal_hold_reason"] is None
    actions = _audit_actions(client, admin, workflow_id)
    assert actions.count("archive") == 1
    assert {"legal_hold", "legal_hold_cleared"} <= set(actions)


def test_candidates_dry_run_and_runs_list(container: Container, client: TestClient, auth: Any) -> None:
    admin = auth("workflows:admin")
    container.settings.keep_versions = 1
    workflow_id = str(published_history(container, 3)[0])
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    found = client.get(f"{ADMIN}/archival-candidates", headers=admin).json()
    assert sorted(c["version_number"] for c in found["candidates"]) == [1, 2]
    assert (found["would_archive"], found["keep_versions"]) == (2, 1)

    dry = client.post(f"{ADMIN}/archive-versions", json={"dry_run": True}, headers=admin).json()
    assert (dry["id"], dry["status"], dry["archived"]) == (None, "dry_run", 2)
    assert client.get(f"{ADMIN}/archival-runs", headers=admin).json()["items"] == []
    assert client.get(versions_url(workflow_id, 1), headers=admin).json()["status"] == "active"

    run = client.post(f"{ADMIN}/archive-versions", json={}, headers=admin).json()
    listed = client.get(f"{ADMIN}/archival-runs", headers=admin).json()["items"]
    assert [(r["id"], r["status"], r["archived"], r["trigger"]) for r in listed] == [
        (run["id"], "completed", 2, "manual")
    ]
    assert client.get(f"{ADMIN}/archival-candidates", headers=admin).json()["candidates"] == []


def test_bad_archival_requests_are_problems_and_change_nothing(
    container: Container, client: TestClient, auth: Any
) -> None:
    admin = auth("workflows:admin")
    container.settings.keep_versions = 1
    workflow_id = str(published_history(container, 3)[0])
    other = str(published_history(container, 3, org="globex")[0])
    moment = datetime.now(UTC) + timedelta(days=200)
    container.clock = lambda: moment
    post = f"{ADMIN}/archive-versions"
    assert_problem(client.post(post, json={"workflow_id": other}, headers=admin), 404, "workflow-not-found")
    assert_problem(client.post(post, json={"workflow_id": "nope"}, headers=admin), 422)
    assert_problem(client.post(post, json={"dry_run": "maybe"}, headers=admin), 422)
    assert_problem(client.get(f"{ADMIN}/archival-candidates", params={"limit": 0}, headers=admin), 422)
    assert_problem(client.post(post, json={}, headers=auth("workflows:edit")), 403, "forbidden")
    assert client.get(f"{ADMIN}/archival-runs", headers=admin).json()["items"] == []
    assert client.get(versions_url(workflow_id, 1), headers=admin).json()["status"] == "active"
    globex = auth("workflows:admin", org="globex", user="gina")
    assert client.get(versions_url(other, 1), headers=globex).json()["status"] == "active"
