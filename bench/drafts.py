"""Draft auto-save benchmark: saves/s of a 20 KB draft through the HTTP API, 32 concurrent
clients (one user each), on a real uvicorn server (``wfv serve``), with Redis and without,
next to a bare FastAPI route taking the same body, all measured in the same run; and with
Redis but each save acknowledged only after its database copy (``WFV_DRAFT_ACK_AFTER_DATABASE``).

    python -m bench.drafts                       # SQLite; Redis: a redis-server of its own
    python -m bench.drafts --processes 2         # both servers with two processes
    python -m bench.drafts --database-url postgresql+psycopg://wfv_app@127.0.0.1/wfv_bench \\
        --migration-url postgresql+psycopg://postgres@127.0.0.1/wfv_bench

Prints saves/s, p50/p99 latency, and each rate's ratio to the bare route's. Targets: at
least 0.3 of the bare rate; with Redis at least 1,000 saves/s and p99 under 50 ms.
"""

import argparse
import asyncio
import copy
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from bench import wrk
from bench.core import percentile
from bench.database import SECRET
from bench.loadgen import RawClient, redis_server
from service.auth import issue_token
from service.ops.gc_tuning import tune_collector
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import example

DRAFT_BYTES = 20_000


class BareSave(BaseModel):
    definition: dict[str, Any]
    revision: int


class BareSaved(BaseModel):
    revision: int
    saved_at: datetime


bare_app = FastAPI()


@bare_app.post("/bare", response_model=BareSaved)
def bare(body: BareSave) -> BareSaved:
    """The baseline: parse the same body, answer a declared model, store nothing."""
    return BareSaved(revision=body.revision + 1, saved_at=datetime.now(UTC))


def bare_factory() -> FastAPI:
    """The baseline process with the garbage-collector settings wfv's own processes use."""
    tune_collector()
    return bare_app


def twenty_kb_document() -> dict[str, Any]:
    """nurture-50 grown to 20 KB of compact JSON (about 140 actions)."""
    base = example("nurture-50")
    document = copy.deepcopy(base)
    index = 0
    while len(json.dumps(document, separators=(",", ":"))) < DRAFT_BYTES:
        extra = copy.deepcopy(base["actions"][index % len(base["actions"])])
        extra["id"] = f"extra-{index}"
        document["actions"].append(extra)
        index += 1
    return document


def variants(document: dict[str, Any], count: int = 16) -> list[bytes]:
    """Pre-encoded definitions, each a small edit, so the load generator spends its CPU on HTTP."""
    encoded = []
    for index in range(count):
        edited = copy.deepcopy(document)
        edited["actions"][index]["name"] = f"edited {index}"
        encoded.append(json.dumps(edited, separators=(",", ":")).encode())
    return encoded


@dataclass
class Result:
    name: str
    saves: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.saves / self.seconds


async def _client_loop(
    client: RawClient, path: str, bodies: list[bytes], stop_at: float, warm_until: float
) -> tuple[int, list[float], int]:
    revision, done, errors, latencies, turn = 0, 0, 0, [], 0
    while time.perf_counter() < stop_at:
        body = b'{"revision":%d,"definition":%s}' % (revision, bodies[turn % len(bodies)])
        turn += 1
        started = time.perf_counter()
        status, content = await client.request("POST", path, body)
        finished = time.perf_counter()
        if status != 200:
            errors += 1
            continue
        revision = json.loads(content)["revision"]
        if started >= warm_until:
            done += 1
            latencies.append(finished - started)
    await client.close()
    return done, latencies, errors


async def _load(name: str, url: str, tokens: list[str], bodies: list[bytes], args: Any) -> Result:
    warm = 2.0
    parts = httpx.URL(url)
    now = time.perf_counter()
    loops = [
        _client_loop(
            RawClient(parts.host, parts.port or 80, token if token != "-" else None),
            parts.raw_path.decode(),
            bodies,
            now + warm + args.seconds,
            now + warm,
        )
        for token in tokens
    ]
    outcomes = await asyncio.gather(*loops)
    latencies = [value for _, values, _ in outcomes for value in values]
    return Result(
        name,
        sum(o[0] for o in outcomes),
        args.seconds,
        percentile(latencies, 0.50) * 1000,
        percentile(latencies, 0.99) * 1000,
        sum(o[2] for o in outcomes),
    )


