"""The chaos run's clients: N threads racing on SHARED workflows through both API
processes, each request one of the service's writes (or the read that picks its target).

Every 2xx is a :class:`Written`: what the service acknowledged, with what was sent (the
SHA-256 of the canonical definition, the contacts, the draft revision), so the audit can
look for each one afterwards. Every answer, 2xx or not, is an :class:`Answer` (op, status,
problem type, when, which process), which is what the summary counts and what places each
5xx relative to the faults. A 409 or 412 is the race the load is built to provoke (two
clients editing or publishing the same draft), not a fault.

Threads read the workflow's versions before each write and pick the write's target from
that answer: between the read and the write the others act, which is the race.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from schemas.canonical import canonical_json
from tests.factories import example, renamed
from tests.faults.load import Ack
from tests.faults.stack import FaultStack

ORG = "acme"
RACING = (409, 412)  # the expected outcome of losing a race: conflict, stale If-Match


def content_hash(document: Any) -> str:
    """What the audit compares: the hash of the bytes the service stores a document as."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


@dataclass(frozen=True)
class Answer:
    op: str
    status: int | None  # None: no answer (refused, cut, timed out)
    problem: str  # the problem type of a non-2xx, or the transport error's name
    retry_after: bool
    started: float
    at: float
    port: int
    workflow_id: str
    version_id: str  # the version a write aimed at, when it named one


@dataclass(frozen=True)
class Written:
    """An acknowledged write. ``ack`` for answers that are a version; ``content`` the hash
    of the definition sent (or of the merged draft the service answered)."""

    op: str
    user: str
    workflow_id: str
    at: float
    port: int
    ack: Ack | None = None
    content: str | None = None
    version_id: str | None = None
    revision: int | None = None
    contacts: tuple[str, ...] = ()
    migration_id: str | None = None


class Refused(Exception):
    """The write was not acknowledged (recorded already); the thread moves on."""


@dataclass
class Ledger:
    """Everything the clients saw, shared by the threads."""

    answers: list[Answer] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def write(self, written: Written) -> None:
        with self.lock:
            self.written.append(written)

    def writes(self, op: str | None = None) -> list[Written]:
        with self.lock:
            return [w for w in self.written if op is None or w.op == op]


@dataclass
class Client:
    """One user (its own drafts) talking to both API processes at random."""

    user: str
    stack: FaultStack
    ports: list[int]
    ledger: Ledger
    rng: random.Random
    clients: dict[int, httpx.Client] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)  # version id -> my newest acked save
    counter: itertools.count[int] = field(default_factory=itertools.count)
    last: tuple[int, float] = (0, 0.0)  # the port and the time of this thread's last answer

    def __post_init__(self) -> None:
        headers = {"Authorization": f"Bearer {self.stack.token(self.user, ORG)}"}
        for port in self.ports:
            base = f"http://127.0.0.1:{port}/api/v1"
            self.clients[port] = httpx.Client(base_url=base, headers=headers, timeout=10)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def call(
        self,
        op: str,
        method: str,
        path: str,
        *,
        workflow_id: str = "",
        version_id: str = "",
        port: int | None = None,
        **kw: Any,
    ) -> Any:
        """The answer's body on a 2xx; otherwise record it and raise :class:`Refused`."""
        port = port or self.rng.choice(self.ports)
        started = time.monotonic()
        try:
            response = self.clients[port].request(method, path, **kw)
        except httpx.TransportError as exc:
            now = time.monotonic()
            self.ledger.answer(
                Answer(op, None, type(exc).__name__, False, started, now, port, workflow_id, version_id)
            )
            raise Refused from exc
        now = time.monotonic()
        self.last = (port, now)
        ok = 200 <= response.status_code < 300
        problem = "" if ok else _problem_type(response)
        retry = "retry-after" in response.headers
        self.ledger.answer(
            Answer(op, response.status_code, problem, retry, started, now, port, workflow_id, version_id)
        )
        if not ok:
            raise Refused
        return response.json() if response.content else None

    def wrote(self, op: str, workflow_id: str, **what: Any) -> None:
        """Record the acknowledgement the last answer (a 2xx) gave."""
        port, at = self.last
        self.ledger.write(Written(op, self.user, workflow_id, at, port, **what))

    def unique(self, what: str) -> str:
        return f"{self.user}-{what}-{next(self.counter)}"


