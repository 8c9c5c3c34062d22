"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from indexer import drafts as draft_rows
from indexer.db import make_engine
from indexer.drafts import DraftKey
from indexer.migrate import alembic_config, current_revision, upgrade
from indexer.models import Base, WorkflowVersion
from schemas.drafts import DraftSave
from schemas.workflow import WorkflowDefinition
from service import drafts
from service.container import Container, build_container
from service.settings import Settings
from service.workflows import create_workflow
from tests.conftest import JWT_SECRET, PG_ADMIN_URL
from tests.factories import example, principal, renamed


def test_migrated_schema_matches_the_models(container: Container) -> None:
    engine = make_engine(container.settings.resolved_migration_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        assert current_revision(engine) is not None
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(container: Container) -> None:
    engine = make_engine(container.settings.resolved_migration_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        assert current_revision(engine) == before
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all (the schema owner's URL), on each database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'index.db'}"
        return
    postgres_url: str = request.getfixturevalue("postgres_url")  # skips (or fails under CI) when absent
    name = f"wfv_migration_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_saved_drafts_survive_the_move_to_revision_rows_and_back(
    empty_database_url: str, tmp_path: Path
) -> None:
    """Revision 0006 moves each draft's packed history into rows of their own (and its
    downgrade packs them back): every kept revision and every tombstone comes through."""
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=empty_database_url,
        migration_database_url=empty_database_url,
        jwt_secret=JWT_SECRET,
        queue="memory",
        _env_file=None,
    )
    container = build_container(settings)
    try:
        upgrade(container.engine)
        alice, bob = principal("alice"), principal("bob")
        with container.uow(alice.tenant_id, write=True) as uow:
            workflow, _ = create_workflow(
                uow=uow,
                principal=alice,
                name="w",
                definition=WorkflowDefinition.model_validate(example("welcome-small")),
            )
            uow.commit()
        revision = 0
        for edit in range(12):  # more saves than the ten revisions kept
            change = DraftSave(revision=revision, definition=renamed(example("welcome-small"), str(edit)))
            revision = drafts.save_draft(
                container=container, principal=alice, workflow_id=workflow.id, ref=1, change=change
            ).revision
        change = DraftSave(revision=0, definition=example("welcome-small"))
        drafts.save_draft(container=container, principal=bob, workflow_id=workflow.id, ref=1, change=change)
        with container.uow(bob.tenant_id, write=True) as uow:
            drafts.discard_draft(uow=uow, principal=bob, workflow_id=workflow.id, ref=1)
            uow.commit()
        before = _stored_drafts(container, workflow.id)
        assert sorted(before["alice"][1]) == list(range(3, 13))
        assert before["bob"] == (1, {})  # a tombstone

        command.downgrade(alembic_config(container.engine), "0005_archival")
        with container.engine.connect() as conn:
            found = conn.execute(text("SELECT user_id, content FROM workflow_version_drafts"))
            packed: dict[str, bytes] = {user: bytes(content) for user, content in found}
        assert packed["bob"] == b""
        assert packed["alice"].startswith(b"WFVD1")
        assert all(token in packed["alice"] for token in before["alice"][1].values())

        upgrade(container.engine)
        assert _stored_drafts(container, workflow.id) == before
        with container.uow(alice.tenant_id) as uow:
            restored = drafts.restore_draft(uow=uow, principal=alice, workflow_id=workflow.id, ref=1)
        assert restored.revision == 12
        assert restored.definition == renamed(example("welcome-small"), "11")
    finally:
        container.close()


def _stored_drafts(container: Container, workflow_id: uuid.UUID) -> dict[str, tuple[int, dict[int, bytes]]]:
    with container.uow("acme") as uow:
        version = uow.session.scalars(
            select(WorkflowVersion.id).where(WorkflowVersion.workflow_id == workflow_id)
        ).one()
        keys = [DraftKey("acme", workflow_id, version, user) for user in ("alice", "bob")]
        found = draft_rows.get_drafts(uow.session, keys)
        return {key.user_id: (row.revision, dict(row.tokens)) for key, row in found.items()}
