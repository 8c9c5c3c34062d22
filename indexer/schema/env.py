"""Alembic environment: runs against the engine handed over in ``config.attributes``,
or against ``WFV_DATABASE_URL`` when called from the ``alembic`` command line."""

import os

from alembic import context
from sqlalchemy import Engine

from indexer.db import make_engine
from indexer.models import Base
from indexer.revisions import described_by_models

config = context.config


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    url = os.environ.get("WFV_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set WFV_DATABASE_URL to run migrations from the command line")
    return make_engine(url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=described_by_models,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