def _measure(
    name: str,
    url: str,
    users: list[str],
    bodies: list[bytes],
    args: Any,
    workdir: Path,
    revisions: Callable[[], list[int]] | None = None,
) -> Result:
    """A warm-up, then the measured run by the same users. An editor saves a draft
    hundreds of times for each first save (which also seals the version it started from):
    the first saves fall in the warm-up, and each user's measured saves continue from its
    revision (``revisions()``, read after the warm-up), as the asyncio client's do."""
    if args.client == "python":
        return asyncio.run(_load(name, url, users, bodies, args))
    parts = httpx.URL(url)
    base, paths = f"http://{parts.host}:{parts.port}", [parts.path]
    tokens = [token if token != "-" else "" for token in users]

    def run(seconds: float, starts: list[int] | None) -> wrk.WrkResult:
        return wrk.run(
            base,
            paths,
            users=tokens,
            seconds=seconds,
            connections=args.clients,
            workdir=workdir,
            bodies=bodies,
            revisions=starts,
        )

    run(2, None)
    ran = run(args.seconds, revisions() if revisions else None)
    if ran.errors:
        print(f"  {name}: {ran.errors} errors, e.g. {ran.sample_error}")
    return Result(name, ran.requests, ran.seconds, ran.p50_ms, ran.p99_ms, ran.errors)


def bench_bare(workdir: Path, bodies: list[bytes], args: Any) -> Result:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.drafts:bare_factory", "--factory", "--port", str(port)]
    command += ["--workers", str(args.processes), "--log-level", "warning"]
    with running(command, dict(os.environ), workdir / "bare.log", f"http://127.0.0.1:{port}/docs"):
        url = f"http://127.0.0.1:{port}/bare"
        return _measure("bare FastAPI route", url, ["-"] * args.clients, bodies, args, workdir)


def bench_wfv(
    name: str, env: dict[str, str], workdir: Path, document: dict[str, Any], bodies: list[bytes], args: Any
) -> Result:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = [WFV, "serve", "--port", str(port)]
    serve += ["--processes", str(args.processes)] if args.processes > 1 else []
    with running(serve, env, workdir / f"{name}.log", f"{base}/healthz"):
        owner = issue_token(secret=SECRET, user="owner", org="bench", permissions=["workflows:edit"])
        created = httpx.post(
            f"{base}/api/v1/workflows",
            json={"name": "bench", "definition": document},
            headers={"Authorization": f"Bearer {owner}"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        url = f"{base}/api/v1/workflows/{created.json()['id']}/versions/1/draft"

        users = [
            issue_token(secret=SECRET, user=f"editor-{i}", org="bench", permissions=["workflows:edit"])
            for i in range(args.clients)
        ]

        def revisions() -> list[int]:
            numbers = []
            for user in users:
                restored = httpx.get(url, headers={"Authorization": f"Bearer {user}"}, timeout=30)
                assert restored.status_code == 200, restored.text  # every user saved in the warm-up
                numbers.append(restored.json()["revision"])
            return numbers

        return _measure(name, url, users, bodies, args, workdir, revisions)


def report(results: list[Result], bare: Result) -> None:
    print(f"{'run':<32} {'saves/s':>9} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for result in [bare, *results]:
        ratio = result.rate / bare.rate
        print(
            f"{result.name:<32} {result.rate:>9.0f} {ratio:>6.2f} {result.p50_ms:>7.1f} "
            f"{result.p99_ms:>7.1f} {result.errors:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--processes", type=int, default=1, help="server processes, the same for every run")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if wrk.available() else "python",
        help="the load generator: wrk (apt-get install wrk), or our asyncio client (caps near 1,350/s here)",
    )
    parser.add_argument("--database-url", default=None, help="the service role's URL (default: SQLite)")
    parser.add_argument("--migration-url", default=None, help="the schema owner's URL")
    args = parser.parse_args()
    document = twenty_kb_document()
    bodies = variants(document)
    print(
        f"draft: {len(bodies[0])} bytes of JSON, {len(document['actions'])} actions; "
        f"{args.clients} {args.client} clients, {args.processes} server process(es), "
        f"{args.seconds:.0f} s a run"
    )
    with tempfile.TemporaryDirectory(prefix="wfv-bench-drafts-") as tmp:
        workdir = Path(tmp)
        bare = bench_bare(workdir, bodies, args)
        database = {"WFV_JWT_SECRET": SECRET}
        if args.database_url:
            database |= {"WFV_DATABASE_URL": args.database_url}
            database |= {"WFV_MIGRATION_DATABASE_URL": args.migration_url or args.database_url}
        plain = wfv_env(workdir / "db-only", **database)
        results = [bench_wfv("wfv drafts, database only", plain, workdir, document, bodies, args)]
        with redis_server(workdir) as redis_url:
            cached = wfv_env(workdir / "redis", WFV_REDIS_URL=redis_url, **database)
            results.append(bench_wfv("wfv drafts, Redis", cached, workdir, document, bodies, args))
            # The cost of WFV_DRAFT_ACK_AFTER_DATABASE: each save waits for its database copy.
            after = {"WFV_REDIS_URL": redis_url, "WFV_DRAFT_ACK_AFTER_DATABASE": "true", **database}
            acked = wfv_env(workdir / "redis-ack", **after)
            results.append(bench_wfv("Redis, ack after database", acked, workdir, document, bodies, args))
    report(results, bare)


if __name__ == "__main__":
    main()
