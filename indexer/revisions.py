"""Apply the schema's Alembic revisions programmatically (``wfv db upgrade``, start-up, tests)."""

import fcntl
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text


def described_by_models(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's ``include_name``: everything but the journey's partitions (and their
    indexes, which PostgreSQL names after them)."""
    return name is None or type_ not in ("table", "index") or not _PARTITION.match(name)


REVISIONS = Path(__file__).parent / "schema"
# The journey's partitions on PostgreSQL (``execution_journey_p20261209``, ``_default``):
# made and dropped by the daily task, not described by the models.
_PARTITION = re.compile(r"^execution_journey_(p[0-9]{8}|default)(_|$)")
# pg_advisory_lock key of "upgrade the schema" (any constant no other code uses).
_UPGRADE_LOCK = 0x77667601


def alembic_config(engine: Engine, draft_keys: Sequence[str] = ()) -> Config:
    """``draft_keys`` (WFV_DRAFT_KEYS) for the revisions that re-seal stored drafts (0010);
    a database with drafts to re-seal refuses an upgrade without them."""
    config = Config()
    config.set_main_option("script_location", str(REVISIONS))
    config.attributes["engine"] = engine
    config.attributes["draft_keys"] = list(draft_keys)
    return config


@contextmanager
def _one_upgrader(engine: Engine) -> Iterator[None]:
    """Every ``wfv serve`` migrates at start, and several nodes start together: one
    migrates, the others wait for it and then find nothing left to do (two concurrent
    Alembic runs would both try the same ``CREATE TABLE``)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _UPGRADE_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _UPGRADE_LOCK})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.upgrade-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head", *, draft_keys: Sequence[str] = ()) -> None:
    """Bring the schema of ``engine``'s database to ``revision`` (one process at a time)."""
    with _one_upgrader(engine):
        command.upgrade(alembic_config(engine, draft_keys), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
