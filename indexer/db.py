"""Engines and sessions, built from a URL so a test can pass its own.

SQLite is made to behave like a real transactional database: WAL, foreign keys, a busy
timeout, and ``BEGIN IMMEDIATE`` for writing units of work so two writers queue at the
start instead of deadlocking on the read-to-write upgrade (SQLite's single writer is our
per-workflow serialisation there; PostgreSQL uses a row lock on the workflow). Writers
queue for that lock in the kernel (``SqliteWriteLock``), not in SQLite's busy handler.

On PostgreSQL we issue BEGIN ourselves too, so that the transaction's tenant scope for
row-level security (``set_config('app.tenant_id', …, true)``) travels in the same round
trip: a read of one version is then three round trips (begin, select, rollback), where
the driver's own BEGIN, a separate scoping statement and a pre-ping made it six. That
BEGIN goes through SQLAlchemy (``exec_driver_sql``), never straight to the driver, so a
failure there is classified like any other (see ``indexer.db_errors``).
"""

import fcntl
import json
import threading
from typing import IO, Any

import orjson
from psycopg import sql
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from indexer.db_errors import classify_disconnects

WRITE_OPTION = "wfv_write"
TENANT_OPTION = "wfv_tenant"  # the tenant a PostgreSQL transaction is scoped to
CONNECT_TIMEOUT_SECONDS = 3


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def json_text(value: Any) -> str:
    """A JSON column's text, through orjson: every version write stores its whole document
    (tens of KB), and the standard library's C encoder takes five to ten times as long.
    What orjson refuses (integers beyond 64 bits, keys that are not strings) goes the
    standard library's way. NaN never gets here: a document that holds one is refused
    when it is made canonical, before anything is stored."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the pragmas and pool sizes we rely on."""
    kwargs.setdefault("json_serializer", json_text)
    # A failed statement's error names its SQL, never its parameters: they are user text
    # (definitions, comments) and secrets (draft ciphertexts), and errors reach the logs.
    kwargs.setdefault("hide_parameters", True)
    if not is_sqlite(url):
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        # A server that is down must fail a request fast (a 503), not hold it: a bounded
        # connection attempt.
        kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        return _postgres_engine(url, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs)
    database = engine.url.database
    write_lock = SqliteWriteLock(f"{database}.write-lock") if database and database != ":memory:" else None

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
        if write and write_lock is not None:
            conn.info[_HELD] = write_lock.acquire()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def _on_checkin(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        # After COMMIT or ROLLBACK (the connection is back in the pool), or with a broken
        # connection: the next writer goes.
        held = record.info.pop(_HELD, None)
        if held is not None and write_lock is not None:
            write_lock.release(held)

    return engine


_HELD = "wfv_write_lock"


class SqliteWriteLock:
    """One writer at a time across threads and processes: an exclusive ``flock`` on a file
    beside the database, taken before ``BEGIN IMMEDIATE`` and given back when the
    connection returns to the pool.

    SQLite's own wait for its write lock is a busy handler that sleeps 1, 2, 5 … 100 ms
    between tries: under load a writer that just finished wins again and again while the
    others sleep (two server processes saving drafts: p99 over 4 s). Waiters on a ``flock``
    sleep in the kernel and wake as it is released. A thread that already holds it (a
    second write transaction inside a first) does not take it again: it meets SQLite's
    own lock, as before.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._holders: dict[int, IO[bytes]] = {}
        self._guard = threading.Lock()

    def acquire(self) -> tuple[int, IO[bytes]] | None:
        thread = threading.get_ident()
        with self._guard:
            if thread in self._holders:
                return None
        handle = open(self._path, "ab")  # held past this call: closed by release
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # the GIL is released while it waits
        except BaseException:
            handle.close()
            raise
        with self._guard:
            self._holders[thread] = handle
        return thread, handle

    def release(self, held: tuple[int, IO[bytes]]) -> None:
        thread, handle = held
        with self._guard:
            self._holders.pop(thread, None)
        handle.close()  # closing the only descriptor drops the lock


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
        tenant = options.get(TENANT_OPTION)
        statement = "BEGIN"
        if tenant is not None:
            # The tenant is quoted by the driver as a literal.
            driver = conn.connection.driver_connection
            scope = sql.SQL("SELECT set_config('app.tenant_id', {}, true)").format(sql.Literal(tenant))
            statement = f"BEGIN; {scope.as_string(driver)}"
        # Through SQLAlchemy, so a dead connection is seen as a disconnect (the pool is
        # invalidated, the caller gets a 503) rather than escaping as the driver's raw error.
        # ``no_parameters``: the driver gets no parameters at all, so the simple query
        # protocol runs both statements in one trip.
        conn.exec_driver_sql(statement, execution_options={"no_parameters": True})

    classify_disconnects(engine)
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


def ping(engine: Engine) -> None:
    """One round trip on a connection of the pool: raises when the database cannot answer
    (the readiness probe's question)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
