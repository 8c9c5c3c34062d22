"""A transaction the database rolled back because of a concurrent one (a PostgreSQL
deadlock, SQLite's lock wait running out) is not an outage: it is answered as a 503
``transaction-conflict`` problem with ``Retry-After`` (nothing was changed, the same request
is likely to pass), while a lost server stays ``database-unavailable``."""

import threading
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError

from service.api.app import create_app
from service.api.problems import database_unavailable, transaction_conflict
from service.container import build_container
from service.settings import Settings
from tests.conftest import JWT_SECRET
from tests.factories import assert_problem


def _real_deadlock(url: str) -> OperationalError:
    """Two sessions lock two rows in opposite orders; PostgreSQL breaks the cycle by
    rolling one back with SQLSTATE 40P01."""
    table = f"deadlock_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as setup:
        setup.execute(text(f"CREATE TABLE {table} (id int PRIMARY KEY, n int)"))
        setup.execute(text(f"INSERT INTO {table} VALUES (1, 0), (2, 0)"))
    first, second = create_engine(url).connect(), create_engine(url).connect()
    caught: list[OperationalError] = []
    both_locked = threading.Barrier(2)

    def cross(conn: Connection, mine: int, theirs: int) -> None:
        try:
            conn.execute(text(f"UPDATE {table} SET n = 1 WHERE id = {mine}"))
            both_locked.wait(timeout=10)
            conn.execute(text(f"UPDATE {table} SET n = 1 WHERE id = {theirs}"))
        except OperationalError as exc:
            caught.append(exc)
        finally:
            conn.rollback()

    threads = [
        threading.Thread(target=cross, args=(first, 1, 2)),
        threading.Thread(target=cross, args=(second, 2, 1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    first.close()
    second.close()
    with engine.connect() as teardown:
        teardown.execute(text(f"DROP TABLE {table}"))
    assert len(caught) == 1, caught
    return caught[0]


def _real_sqlite_lock(path: Path) -> OperationalError:
    url = f"sqlite:///{path}"
    holder = create_engine(url).connect()
    holder.exec_driver_sql("CREATE TABLE t (n int)")
    holder.commit()
    holder.exec_driver_sql("BEGIN IMMEDIATE")
    waiter = create_engine(url, connect_args={"timeout": 0}).connect()
    try:
        with pytest.raises(OperationalError) as raised:
            waiter.exec_driver_sql("INSERT INTO t VALUES (1)")
        return raised.value
    finally:
        waiter.close()
        holder.rollback()
        holder.close()


def _answer_to(error: Exception, tmp_path: Path) -> httpx.Response:
    """What the service's own handlers answer for ``error`` raised inside a route."""
    settings = Settings(data_dir=tmp_path / "data", jwt_secret=JWT_SECRET, queue="memory", _env_file=None)
    container = build_container(settings)
    app = create_app(container=container)

    @app.get("/raise")
    def _raise() -> None:
        raise error

    with TestClient(app, raise_server_exceptions=False) as client:
        response: httpx.Response = client.get("/raise")
    container.close()
    return response


@pytest.mark.postgres
def test_a_postgresql_deadlock_is_a_transaction_conflict(postgres_url: str, tmp_path: Path) -> None:
    error = _real_deadlock(postgres_url)
    assert getattr(error.orig, "sqlstate", None) == "40P01"
    assert database_unavailable(error)
    assert transaction_conflict(error)
    response = _answer_to(error, tmp_path)
    assert_problem(response, 503, "transaction-conflict")
    assert response.headers["Retry-After"] == "2"


def test_a_locked_sqlite_database_is_a_transaction_conflict(tmp_path: Path) -> None:
    error = _real_sqlite_lock(tmp_path / "locked.db")
    assert transaction_conflict(error)
    response = _answer_to(error, tmp_path)
    assert_problem(response, 503, "transaction-conflict")


def test_an_unreachable_server_is_not_a_conflict(tmp_path: Path) -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(OperationalError) as raised:
        engine.connect()
    assert database_unavailable(raised.value)
    assert not transaction_conflict(raised.value)
    assert_problem(_answer_to(raised.value, tmp_path), 503, "database-unavailable")
