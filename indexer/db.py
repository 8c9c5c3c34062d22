"""Engines and sessions, built from a URL so a test can pass its own.

SQLite is made to behave like a real transactional database: WAL, foreign keys, a busy
timeout, and ``BEGIN IMMEDIATE`` for writing units of work so two writers queue at the
start instead of deadlocking on the read-to-write upgrade (SQLite's single writer is our
per-workflow serialisation there; PostgreSQL uses a row lock on the workflow).

On PostgreSQL we issue BEGIN ourselves too, so that the transaction's tenant scope for
row-level security (``set_config('app.tenant_id', …, true)``) travels in the same round
trip: a read of one version is then three round trips (begin, select, rollback), where
the driver's own BEGIN, a separate scoping statement and a pre-ping made it six. There is
no pre-ping: a connection that died with its server fails its statement, SQLAlchemy sees
the disconnect and empties the pool, and the next request connects afresh.
"""

from typing import Any

from psycopg import sql
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "wfv_write"
TENANT_OPTION = "wfv_tenant"  # the tenant a PostgreSQL transaction is scoped to
CONNECT_TIMEOUT_SECONDS = 3


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the pragmas and pool sizes we rely on."""
    if not is_sqlite(url):
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        # A server that is down must fail a request fast (a 503), not hold it: a bounded
        # connection attempt.
        kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        return _postgres_engine(url, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.autocommit = True  # BEGIN is ours (below); COMMIT/ROLLBACK the driver's

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        driver = conn.connection.driver_connection
        assert driver is not None, "a connection in use has its driver connection"
        tenant = options.get(TENANT_OPTION)
        if tenant is None:
            driver.execute("BEGIN")
            return
        # No parameters, so the simple query protocol runs both statements in one trip;
        # the tenant is quoted by the driver as a literal.
        scoped = sql.SQL("BEGIN; SELECT set_config('app.tenant_id', {}, true)").format(sql.Literal(tenant))
        driver.execute(scoped)

    return engine


def scoped(engine: Engine, tenant: str | None) -> Engine:
    """The same engine, its transactions scoped to ``tenant`` for row-level security
    (none: an empty scope, which sees no tenant's rows)."""
    return engine.execution_options(**{TENANT_OPTION: tenant or ""})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def writer(engine: Engine) -> Engine:
    """The same engine, flagged so a SQLite transaction takes the write lock at BEGIN."""
    return engine.execution_options(**{WRITE_OPTION: True})
