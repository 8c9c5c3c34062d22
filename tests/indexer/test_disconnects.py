"""Dead PostgreSQL connections, wherever they are met, go through SQLAlchemy's disconnect
handling: one that died idle in the pool is replaced before use, and one that dies under
the BEGIN (our own hook) invalidates the whole pool and reaches the caller as a
``DBAPIError`` with ``connection_invalidated``, which the service answers with a 503.

A server restart is played by ``pg_terminate_backend`` (the same ``57P01`` FATAL a fast
shutdown sends every backend); the only PostgreSQL server of these tests is shared."""

import select
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

from indexer.db import make_engine, scoped
from indexer.db_errors import server_gone
from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.postgres
POOLED = 3


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    built = make_engine(postgres_url, pool_size=POOLED, max_overflow=0)
    yield built
    built.dispose()


def _pids(engine: Engine, count: int) -> set[int]:
    """The server processes of ``count`` connections held at once (then back in the pool)."""
    with ExitStack() as stack:
        conns = [stack.enter_context(scoped(engine, "acme").connect()) for _ in range(count)]
        return {conn.execute(text("SELECT pg_backend_pid()")).scalar_one() for conn in conns}


def _terminate(pids: set[int]) -> None:
    """Each backend gone when this returns (the timeout form waits for it to exit)."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        for pid in pids:
            gone = admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()
            assert gone == (True,), f"backend {pid} still there after 10 s"


def _until_closed_by_server(dbapi_connection: Any) -> None:
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    assert poller.poll(5000), "the server did not close the connection"


def cut_after_checkout(engine: Engine) -> list[int]:
    """The next checked-out connection loses its server after the pool's own check: the
    failure lands on the BEGIN hook. Returns the pids it cut."""
    cut: list[int] = []

    @event.listens_for(engine, "checkout")
    def _cut(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if cut:
            return
        cut.append(dbapi_connection.info.backend_pid)
        _terminate(set(cut))
        _until_closed_by_server(dbapi_connection)

    return cut


def test_connections_that_died_idle_are_replaced_before_use(engine: Engine) -> None:
    before = _pids(engine, POOLED)
    _terminate(before)  # the backends have exited
    with scoped(engine, "acme").begin() as conn:  # the first request after a restart
        assert conn.execute(text("SELECT current_setting('app.tenant_id')")).scalar_one() == "acme"
    assert _pids(engine, POOLED).isdisjoint(before)


def test_a_connection_lost_at_begin_is_a_disconnect_that_invalidates_the_pool(engine: Engine) -> None:
    before = _pids(engine, POOLED)
    cut = cut_after_checkout(engine)
    with pytest.raises(DBAPIError) as caught, scoped(engine, "acme").begin():
        pass
    assert cut
    assert caught.value.connection_invalidated
    # Every other pooled connection, alive or not, is replaced rather than tried one
    # failing request at a time.
    with scoped(engine, "acme").begin() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert _pids(engine, POOLED).isdisjoint(before)


@pytest.mark.parametrize(
    ("error", "gone"),
    [
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.CrashShutdown("terminating connection because of crash"), True),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), True),
        (psycopg.errors.ConnectionFailure("connection failure"), True),
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (psycopg.errors.SerializationFailure("could not serialize access"), False),
        (psycopg.errors.UniqueViolation("duplicate key"), False),
        (ValueError("not a driver error"), False),
    ],
)
def test_which_driver_errors_mean_the_server_is_gone(error: BaseException, gone: bool) -> None:
    assert server_gone(error) is gone