def _problem_type(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"(not json: {response.headers.get('content-type', '')})"
    return str(body.get("type", "")) if isinstance(body, dict) else ""


@dataclass
class Pool:
    """The shared workflows every thread writes to."""

    ids: list[str] = field(default_factory=list)
    limit: int = 24
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.ids) if self.ids else None

    def add(self, workflow_id: str) -> None:
        with self.lock:
            self.ids.append(workflow_id)

    def full(self) -> bool:
        with self.lock:
            return len(self.ids) >= self.limit


# --- the writes ------------------------------------------------------------------------


def create_workflow(client: Client, pool: Pool) -> None:
    document = renamed(example("welcome-small"), client.unique("wf"))
    request = {"name": client.unique("wf"), "definition": document}
    body = client.call("create_workflow", "POST", "/workflows", json=request)
    ack = Ack.of("create_workflow", body)
    client.wrote(
        "create_workflow", ack.workflow_id, ack=ack, content=content_hash(document), version_id=ack.version_id
    )
    publish_number(client, ack.workflow_id, ack.version_id, 1)
    pool.add(ack.workflow_id)


def publish_number(client: Client, workflow_id: str, version_id: str, number: int) -> None:
    path = f"/workflows/{workflow_id}/versions/{number}/publish"
    body = client.call("publish", "POST", path, workflow_id=workflow_id, version_id=version_id)
    client.wrote("publish", workflow_id, ack=Ack.of("publish", body), version_id=version_id)


def versions_of(client: Client, workflow_id: str) -> list[dict[str, Any]]:
    path = f"/workflows/{workflow_id}/versions"
    body = client.call("list", "GET", path, params={"limit": 200}, workflow_id=workflow_id)
    items: list[dict[str, Any]] = body["items"]
    return items


def create_version(client: Client, workflow_id: str, _versions: list[dict[str, Any]]) -> None:
    document = renamed(example("welcome-small"), client.unique("v"))
    path = f"/workflows/{workflow_id}/versions"
    body = client.call("create_version", "POST", path, json={"definition": document}, workflow_id=workflow_id)
    ack = Ack.of("create_version", body)
    client.wrote(
        "create_version", workflow_id, ack=ack, content=content_hash(document), version_id=ack.version_id
    )


def edit(client: Client, workflow_id: str, versions: list[dict[str, Any]]) -> None:
    """An edit of a draft with the lock its read saw: 412 when another client got there first."""
    draft = _one(client, versions, "draft")
    document = renamed(example("welcome-small"), client.unique("e"))
    path = f"/workflows/{workflow_id}/versions/{draft['version_number']}"
    body = client.call(
        "edit",
        "PATCH",
        path,
        json={"definition": document},
        headers={"If-Match": f'"{draft["lock_version"]}"'},
        workflow_id=workflow_id,
        version_id=draft["id"],
    )
    ack = Ack.of("edit", body)
    client.wrote("edit", workflow_id, ack=ack, content=content_hash(document), version_id=ack.version_id)


def publish(client: Client, workflow_id: str, versions: list[dict[str, Any]]) -> None:
    draft = _one(client, versions, "draft")
    publish_number(client, workflow_id, draft["id"], draft["version_number"])


def rollback(client: Client, workflow_id: str, versions: list[dict[str, Any]]) -> None:
    older = [v for v in versions if v["status"] == "active" and not v["is_current"]]
    if not older:
        raise Refused
    target = client.rng.choice(older)
    path = f"/workflows/{workflow_id}/versions/{target['version_number']}/rollback"
    body = client.call("rollback", "POST", path, workflow_id=workflow_id, version_id=target["id"])
    ack = Ack.of("rollback", body)
    client.wrote(
        "rollback", workflow_id, ack=ack, content=content_hash(body["definition"]), version_id=ack.version_id
    )


