"""A throwaway PostgreSQL cluster of a test's own, which it may crash and restart.

The machine's cluster on 5432 is shared with other engineers' runs, so a fault test never
stops it: it ``initdb``s its own in a temporary directory (owned by ``postgres``, as
``initdb`` refuses root), on a free loopback port with trust authentication, tuned to start
in well under a second (no fsync: durability across a *machine* crash is not what these
tests are about; ``pg_ctl -m immediate`` is a crash of the server process, whose WAL the
operating system still holds and replays on the next start). ``synchronous_commit`` stays
on: off, a crash loses commits the server had already acknowledged.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from indexer.db import make_engine
from indexer.revisions import upgrade
from tests.conftest import REQUIRE_SERVICES
from tests.e2e.helpers import free_port

BIN = Path(os.environ.get("WFV_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
SYSTEM_USER = "postgres"
DATABASE = "wfv"
_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
    # Notice a client that died mid-statement (a SIGKILLed API) and abort its transaction,
    # as a server would once TCP keepalives fire; without it a sleeping COMMIT completes.
    "client_connection_check_interval": "100ms",
}


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"a private PostgreSQL is required (WFV_REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


class PrivateCluster:
    """``start()``, ``crash()`` (immediate stop), ``stop()``, ``restart()``, ``remove()``."""

    def __init__(self) -> None:
        if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
            _unavailable(f"no PostgreSQL binaries under {BIN} (set WFV_TEST_PG_BIN)")
        try:
            owner = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            _unavailable(f"no '{SYSTEM_USER}' system user to run initdb as")
        if os.geteuid() != 0 and os.geteuid() != owner.pw_uid:
            _unavailable("initdb must run as root (via runuser) or as the postgres user")
        self._uid, self._gid = owner.pw_uid, owner.pw_gid
        # Not under pytest's tmp_path: its 0700 root would keep the postgres user out.
        self.root = Path(tempfile.mkdtemp(prefix="wfv-faults-pg-"))
        os.chown(self.root, self._uid, self._gid)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.owner_url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"
        self._run(BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")

    def _run(self, *args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}{self._log_tail()}")
        return done

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def start(self) -> None:
        options = " ".join(f"-c {k}={v}" for k, v in _SETTINGS.items())
        self._run(
            BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-t",
            "30",
            "-o",
            f"-p {self.port} -k {self.root} {options}",
            "start",
        )

    def crash(self) -> None:
        """Stop at once, as a crash would: connections cut, WAL replayed on the next start."""
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    def restart(self) -> None:
        self.crash()
        self.start()

    def running(self) -> bool:
        return self._run(BIN / "pg_ctl", "-D", self.data, "status", check=False).returncode == 0

    def create_database(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')

    def prepare(self) -> None:
        """Start, create the database and migrate it to head, as the schema owner (which
        creates the service role, ``wfv_app``, that the processes connect as)."""
        self.start()
        self.create_database()
        engine = make_engine(self.owner_url)
        try:
            upgrade(engine)
            with engine.connect() as conn:
                found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'wfv_app'")).scalar()
            assert found == 1, "the migrations did not create the service role"
        finally:
            engine.dispose()

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                psycopg.connect(self.admin_url, connect_timeout=1).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def remove(self) -> None:
        if self.running():
            self.crash()
        shutil.rmtree(self.root, ignore_errors=True)
