"""A real ``redis-server`` of a test's own (free port; no persistence unless asked for), so
a test can kill and restart it without touching the shared Redis on 6379."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.conftest import REQUIRE_SERVICES
from tests.e2e.helpers import free_port


class RedisProcess:
    """``appendonly``: an append-only file synced at every write, so a SIGKILLed server comes
    back with everything it had acknowledged (in ``workdir``, kept across restarts)."""

    def __init__(self, workdir: Path, *, appendonly: bool = False) -> None:
        self.appendonly = appendonly
        binary = shutil.which("redis-server")
        if binary is None:
            if REQUIRE_SERVICES:
                pytest.fail("redis-server is required (WFV_REQUIRE_SERVICES=1) but not installed")
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.workdir / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.appendonly else "no",
                "--appendfsync",
                "always",
            ],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert self.process.poll() is None, f"redis-server exited: {self.process.returncode}"
                assert time.monotonic() < deadline, "redis-server never answered"
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing saved beyond what the append-only file holds."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> "redis.Redis":
        return redis.Redis.from_url(self.url)


@contextmanager
def own_redis(workdir: Path, *, appendonly: bool = False) -> Iterator[RedisProcess]:
    server = RedisProcess(workdir, appendonly=appendonly)
    server.start()
    try:
        yield server
    finally:
        server.kill()
