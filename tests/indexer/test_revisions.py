"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import json
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from indexer import drafts as draft_rows
from indexer.db import make_engine
from indexer.drafts import DraftKey
from indexer.models import Base, WorkflowVersion
from indexer.revisions import alembic_config, current_revision, described_by_models, upgrade
from schemas.drafts import DraftSave
from schemas.workflow import WorkflowDefinition
from service.api.app import create_app
from service.container import Container, build_container
from service.drafts import autosave as drafts
from service.settings import Settings
from service.versions.workflows import create_workflow
from tasks import runtime
from tests.conftest import JWT_SECRET, PG_ADMIN_URL
from tests.factories import example, history_counts, principal, renamed, workflow_with_history


def test_migrated_schema_matches_the_models(container: Container) -> None:
    engine = make_engine(container.settings.resolved_migration_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": described_by_models}
                ),
                Base.metadata,
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
    container = _container_on(empty_database_url, tmp_path, [Fernet.generate_key().decode()])
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
        keys = container.settings.draft_key_list()
        # Revision 0010 seals them again (its own test below): compared as 0009 holds them.
        command.downgrade(alembic_config(container.engine, keys), "0009_history_kept")
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

        upgrade(container.engine, "0009_history_kept")
        assert _stored_drafts(container, workflow.id) == before
        upgrade(container.engine, draft_keys=keys)
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


def _container_on(empty_database_url: str, tmp_path: Path, keys: list[str]) -> Container:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=empty_database_url,
        migration_database_url=empty_database_url,
        jwt_secret=JWT_SECRET,
        queue="memory",
        draft_keys=",".join(keys),
        _env_file=None,
    )
    return build_container(settings)


def _tokens(container: Container) -> list[bytes]:
    with container.engine.connect() as conn:
        return [bytes(t) for t in conn.scalars(text("SELECT content FROM workflow_version_draft_revisions"))]


def test_drafts_are_resealed_bound_to_their_place_and_back(empty_database_url: str, tmp_path: Path) -> None:
    """Revision 0010 re-seals every stored revision with its (tenant, version, user) as
    associated data; its downgrade seals them back as Fernet tokens; none is lost."""
    keys = [Fernet.generate_key().decode()]
    container = _container_on(empty_database_url, tmp_path, keys)
    try:
        upgrade(container.engine, draft_keys=keys)
        alice, bob = principal("alice"), principal("bob")
        with container.uow(alice.tenant_id, write=True) as uow:
            definition = WorkflowDefinition.model_validate(example("welcome-small"))
            workflow, _ = create_workflow(uow=uow, principal=alice, name="w", definition=definition)
            uow.commit()
        revision = 0
        for edit in range(3):
            change = DraftSave(revision=revision, definition=renamed(example("welcome-small"), str(edit)))
            revision = drafts.save_draft(
                container=container, principal=alice, workflow_id=workflow.id, ref=1, change=change
            ).revision
        change = DraftSave(revision=0, definition=renamed(example("welcome-small"), "bob"))
        drafts.save_draft(container=container, principal=bob, workflow_id=workflow.id, ref=1, change=change)
        before = _restored(container, workflow.id)
        assert {token[:1] for token in _tokens(container)} == {b"\x02"}

        command.downgrade(
            alembic_config(container.engine), "0010_draft_bound_seal"
        )  # later ones need no keys
        with pytest.raises(RuntimeError, match="draft keys"):
            command.downgrade(alembic_config(container.engine), "0009_history_kept")
        assert current_revision(container.engine) == "0010_draft_bound_seal"
        command.downgrade(alembic_config(container.engine, keys), "0009_history_kept")
        fernet = Fernet(keys[0])
        documents = [json.loads(zlib.decompress(fernet.decrypt(token))) for token in _tokens(container)]
        assert len(documents) == 6  # alice: revisions 0 (the version) to 3; bob: 0 and 1
        assert renamed(example("welcome-small"), "2") in documents

        upgrade(container.engine, draft_keys=keys)
        assert {token[:1] for token in _tokens(container)} == {b"\x02"}
        assert _restored(container, workflow.id) == before
    finally:
        container.close()


def _restored(container: Container, workflow_id: uuid.UUID) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for user in ("alice", "bob"):
        with container.uow("acme") as uow:
            draft = drafts.restore_draft(uow=uow, principal=principal(user), workflow_id=workflow_id, ref=1)
            found[user] = (draft.revision, draft.definition)
    return found


def test_history_keeps_no_cascade_through_a_round_trip(
    empty_database_url: str, tmp_path: Path, auth: Any
) -> None:
    """Revision 0009 and its downgrade keep every row; the keys into review events and
    migration items cascade below it and not at it; a downgrade that would show deleted
    workflows again is refused."""
    keys = [Fernet.generate_key().decode()]
    container = _container_on(empty_database_url, tmp_path, keys)
    try:
        upgrade(container.engine, draft_keys=keys)
        runtime.configure(container)  # the migration runs inline, as in the service tests
        with TestClient(create_app(container=container)) as client:
            workflow_id = workflow_with_history(client, auth)
            counts = history_counts(container, workflow_id)
            assert _cascading(container) == set()

            command.downgrade(alembic_config(container.engine, keys), "0008_state_head")
            assert _cascading(container) == {
                ("workflow_version_review_events", "workflow_id"),
                ("workflow_version_review_events", "review_id"),
                ("workflow_version_migration_items", "workflow_id"),
                ("workflow_version_migration_items", "migration_id"),
            }
            upgrade(container.engine, draft_keys=keys)
            assert _cascading(container) == set()
            assert history_counts(container, workflow_id) == counts

            admin = auth("workflows:admin")
            assert client.delete(f"/api/v1/workflows/{workflow_id}", headers=admin).status_code == 204
        with pytest.raises(RuntimeError, match="deleted"):
            command.downgrade(alembic_config(container.engine, keys), "0008_state_head")
        # PostgreSQL rolls the whole run back; SQLite keeps the steps before the refusal.
        scripts = ScriptDirectory.from_config(alembic_config(container.engine))
        at_or_above = {s.revision for s in scripts.walk_revisions("0009_history_kept", "heads")}
        assert current_revision(container.engine) in at_or_above
        assert "deleted_at" in {
            column["name"] for column in inspect(container.engine).get_columns("workflows")
        }
    finally:
        container.close()


def _cascading(container: Container) -> set[tuple[str, str]]:
    """(table, column) of every key into an append-only table's parent that cascades."""
    inspector = inspect(container.engine)
    return {
        (table, key["constrained_columns"][0])
        for table in ("workflow_version_review_events", "workflow_version_migration_items")
        for key in inspector.get_foreign_keys(table)
        if (key.get("options") or {}).get("ondelete", "").upper() == "CASCADE"
    }
