"""A publish demotes the current version in one statement (``queries.demote_current``):
the row in the database, the copy a unit already loaded, and what the publish reports of
it (its number in the audit entry and the event, its commit as the parent on main), and
never another tenant's or another workflow's current version."""

from sqlalchemy import select

from indexer import queries
from indexer.models import WorkflowVersion
from schemas.history import MAIN_REF
from service.container import Container
from service.versions import editing, publishing
from tests.factories import git_cli, principal, published_history

ALICE = principal()


def currents(container: Container, tenant: str) -> list[tuple[str, int]]:
    with container.uow(tenant) as uow:
        rows = uow.session.execute(
            select(WorkflowVersion.workflow_id, WorkflowVersion.version_number).where(
                WorkflowVersion.is_current, WorkflowVersion.tenant_id == tenant
            )
        )
        return sorted((str(workflow), number) for workflow, number in rows)


def test_a_publish_demotes_the_current_version_even_one_its_unit_loaded(container: Container) -> None:
    workflow_id = published_history(container, 2, drafts=1)[0]
    other = published_history(container, 1, name="Other")[0]
    foreign = published_history(container, 1, org="globex", name="Foreign")[0]
    main_before = git_cli(container.store.path_for("acme", workflow_id), "rev-parse", MAIN_REF)

    with container.uow(ALICE.tenant_id, write=True) as uow:
        loaded = editing.get_version(uow=uow, principal=ALICE, workflow_id=workflow_id, ref=2)
        assert loaded.is_current
        publishing.publish_version(
            uow=uow, principal=ALICE, workflow_id=workflow_id, ref=3, expected_lock=None
        )
        assert loaded.is_current is False  # the unit's copy, without a reload
        uow.commit()

    assert currents(container, "acme") == sorted([(str(workflow_id), 3), (str(other), 1)])
    assert currents(container, "globex") == [(str(foreign), 1)]
    path = container.store.path_for("acme", workflow_id)
    assert git_cli(path, "rev-parse", f"{MAIN_REF}^") == main_before
    with container.uow(ALICE.tenant_id) as uow:
        entries, _ = queries.list_audit(
            uow.session, "acme", workflow_id, version_id=None, action="publish", limit=1, cursor=None
        )
        assert entries[0].details["previous_current"] == 2


def test_demoting_where_nothing_is_current_changes_nothing(container: Container) -> None:
    workflow_id = published_history(container, 0, drafts=1)[0]
    current = published_history(container, 1, org="globex")[0]
    with container.uow(ALICE.tenant_id, write=True) as uow:
        assert queries.demote_current(uow.session, "acme", workflow_id) is None
        # Another tenant's workflow, which has a current version: not reached.
        assert queries.demote_current(uow.session, "acme", current) is None
        uow.commit()
    assert currents(container, "globex") == [(str(current), 1)]
