"""SQLite writers queue on a ``flock`` beside the database (``indexer.db.SqliteWriteLock``):
across processes a writer waits in the kernel for the one writing, then goes."""

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import IO

from sqlalchemy import text

from indexer.db import SqliteWriteLock, make_engine, writer

HOLDER = textwrap.dedent(
    """
    import sys
    from sqlalchemy import text
    from indexer.db import make_engine, writer
    engine = writer(make_engine(sys.argv[1]))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO log VALUES ('holder', 1)"))
        print("writing", flush=True)
        sys.stdin.readline()  # holds the lock until the test says go
    print("committed", flush=True)
    """
)


def test_a_writer_in_another_process_is_waited_for_in_the_kernel(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'index.db'}"
    engine = writer(make_engine(url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE log (who TEXT, n INTEGER)"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert holder.stdin is not None
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "writing"
        lock = SqliteWriteLock(f"{tmp_path / 'index.db'}.write-lock")
        got: list[tuple[int, IO[bytes]] | None] = []
        waiter = threading.Thread(target=lambda: got.append(lock.acquire()))
        waiter.start()
        waiter.join(0.3)
        assert waiter.is_alive()  # the other process holds it: this waits (as long as it writes)
        holder.stdin.write("go\n")
        holder.stdin.flush()
        waiter.join(10)
        assert not waiter.is_alive()
        [held] = got
        assert held is not None
        lock.release(held)
        with engine.begin() as conn:  # and a writer through the engine gets through
            conn.execute(text("INSERT INTO log VALUES ('us', 2)"))
        assert holder.wait(10) == 0
        assert holder.stdout.read().strip() == "committed"
    finally:
        holder.kill()
        holder.communicate()  # closes its pipes
    with engine.connect() as conn:
        assert conn.execute(text("SELECT who FROM log ORDER BY n")).scalars().all() == ["holder", "us"]
    engine.dispose()


def test_threads_take_turns_and_a_thread_holding_it_is_not_blocked_by_itself(tmp_path: Path) -> None:
    lock = SqliteWriteLock(str(tmp_path / "db.write-lock"))
    held = lock.acquire()
    assert held is not None
    assert lock.acquire() is None  # the same thread again: not taken twice, no deadlock
    order: list[str] = []

    def other() -> None:
        mine = lock.acquire()
        assert mine is not None
        order.append("other")
        lock.release(mine)

    thread = threading.Thread(target=other)
    thread.start()
    time.sleep(0.2)
    order.append("first")
    lock.release(held)
    thread.join(5)
    assert order == ["first", "other"]
