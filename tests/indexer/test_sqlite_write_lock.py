"""SQLite writers queue on a ``flock`` beside the database (``indexer.db.SqliteWriteLock``):
across processes a writer waits in the kernel for the one writing, then goes."""

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sqlalchemy import text

from indexer.db import SqliteWriteLock, make_engine, writer

HOLDER = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import text
    from indexer.db import make_engine, writer
    engine = writer(make_engine(sys.argv[1]))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO log VALUES ('holder', 1)"))
        print("writing", flush=True)
        time.sleep(float(sys.argv[2]))
    print("committed", flush=True)
    """
)


def test_a_writer_in_another_process_is_waited_for_in_the_kernel(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'index.db'}"
    engine = writer(make_engine(url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE log (who TEXT, n INTEGER)"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, "0.6"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "writing"
        lock = SqliteWriteLock(f"{tmp_path / 'index.db'}.write-lock")
        started = time.monotonic()
        held = lock.acquire()  # the other process holds it: this waits
        waited = time.monotonic() - started
        assert held is not None
        lock.release(held)
        assert waited > 0.3
        with engine.begin() as conn:  # and a writer through the engine gets through
            conn.execute(text("INSERT INTO log VALUES ('us', 2)"))
        assert holder.wait(10) == 0
        assert holder.stdout.read().strip() == "committed"
    finally:
        holder.kill()
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
