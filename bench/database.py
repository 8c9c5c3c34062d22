"""A benchmark run's own PostgreSQL database and data folder: created and migrated at its
start, dropped at its end, with what every part of the run connects with (the schema
owner's and the service role's URLs, a ``wfv`` process's environment, the settings of an
in-process container). One place, so each benchmark says only what it measures."""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from indexer.db import make_engine
from indexer.revisions import upgrade
from service.container import Container, build_container
from service.settings import Settings
from tests.e2e.helpers import wfv_env

# The benchmarks' token secret (their own servers, their own tokens).
SECRET = "bench-secret-that-is-long-enough-for-hs256"
APP_ROLE = "wfv_app"  # what the service connects as in production (row-level security)


@dataclass(frozen=True)
class BenchDatabase:
    admin_url: str  # the server's maintenance database, where this one is created and dropped
    name: str
    host: str
    data: Path

    @property
    def admin_dsn(self) -> str:
        """The schema owner, for psycopg (seeding, statistics, reading past RLS)."""
        return f"postgresql://postgres@{self.host}/{self.name}"

    @property
    def app_dsn(self) -> str:
        """The service's role, for psycopg."""
        return f"postgresql://{APP_ROLE}@{self.host}/{self.name}"

    @property
    def owner_url(self) -> str:
        return self.admin_dsn.replace("postgresql:", "postgresql+psycopg:", 1)

    @property
    def app_url(self) -> str:
        return self.app_dsn.replace("postgresql:", "postgresql+psycopg:", 1)

    def env(self, **extra: str) -> dict[str, str]:
        """A ``wfv`` process's environment: the host's without its ``WFV_`` settings, then
        this run's data folder, database (as the service role), token secret and ``extra``."""
        return wfv_env(
            self.data,
            WFV_DATABASE_URL=self.app_url,
            WFV_MIGRATION_DATABASE_URL=self.owner_url,
            WFV_JWT_SECRET=SECRET,
            **extra,
        )

    def settings(self, **extra: Any) -> Settings:
        """An in-process container's settings on this run (its queue in memory: set-up only)."""
        values: dict[str, Any] = {"queue": "memory"} | extra
        return Settings(
            data_dir=self.data,
            database_url=self.app_url,
            migration_database_url=self.owner_url,
            jwt_secret=SECRET,
            _env_file=None,
            **values,
        )

    def drop(self) -> None:
        """The database (whoever is still connected) and the data folder, gone."""
        shutil.rmtree(self.data, ignore_errors=True)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def create_database(admin_url: str, purpose: str) -> BenchDatabase:
    """A new database ``wfv_bench_<purpose>_<pid>`` migrated to the newest revision, and an
    empty data folder; :meth:`BenchDatabase.drop` removes both."""
    name = f"wfv_bench_{purpose}_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    host = admin_url.split("@", 1)[1].rsplit("/", 1)[0]
    database = BenchDatabase(admin_url, name, host, Path(tempfile.mkdtemp()))
    try:
        engine = make_engine(database.owner_url)
        upgrade(engine)
        engine.dispose()
    except BaseException:
        database.drop()
        raise
    return database


def in_process(
    data_dir: Path, *, database_url: str | None, migration_url: str | None, **extra: Any
) -> Container:
    """A container in this process on ``data_dir`` and the given database (SQLite in
    ``data_dir`` when ``database_url`` is None), its schema upgraded: for the benchmarks
    that call the use cases themselves."""
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        migration_database_url=migration_url,
        jwt_secret=SECRET,
        _env_file=None,
        **extra,
    )
    container = build_container(settings)
    upgrade(container.migration_engine())
    return container
