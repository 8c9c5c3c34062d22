"""PostgreSQL row-level security: the service's session for tenant A cannot see or write
tenant B's rows even with a query that forgets the tenant filter, and its role cannot
rewrite the audit trail. (SQLite has no RLS; the cross-tenant API tests run on both.)"""

import psycopg
import pytest
import sqlalchemy.exc
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text, update

from indexer.models import (
    AuditEntry,
    Base,
    MigrationItem,
    ReviewEvent,
    VersionMigration,
    Workflow,
    WorkflowVersion,
)
from service.container import Container
from tests.conftest import truncate_tables
from tests.factories import (
    create_workflow_via_api,
    history_counts,
    post_publish,
    post_version,
    workflow_with_history,
)

TENANTS = ("acme", "globex")


pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """PostgreSQL only: this module overrides the both-databases parametrisation."""
    truncate_tables(postgres_url)
    return postgres_url


@pytest.fixture
def two_tenants(container: Container, client: TestClient, auth) -> Container:
    for tenant in TENANTS:
        headers = auth("workflows:admin", org=tenant)
        created = create_workflow_via_api(client, headers, name=f"{tenant} flow")
        post_publish(client, headers, created["id"], 1)
        post_version(client, headers, created["id"])
        blamed = client.get(f"/api/v1/workflows/{created['id']}/actions/welcome/history", headers=headers)
        assert blamed.json()["entries"]  # blame's cache now holds rows of each tenant
    return container


def test_an_unfiltered_query_sees_only_the_sessions_tenant(two_tenants: Container) -> None:
    for tenant in TENANTS:
        with two_tenants.uow(tenant) as uow:
            for table in Base.metadata.sorted_tables:
                tenants = set(uow.session.execute(select(table.c.tenant_id)).scalars())
                assert tenants <= {tenant}, table.name
            assert len(uow.session.scalars(select(WorkflowVersion)).all()) == 2
            assert len(uow.session.scalars(select(AuditEntry)).all()) == 3


def test_a_session_without_a_tenant_sees_nothing(two_tenants: Container) -> None:
    with two_tenants.uow(None) as uow:
        assert uow.session.scalars(select(Workflow)).all() == []
        assert uow.session.scalars(select(WorkflowVersion)).all() == []


def test_writes_into_another_tenant_are_refused(two_tenants: Container) -> None:
    with two_tenants.uow("acme", write=True) as uow:
        changed = uow.session.execute(update(Workflow).values(name="hijacked")).rowcount  # type: ignore[attr-defined]
        assert changed == 1  # acme's own only
        uow.session.rollback()
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="row-level security"):
            uow.session.execute(
                text(
                    "INSERT INTO workflows (id, tenant_id, name, last_version_number, created_by, created_at,"
                    " updated_at) VALUES (gen_random_uuid(), 'globex', 'x', 0, 'eve', now(), now())"
                )
            )
    with two_tenants.uow("globex") as uow:
        assert {w.name for w in uow.session.scalars(select(Workflow))} == {"globex flow"}


@pytest.mark.parametrize("statement", [update(AuditEntry).values(action="forged"), delete(AuditEntry)])
def test_the_service_role_cannot_rewrite_the_audit_trail(two_tenants: Container, statement) -> None:
    with two_tenants.uow("acme", write=True) as uow:
        with pytest.raises(sqlalchemy.exc.ProgrammingError) as raised:
            uow.session.execute(statement)
        assert isinstance(raised.value.orig, psycopg.errors.InsufficientPrivilege)


@pytest.mark.parametrize(
    "statement",
    [
        delete(Workflow),
        delete(WorkflowVersion),
        delete(VersionMigration),
        delete(ReviewEvent),
        delete(MigrationItem),
    ],
)
def test_the_service_role_cannot_erase_history_through_its_parents(
    container: Container, client: TestClient, auth, statement
) -> None:
    """Issue 18: ``wfv_app`` could not delete review events or migration items, but a
    DELETE of their workflow cascaded into both. Now it may delete none of their parents."""
    workflow_id = workflow_with_history(client, auth)
    before = history_counts(container, workflow_id)
    with container.uow("acme", write=True) as uow:
        with pytest.raises(sqlalchemy.exc.ProgrammingError) as raised:
            uow.session.execute(statement)
        assert isinstance(raised.value.orig, psycopg.errors.InsufficientPrivilege)
    assert history_counts(container, workflow_id) == before
    assert all(before.values()), before


def test_the_service_role_owns_nothing_and_bypasses_nothing(two_tenants: Container) -> None:
    with two_tenants.uow("acme") as uow:
        role = uow.session.execute(
            text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        assert tuple(role) == ("wfv_app", False, False)
        owned = uow.session.execute(
            text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        ).scalar_one()
        assert owned == 0
        forced = uow.session.execute(
            text(
                "SELECT bool_and(relrowsecurity AND relforcerowsecurity) FROM pg_class"
                " WHERE relname = ANY(:names)"
            ),
            {"names": [t.name for t in Base.metadata.sorted_tables]},
        ).scalar_one()
        assert forced is True
