"""The processes a fault test runs and breaks: ``wfv serve`` and ``wfv worker`` that it can
SIGKILL and start again, on a stack (database, queue, drafts) described by one environment,
plus the test's own container on the same data dir and database to look at the result."""

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from service.auth import issue_token
from service.container import Container
from tests.e2e.helpers import WFV, free_port
from tests.tasks.conftest import container_for

SECRET = "fault-tests-secret-long-enough-for-hs256-use"


class WfvProcess:
    """One ``wfv`` process; ``kill()`` is a SIGKILL: no shutdown hook, no cleanup."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, ready_url: str | None) -> None:
        self.args, self.env, self.log, self.ready_url = args, env, log, ready_url
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> "WfvProcess":
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while self.ready_url is not None:
            assert self.process.poll() is None, f"{self.args[1]} exited early: {self.log_text()}"
            try:
                if httpx.get(self.ready_url, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{self.ready_url} never answered: {self.log_text()}"
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        assert self.process is not None, "never started"
        assert self.process.poll() is None, "not running"
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class FaultStack:
    """``env`` describes the stack to every process; ``container`` is the test's own view."""

    kind: str
    env: dict[str, str]
    workdir: Path
    container: Container
    port: int = field(default_factory=free_port)
    processes: list[WfvProcess] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, user: str = "alice", org: str = "acme") -> str:
        return issue_token(secret=SECRET, user=user, org=org, permissions=["workflows:admin"])

    def client(self, *, user: str = "alice", org: str = "acme", timeout: float = 10) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(user, org)}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=timeout)

    def serve(
        self,
        *extra: str,
        embedded_worker: bool = False,
        name: str = "serve",
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> WfvProcess:
        """A ``wfv serve`` on the stack's port, or on ``port`` (a second API process beside
        the first), with the stack's environment updated by ``env``."""
        port = port or self.port
        args = [WFV, "serve", "--port", str(port), *extra]
        if not embedded_worker:
            args.append("--no-embedded-worker")
        log = self.workdir / f"{name}.log"
        ready = f"http://127.0.0.1:{port}/healthz"
        return self._track(WfvProcess(args, self.env | (env or {}), log, ready).start())

    def worker(self, *extra: str, name: str = "worker", metrics_port: int | None = None) -> WfvProcess:
        """A ``wfv worker``; with ``metrics_port`` it serves its metrics there, which is
        also how its start waits for it to be ready (served just before it consumes)."""
        log = self.workdir / f"{name}.log"
        if metrics_port is None:
            return self._track(WfvProcess([WFV, "worker", *extra], self.env, log, None).start())
        env = self.env | {"WFV_WORKER_METRICS_PORT": str(metrics_port)}
        ready = f"http://127.0.0.1:{metrics_port}/metrics"
        return self._track(WfvProcess([WFV, "worker", *extra], env, log, ready).start(timeout=60))

    def _track(self, process: WfvProcess) -> WfvProcess:
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.container.close()


def open_stack(kind: str, env: dict[str, str], workdir: Path) -> FaultStack:
    env = env | {"WFV_JWT_SECRET": SECRET}
    return FaultStack(kind, env, workdir, container_for(env, jwt_secret=SECRET))


_RECONCILE = (
    "import json; from tasks.reconcile import reconcile_now; "
    "print(json.dumps(reconcile_now().get(blocking=True, timeout=60)))"
)


def enqueue_reconcile(stack: FaultStack) -> dict[str, int]:
    """Put the reconcile task on the stack's queue (what its schedule does every few
    minutes) and wait for a worker's answer."""
    import json
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _RECONCILE],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def wait_for(what: str, done: Callable[[], object], seconds: float, stack: FaultStack) -> None:
    """Poll ``done`` until it is true; past ``seconds`` fail with the newest process's log."""
    deadline = time.monotonic() + seconds
    while not done():
        log = stack.processes[-1].log_text()[-4000:] if stack.processes else ""
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s; {log}"
        time.sleep(0.05)
