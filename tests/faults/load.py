"""Clients that keep writing while a test breaks something: each thread creates a workflow,
publishes v1, then creates, edits and publishes further versions. Every 2xx answer is an
:class:`Ack` (what the service promised is durable); every other outcome a :class:`Miss`.

An answer that never came (the connection cut) promises nothing: the write may or may not
have happened, and healing decides which. After a miss a thread starts over on a new
workflow, since it cannot know where the old one stands.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.factories import example, renamed
from tests.faults.stack import FaultStack

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Ack:
    op: str  # create_workflow, create_version, edit, publish
    workflow_id: str
    version_id: str
    version_number: int
    lock_version: int
    commit_sha: str
    at: float

    @classmethod
    def of(cls, op: str, body: dict[str, Any]) -> "Ack":
        """The acknowledgement a 2xx answer's body gives (a version, or a workflow's)."""
        version = body.get("version", body)
        return cls(
            op,
            str(version["workflow_id"]),
            str(version["id"]),
            int(version["version_number"]),
            int(version["lock_version"]),
            str(version["commit_sha"]),
            time.monotonic(),
        )


@dataclass(frozen=True)
class Miss:
    op: str
    status: int | None  # None: no answer (connection refused or cut, timeout)
    content_type: str
    body: str
    error: str
    at: float
    elapsed: float


class Failed(Exception):
    """A write that was not acknowledged; the thread starts a new workflow."""


@dataclass
class Load:
    stack: FaultStack
    threads: int = 4
    versions_per_workflow: int = 3
    org: str = "acme"
    pause: float = 0.0
    acks: list[Ack] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> "Load":
        for n in range(self.threads):
            worker = threading.Thread(target=self._run, args=(n,), name=f"load-{n}", daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)
            assert not worker.is_alive(), f"{worker.name} is stuck"

    def acked(self, op: str | None = None) -> list[Ack]:
        with self._lock:
            return [a for a in self.acks if op is None or a.op == op]

    def missed(self) -> list[Miss]:
        with self._lock:
            return list(self.misses)

    def wait_for_acks(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while len(self.acked()) < count:
            assert time.monotonic() < deadline, f"only {len(self.acked())} acks; misses: {self.summary()}"
            time.sleep(0.02)

    def summary(self) -> str:
        ops = Counter(a.op for a in self.acked())
        kinds = Counter((m.op, m.status, m.error[:60]) for m in self.missed())
        return f"acks {dict(ops)}; misses {dict(kinds)}"

    def _run(self, n: int) -> None:
        with self.stack.client(org=self.org, timeout=10) as client:
            cycle = 0
            while not self._stop.is_set():
                cycle += 1
                try:
                    self._cycle(client, f"t{n}-c{cycle}")
                except Failed:
                    self._stop.wait(0.02)

    def _cycle(self, client: httpx.Client, name: str) -> None:
        document = example("welcome-small")
        created = self._call(
            client, "create_workflow", "POST", "/workflows", 201, json={"name": name, "definition": document}
        )
        workflow_id = created["id"]
        self._publish(client, workflow_id, 1)
        for number in range(2, self.versions_per_workflow + 1):
            if self._stop.is_set():
                return
            body = {"definition": renamed(document, f"{name} v{number}")}
            made = self._call(
                client, "create_version", "POST", f"/workflows/{workflow_id}/versions", 201, json=body
            )
            edited = renamed(body["definition"], "edited")
            headers = {"If-Match": f'"{made["lock_version"]}"'}
            path = f"/workflows/{workflow_id}/versions/{number}"
            self._call(client, "edit", "PATCH", path, 200, json={"definition": edited}, headers=headers)
            self._publish(client, workflow_id, number)

    def _publish(self, client: httpx.Client, workflow_id: str, number: int) -> None:
        path = f"/workflows/{workflow_id}/versions/{number}/publish"
        self._call(client, "publish", "POST", path, 200)

    def _call(self, client: httpx.Client, op: str, method: str, path: str, expect: int, **kw: Any) -> Any:
        if self.pause:
            self._stop.wait(self.pause)
        started = time.monotonic()
        try:
            response = client.request(method, path, **kw)
        except httpx.TransportError as exc:
            self._miss(
                Miss(op, None, "", "", type(exc).__name__, time.monotonic(), time.monotonic() - started)
            )
            raise Failed from exc
        if response.status_code != expect:
            kind = response.headers.get("content-type", "")
            self._miss(
                Miss(
                    op,
                    response.status_code,
                    kind,
                    response.text[:500],
                    "",
                    time.monotonic(),
                    time.monotonic() - started,
                )
            )
            raise Failed
        body = response.json()
        ack = Ack.of(op, body)
        with self._lock:
            self.acks.append(ack)
        return body

    def _miss(self, miss: Miss) -> None:
        with self._lock:
            self.misses.append(miss)
