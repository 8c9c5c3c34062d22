"""Deleting a workflow hides it and erases none of its history, on both databases (issue 18:
deleting a workflow cascaded into review events and migration items). The service role's
side of it on PostgreSQL is in tests/security/test_row_level_security.py."""

import uuid
from typing import Any

import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from sqlalchemy import delete

from indexer.db import make_engine
from indexer.models import Review, VersionMigration, Workflow, WorkflowVersion
from service.container import Container
from service.healing.scan import reindex_all
from tests.factories import assert_problem, empty_index, history_counts, versions_url, workflow_with_history

API = "/api/v1/workflows"


@pytest.fixture
def kept(client: TestClient, auth) -> str:
    return workflow_with_history(client, auth)


def test_a_deleted_workflow_is_gone_from_every_route_and_its_history_stays(
    client: TestClient, container: Container, auth, kept: str
) -> None:
    before = history_counts(container, kept)
    assert all(before.values()), before  # every append-only table holds rows of it
    admin, reader = auth("workflows:admin"), auth("workflows:read")

    assert client.delete(f"{API}/{kept}", headers=admin).status_code == 204

    for url in (f"{API}/{kept}", versions_url(kept), versions_url(kept, 1), f"{API}/{kept}/audit"):
        assert_problem(client.get(url, headers=reader), 404)
    assert kept not in {w["id"] for w in client.get(API, headers=reader).json()["items"]}
    assert_problem(client.delete(f"{API}/{kept}", headers=admin), 404)
    after = history_counts(container, kept)
    assert after == {**before, "workflow_version_audit_logs": before["workflow_version_audit_logs"] + 1}
    trail = client.get(f"{API}/{kept}/audit", headers=admin).json()["items"]
    assert (trail[0]["action"], trail[0]["actor_id"]) == ("delete_workflow", "alice")
    assert trail[-1]["action"] == "create_workflow"


def test_only_admins_of_its_tenant_delete_a_workflow(client: TestClient, auth, kept: str) -> None:
    assert_problem(client.delete(f"{API}/{kept}", headers=auth("workflows:edit")), 403)
    assert_problem(client.delete(f"{API}/{kept}", headers=auth("workflows:admin", org="globex")), 404)
    assert_problem(client.delete(f"{API}/{uuid.uuid4()}", headers=auth("workflows:admin")), 404)
    assert client.get(f"{API}/{kept}", headers=auth("workflows:read")).status_code == 200


def test_a_workflow_with_contacts_in_flight_is_not_deleted(
    client: TestClient, container: Container, auth, kept: str
) -> None:
    admin = auth("workflows:admin")
    client.post(f"{API}/{kept}/executions", json={"contact_ids": ["c-9"]}, headers=admin)
    before = history_counts(container, kept)
    assert_problem(client.delete(f"{API}/{kept}", headers=admin), 409, "workflow-busy")
    assert client.get(f"{API}/{kept}", headers=admin).status_code == 200
    assert history_counts(container, kept) == before


@pytest.mark.parametrize("parent", [Workflow, WorkflowVersion, Review, VersionMigration])
def test_nothing_cascades_into_append_only_rows_even_for_the_owner(
    container: Container, kept: str, parent: Any
) -> None:
    """The schema itself refuses: a hard delete of any parent of history fails, whoever
    runs it (the owner here; PostgreSQL's cascades would run with the owner's rights)."""
    before = history_counts(container, kept)
    column = parent.id if parent is Workflow else parent.workflow_id
    owner = make_engine(container.settings.resolved_migration_url)
    try:
        with owner.connect() as conn, pytest.raises(sqlalchemy.exc.IntegrityError):
            conn.execute(delete(parent).where(column == uuid.UUID(kept)))
    finally:
        owner.dispose()
    assert history_counts(container, kept) == before


def test_a_reindex_into_an_empty_database_keeps_it_deleted(
    client: TestClient, container: Container, auth, kept: str
) -> None:
    admin = auth("workflows:admin")
    assert client.delete(f"{API}/{kept}", headers=admin).status_code == 204
    empty_index(container)
    assert reindex_all(container).errors == []
    assert_problem(client.get(f"{API}/{kept}", headers=admin), 404)
    assert client.get(f"{API}/{kept}/audit", headers=admin).status_code == 200
