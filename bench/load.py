"""Load benchmark of the production stack: a real API (``wfv serve`` with several
processes), a real ``wfv worker``, PostgreSQL as the service role and a Redis of its own.

1. GET one version, alone, for ``--ratio-seconds``; then a bare FastAPI route (the same
   number of processes) that does one indexed SELECT on the same database and answers the
   same bytes (checked): the ratio of the two rates (target >= 0.5).
2. The mixed workload for ``--seconds`` with ``--clients`` simulated users: 80% reads (one
   version, a version list, a workflow), 15% draft saves, 4% creates and publishes, 1%
   compares. Prints throughput and p50/p99 per route; any error fails the run.
3. ``wfv check`` on the whole stack afterwards: the invariants must hold.

    python -m bench.load [--seconds 60 --clients 64 --processes 2]
"""

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from fastapi import FastAPI, Response
from sqlalchemy import Engine, create_engine, text

from bench import wrk
from bench.core import percentile
from bench.database import SECRET
from bench.loadgen import HEADER, RawClient, RouteFigures, redis_server
from schemas.api import VersionDetail
from schemas.drain import project
from service.auth import issue_token
from service.clock import utcnow
from service.ops.gc_tuning import tune_collector
from tests.e2e.helpers import WFV, free_port, run_wfv, running, wfv_env
from tests.factories import example

TENANT = "load"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
API = "/api/v1/workflows"
MIX = {
    "GET version": 60,
    "GET versions list": 10,
    "GET workflow": 10,
    "POST draft save": 15,
    "POST create/publish": 4,
    "GET compare": 1,
}
_VERSION_COLUMNS = ", ".join(
    name
    for name in VersionDetail.model_fields
    if name not in {"active_executions", "drain", "legal_hold_reason"}
)


def bare_app() -> FastAPI:
    """The baseline: one indexed SELECT of the version row (as the schema owner, so no
    tenant scoping), answered with the same response model, hence the same bytes (the
    drain of a version without executions, as the bench's are, needs no query)."""
    engine: Engine = create_engine(os.environ["WFV_BENCH_BARE_URL"], pool_size=20, pool_pre_ping=False)
    query = text(
        f"SELECT {_VERSION_COLUMNS}, legal_hold_reason FROM workflow_versions "
        "WHERE workflow_id = :workflow_id AND version_number = :number"
    )
    app = FastAPI()

    @app.get("/bare/{workflow_id}/{number}", response_model=VersionDetail)
    def bare(workflow_id: uuid.UUID, number: int, response: Response) -> VersionDetail:
        with engine.connect() as conn:
            row = conn.execute(query, {"workflow_id": workflow_id, "number": number}).one()
        detail = VersionDetail.model_validate(dict(row._mapping))
        detail.drain = project(live=0, departed=0, enrolling=detail.is_current, now=utcnow())
        response.headers["ETag"] = f'"{detail.lock_version}"'
        return detail

    tune_collector()  # as wfv's own processes do
    return app


@dataclass
class Stack:
    base: str
    port: int
    env: dict[str, str]
    owner_url: str


@contextmanager
def database() -> Iterator[tuple[str, str]]:
    """A database of the run's own: (owner URL, service-role URL)."""
    name = f"wfv_load_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
            f"postgresql+psycopg://wfv_app@127.0.0.1:5432/{name}",
        )
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def stack(workdir: Path, processes: int) -> Iterator[Stack]:
    with ExitStack() as stop, database() as (owner, service):
        redis_url = stop.enter_context(redis_server(workdir))
        env = wfv_env(
            workdir / "data",
            WFV_DATABASE_URL=service,
            WFV_MIGRATION_DATABASE_URL=owner,
            WFV_REDIS_URL=redis_url,
            WFV_QUEUE="redis",
            WFV_JWT_SECRET=SECRET,
        )
        run_wfv("db", "upgrade", env=env, timeout=120)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
        serve += ["--processes", str(processes)] if processes > 1 else []
        stop.enter_context(running(serve, env, workdir / "api.log", f"{base}/healthz"))
        stop.enter_context(running([WFV, "worker"], env, workdir / "worker.log"))
        yield Stack(base, port, env, owner)


@dataclass
class Seeded:
    """What the clients work on: published workflows to read and compare, and per client a
    workflow whose draft it saves and one it creates and publishes versions of."""

    readable: list[str]
    drafts: list[str]
    releases: list[str]
    tokens: list[str]


