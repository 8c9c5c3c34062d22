"""Real processes for end-to-end tests: the ``wfv`` command and a free port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

WFV = str(Path(sys.executable).with_name("wfv"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wfv_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WFV_")}
    env |= {"WFV_DATA_DIR": str(data_dir), **extra}
    return env


def settings_env(settings: Any) -> dict[str, str]:
    """``wfv_env`` for a command run on a test's own data dir and database."""
    return wfv_env(
        settings.data_dir,
        WFV_DATABASE_URL=settings.resolved_database_url,
        WFV_MIGRATION_DATABASE_URL=settings.resolved_migration_url,
        WFV_QUEUE="memory",
    )


def run_wfv(*args: str, env: dict[str, str], timeout: float = 60) -> str:
    done = subprocess.run([WFV, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"wfv {' '.join(args)} failed: {done.stderr}"
    return done.stdout


@contextmanager
def running(
    args: list[str], env: dict[str, str], log: Path, ready_url: str | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a process (in ``cwd``, else ours), wait until ``ready_url`` answers, stop it at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        deadline = time.monotonic() + 30
        while ready_url is not None:
            assert process.poll() is None, f"{args[0]} exited early: {log.read_text()}"
            try:
                if httpx.get(ready_url, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{ready_url} never answered: {log.read_text()}"
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss_kib(pid: int) -> int:
    """A process's resident memory: what a test of "read without buffering" measures."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


UI_APP = Path(__file__).parents[2] / "service" / "api" / "ui" / "app"


def require_built_ui() -> None:
    """The web UI built into the package (``./scripts/web``, which ``make test`` runs);
    else skip, or fail under CI, where nothing may skip."""
    if (UI_APP / "index.html").is_file():
        return
    reason = f"the web UI is not built in {UI_APP}: run ./scripts/web"
    if os.environ.get("WFV_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
