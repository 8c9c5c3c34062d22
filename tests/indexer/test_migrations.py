"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from indexer.db import make_engine
from indexer.migrate import current_revision, upgrade
from indexer.models import Base
from service.container import Container


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