def seed(base: str, clients: int, readable: int) -> Seeded:
    owner = issue_token(secret=SECRET, user="owner", org=TENANT, permissions=["workflows:admin"])
    headers = {"Authorization": f"Bearer {owner}"}
    document = example("nurture-50")
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:

        def ok(response: httpx.Response) -> Any:
            assert response.status_code in (200, 201), response.text
            return response.json()

        def create(name: str) -> str:
            created: str = ok(http.post(API, json={"name": name, "definition": document}))["id"]
            return created

        def published(name: str) -> str:
            wid: str = create(name)
            ok(http.post(f"{API}/{wid}/versions/1/publish", json={"lock_version": 1}))
            ok(http.post(f"{API}/{wid}/versions"))
            ok(http.post(f"{API}/{wid}/versions/2/publish", json={"lock_version": 1}))
            return wid

        readable_ids = [published(f"read-{n}") for n in range(readable)]
        drafts = [create(f"draft-{n}") for n in range(clients)]
        releases = [published(f"release-{n}") for n in range(clients)]
    tokens = [
        issue_token(secret=SECRET, user=f"user-{n}", org=TENANT, permissions=["workflows:edit"])
        for n in range(clients)
    ]
    return Seeded(readable_ids, drafts, releases, tokens)


@dataclass
class Client:
    """One simulated user: its draft's revision and the draft version it will publish next."""

    number: int
    http: RawClient
    revision: int = 0
    pending: tuple[int, int] | None = None  # (version number, lock_version) to publish
    figures: dict[str, RouteFigures] = field(default_factory=lambda: defaultdict(RouteFigures))


def _draft_bodies() -> list[bytes]:
    document = example("nurture-50")
    bodies = []
    for index in range(8):
        document["actions"][index]["name"] = f"edited {index}"
        bodies.append(json.dumps(document, separators=(",", ":")).encode())
    return bodies


DRAFT_BODIES = _draft_bodies()


async def one_request(client: Client, route: str, seeded: Seeded) -> tuple[int, bytes, set[int]]:
    """Issue one request of ``route``'s kind; returns its status, body and what counts as success."""
    pick = random.choice(seeded.readable)
    if route == "GET version":
        return (*await client.http.request("GET", f"{API}/{pick}/versions/{random.choice((1, 2))}"), {200})
    if route == "GET versions list":
        return (*await client.http.request("GET", f"{API}/{pick}/versions?limit=20"), {200})
    if route == "GET workflow":
        return (*await client.http.request("GET", f"{API}/{pick}"), {200})
    if route == "GET compare":
        return (*await client.http.request("GET", f"{API}/{pick}/versions/compare?from=1&to=2"), {200})
    if route == "POST draft save":
        draft = seeded.drafts[client.number]
        body = b'{"revision":%d,"definition":%s}' % (client.revision, random.choice(DRAFT_BODIES))
        status, answer = await client.http.request("POST", f"{API}/{draft}/versions/1/draft", body)
        if status == 200:
            client.revision = json.loads(answer)["revision"]
        return status, answer, {200}
    release = seeded.releases[client.number]
    if client.pending is None:
        status, answer = await client.http.request("POST", f"{API}/{release}/versions")
        if status == 201:
            created = json.loads(answer)
            client.pending = (created["version_number"], created["lock_version"])
        return status, answer, {201}
    number, lock = client.pending
    status, answer = await client.http.request(
        "POST", f"{API}/{release}/versions/{number}/publish", b"{}", {"If-Match": f'"{lock}"'}
    )
    if status == 200:
        client.pending = None
    return status, answer, {200}


async def client_loop(
    client: Client, seeded: Seeded, routes: list[str], weights: list[int], stop_at: float
) -> None:
    while time.perf_counter() < stop_at:
        route = random.choices(routes, weights)[0]
        started = time.perf_counter()
        status, answer, good = await one_request(client, route, seeded)
        figures = client.figures[route]
        if status in good:
            figures.latencies.append(time.perf_counter() - started)
        else:
            figures.errors.append(f"{status} {answer[:200]!r}")
    await client.http.close()


def run_load(
    port: int, seeded: Seeded, mix: dict[str, int], seconds: float, clients: int
) -> dict[str, RouteFigures]:
    async def main() -> list[Client]:
        users = [
            Client(n, RawClient("127.0.0.1", port, seeded.tokens[n % len(seeded.tokens)]))
            for n in range(clients)
        ]
        stop_at = time.perf_counter() + seconds
        routes, weights = list(mix), list(mix.values())
        await asyncio.gather(*(client_loop(user, seeded, routes, weights, stop_at) for user in users))
        return users

    merged: dict[str, RouteFigures] = defaultdict(RouteFigures)
    for user in asyncio.run(main()):
        for route, figures in user.figures.items():
            merged[route].latencies += figures.latencies
            merged[route].errors += figures.errors
    return merged