def save_draft(client: Client, workflow_id: str, versions: list[dict[str, Any]]) -> None:
    """An auto-save of my working copy, based on my newest acknowledged save; when the
    service merged it with a save I was never told about, what it stored is its answer."""
    draft = _one(client, versions, "draft")
    document = renamed(example("welcome-small"), client.unique("d"))
    path = f"/workflows/{workflow_id}/versions/{draft['version_number']}/draft"
    request = {"revision": client.revisions.get(draft["id"], 0), "definition": document}
    body = client.call(
        "draft_save", "POST", path, json=request, workflow_id=workflow_id, version_id=draft["id"]
    )
    saved = body["definition"] if body.get("merged") else document
    revision = int(body["revision"])
    client.revisions[draft["id"]] = revision
    client.wrote(
        "draft_save", workflow_id, content=content_hash(saved), version_id=draft["id"], revision=revision
    )


def enrol(client: Client, workflow_id: str, _versions: list[dict[str, Any]]) -> None:
    contacts = tuple(client.unique("c") for _ in range(client.rng.randint(3, 20)))
    path = f"/workflows/{workflow_id}/executions"
    body = client.call("enrol", "POST", path, json={"contact_ids": list(contacts)}, workflow_id=workflow_id)
    client.wrote("enrol", workflow_id, version_id=str(body["version_id"]), contacts=contacts)


def migrate(client: Client, workflow_id: str, versions: list[dict[str, Any]]) -> None:
    """Move the executions of older published versions to the current one, at once or
    gradually (steps of half, a second apart); 409 when another migration has them."""
    current = [v for v in versions if v["is_current"]]
    sources = [
        v["version_number"]
        for v in versions
        if v["status"] == "active" and not v["is_current"] and v.get("active_executions")
    ]
    if not current or not sources:
        raise Refused
    strategy = client.rng.choice(["immediate", "gradual"])
    request: dict[str, Any] = {"from_versions": sources[:20], "strategy": strategy, "batch_size": 100}
    if strategy == "gradual":
        request |= {"step_percent": 50, "interval_seconds": 1}
    op = f"migrate_{strategy}"
    path = f"/workflows/{workflow_id}/versions/{current[0]['version_number']}/migrate"
    body = client.call(op, "POST", path, json=request, workflow_id=workflow_id, version_id=current[0]["id"])
    client.wrote(op, workflow_id, version_id=current[0]["id"], migration_id=str(body["id"]))


def _one(client: Client, versions: list[dict[str, Any]], status: str) -> dict[str, Any]:
    found = [v for v in versions if v["status"] == status]
    if not found:
        raise Refused
    return client.rng.choice(found)


Write = Callable[[Client, str, list[dict[str, Any]]], None]
MIX: list[tuple[Write, int]] = [
    (create_version, 14),
    (edit, 14),
    (publish, 9),
    (rollback, 4),
    (save_draft, 25),
    (enrol, 12),
    (migrate, 5),
]


@dataclass
class Load:
    """``clients`` threads until :meth:`stop`; ``ledger`` holds what they saw."""

    stack: FaultStack
    ports: list[int]
    clients: int
    seed: int
    pool: Pool = field(default_factory=Pool)
    ledger: Ledger = field(default_factory=Ledger)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def seed_pool(self, workflows: int) -> None:
        """The shared workflows, created (and v1 published) before the clients start."""
        client = Client("seeder", self.stack, self.ports, self.ledger, random.Random(self.seed))
        try:
            while len(self.pool.ids) < workflows:
                try:
                    create_workflow(client, self.pool)
                except Refused:
                    time.sleep(0.1)
        finally:
            client.close()

    def start(self) -> None:
        self.pool.limit = max(len(self.pool.ids) + 1, self.clients)  # shared: fewer workflows than threads
        for n in range(self.clients):
            thread = threading.Thread(target=self._run, args=(n,), name=f"chaos-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
            if thread.is_alive():
                raise RuntimeError(f"{thread.name} is stuck")

    def _run(self, n: int) -> None:
        rng = random.Random(self.seed * 1000 + n)
        client = Client(f"user{n}", self.stack, self.ports, self.ledger, rng)
        writes, weights = zip(*MIX, strict=True)
        try:
            while not self._stop.is_set():
                try:
                    if rng.random() < 0.03 and not self.pool.full():
                        create_workflow(client, self.pool)
                        continue
                    workflow_id = self.pool.pick(rng)
                    if workflow_id is None:
                        continue
                    versions = versions_of(client, workflow_id)
                    rng.choices(writes, weights)[0](client, workflow_id, versions)
                except Refused:
                    self._stop.wait(0.01)
        finally:
            client.close()