@dataclass
class Rate:
    """A GET-only run: requests answered 200, their p50/p99, and failures."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    def line(self, name: str) -> str:
        rate = self.requests / self.seconds
        figures = f"{self.requests:>8} {rate:>9.0f} {self.p50_ms:>8.1f} {self.p99_ms:>8.1f} {self.errors:>7}"
        return f"{name:<30} {figures}"


def get_only(base: str, paths: list[str], users: list[str], args: Any, workdir: Path) -> Rate:
    """GETs of random ``paths`` with wrk when it is installed: our asyncio client would cap
    both sides of the ratio at its own rate and flatter it."""
    if wrk.available():
        wrk.run(base, paths, users=users, seconds=2, connections=args.clients, workdir=workdir)  # warm-up
        ran = wrk.run(
            base, paths, users=users, seconds=args.ratio_seconds, connections=args.clients, workdir=workdir
        )
        return Rate(ran.requests - ran.errors, ran.seconds, ran.p50_ms, ran.p99_ms, ran.errors)
    figures = RouteFigures()

    async def main() -> None:
        async def loop(http: RawClient, stop_at: float) -> None:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                status, answer = await http.request("GET", random.choice(paths))
                if status == 200:
                    figures.latencies.append(time.perf_counter() - started)
                else:
                    figures.errors.append(f"{status} {answer[:200]!r}")
            await http.close()

        parts = httpx.URL(base)
        stop_at = time.perf_counter() + args.ratio_seconds
        await asyncio.gather(
            *(
                loop(RawClient(parts.host, parts.port or 80, users[n % len(users)] or None), stop_at)
                for n in range(args.clients)
            )
        )

    asyncio.run(main())
    count = len(figures.latencies)
    p50 = percentile(figures.latencies, 0.5) * 1000 if count else 0.0
    p99 = percentile(figures.latencies, 0.99) * 1000 if count else 0.0
    return Rate(count, args.ratio_seconds, p50, p99, len(figures.errors))


def run_bare(workdir: Path, owner_url: str, seeded: Seeded, args: Any) -> tuple[Rate, bytes]:
    port = free_port()
    env = {**os.environ, "WFV_BENCH_BARE_URL": owner_url}
    command = [sys.executable, "-m", "uvicorn", "bench.load:bare_app", "--factory", "--port", str(port)]
    command += ["--workers", str(args.processes), "--log-level", "warning"]
    with running(command, env, workdir / "bare.log", f"http://127.0.0.1:{port}/docs"):
        sample = httpx.get(f"http://127.0.0.1:{port}/bare/{seeded.readable[0]}/2").content
        paths = [f"/bare/{wid}/{number}" for wid in seeded.readable for number in (1, 2)]
        return get_only(f"http://127.0.0.1:{port}", paths, [""], args, workdir), sample


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ratio-seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--readable", type=int, default=32, help="published workflows the reads pick from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wfv-bench-load-") as tmp:
        workdir = Path(tmp)
        with stack(workdir, args.processes) as running_stack:
            seeded = seed(running_stack.base, args.clients, args.readable)
            print(
                f"{args.processes} API processes + 1 worker, PostgreSQL (wfv_app) + Redis; "
                f"{args.clients} clients; {len(seeded.readable)} published workflows to read"
            )
            sample = seeded.readable[0]
            token = {"Authorization": f"Bearer {seeded.tokens[0]}"}
            served = httpx.get(f"{running_stack.base}{API}/{sample}/versions/2", headers=token).content
            paths = [f"{API}/{wid}/versions/{number}" for wid in seeded.readable for number in (1, 2)]
            alone = get_only(running_stack.base, paths, seeded.tokens, args, workdir)
            bare, bare_sample = run_bare(workdir, running_stack.owner_url, seeded, args)
            assert json.loads(bare_sample) == json.loads(served), "the bare route must answer the same"
            assert bare_sample == served, "the bare route must answer the same bytes"
            generator = "wrk" if wrk.available() else "asyncio"
            print(
                f"\n1. GET one version alone vs a bare indexed SELECT, "
                f"{args.ratio_seconds:.0f} s each ({generator})"
            )
            print(HEADER)
            print(alone.line("wfv GET version"))
            print(bare.line("bare FastAPI + one SELECT"))
            ratio = alone.requests / max(1, bare.requests)
            print(f"ratio {ratio:.2f} (target >= 0.5)")

            print(f"\n2. mixed workload, {args.seconds:.0f} s")
            figures = run_load(running_stack.port, seeded, MIX, args.seconds, args.clients)
            print(HEADER)
            total = sum(len(f.latencies) for f in figures.values())
            errors = [error for f in figures.values() for error in f.errors]
            for route in MIX:
                print(figures[route].line(route, args.seconds))
            print(f"{'all':<30} {total:>8} {total / args.seconds:>9.0f}{'':>18} {len(errors):>7}")
            for error in errors[:10]:
                print("  error:", error)

            print("\n3. invariants (wfv check)")
            check = run_wfv("check", env=running_stack.env, timeout=600)
            print(check.strip())
            failures = [] if ratio >= 0.5 else ["ratio below 0.5"]
            failures += [f"{len(errors)} errors"] if errors else []
            for name, measured in (("wfv GET version", alone), ("bare route", bare)):
                failures += [f"{name}: {measured.errors} errors"] if measured.errors else []
            if failures:
                print("FAILED:", "; ".join(failures))
                raise SystemExit(1)


if __name__ == "__main__":
    main()
