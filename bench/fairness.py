"""Fair share per tenant: does one tenant's burst slow another tenant down?

A real ``wfv serve`` (``--processes 2`` by default, budgets shared through a Redis of its
own, SQLite), two tenants each with a published workflow. Tenant B is a steady client (a
few users reading one version, with a pause between requests, well inside its budget);
tenant A bursts with ``wrk`` (one connection per thread, A's token set by the Lua script)
reading its own version as fast as wrk can, far above its reads budget.

1. B alone: its p99 (quiet).
2. B while A bursts: its p99, the ratio to quiet (target <= 2), and what A got (200s, 429s).
   1 and 2 alternate (``--rounds``) and their samples are pooled, so a neighbour's load on
   a shared machine falls on both.
3. The same burst with budgets turned off (``WFV_TENANT_BUDGETS_ENABLED=false``): what the
   budget buys (``--no-contrast`` skips it).

    python -m bench.fairness [--seconds 5 --rounds 3 --processes 2 --budget 1500 --window 10]
"""

import argparse
import asyncio
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import wrk
from bench.core import percentile
from bench.database import SECRET
from bench.loadgen import RawClient, redis_server
from service.auth import issue_token
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import example

API = "/api/v1/workflows"


@dataclass
class Server:
    base: str
    port: int
    paths: dict[str, str]  # tenant -> the version it reads
    tokens: dict[str, str]


@contextmanager
def server(workdir: Path, args: Any, *, budgets: bool) -> Iterator[Server]:
    name = "budgets" if budgets else "no-budgets"
    with ExitStack() as stop:
        redis_url = stop.enter_context(redis_server(workdir))
        env = wfv_env(
            workdir / name,
            WFV_JWT_SECRET=SECRET,
            WFV_QUEUE="memory",
            WFV_REDIS_URL=redis_url,
            WFV_LOG_LEVEL="WARNING",
            WFV_TENANT_BUDGETS_ENABLED="true" if budgets else "false",
            WFV_TENANT_BUDGET_READS=str(args.budget),
            WFV_TENANT_BUDGET_READS_SECONDS=str(args.window),
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
        serve += ["--processes", str(args.processes)] if args.processes > 1 else []
        stop.enter_context(running(serve, env, workdir / f"{name}.log", f"{base}/healthz"))
        paths, tokens = {}, {}
        for tenant in ("a", "b"):
            token = issue_token(
                secret=SECRET, user="owner", org=f"tenant-{tenant}", permissions=["workflows:admin"]
            )
            headers = {"Authorization": f"Bearer {token}"}
            created = httpx.post(
                f"{base}{API}", json={"name": tenant, "definition": example("nurture-50")}, headers=headers
            )
            assert created.status_code == 201, created.text
            wid = created.json()["id"]
            published = httpx.post(
                f"{base}{API}/{wid}/versions/1/publish", json={"lock_version": 1}, headers=headers
            )
            assert published.status_code == 200, published.text
            paths[tenant], tokens[tenant] = f"{API}/{wid}/versions/1", token
        yield Server(base, port, paths, tokens)


@dataclass
class Steady:
    latencies: list[float]
    errors: list[str]
    seconds: float

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000

    def line(self, name: str) -> str:
        rate = len(self.latencies) / self.seconds
        return (
            f"{name:<36} {len(self.latencies):>8} {rate:>7.0f} {self.p50_ms:>8.1f} {self.p99_ms:>8.1f} "
            f"{len(self.errors):>7}"
        )


HEADER = f"{'tenant B':<36} {'requests':>8} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"


def steady(target: Server, args: Any, seconds: float) -> Steady:
    """Tenant B: ``--b-clients`` users, each one request then a ``--b-pause`` pause."""
    latencies: list[float] = []
    errors: list[str] = []

    async def user(stop_at: float) -> None:
        http = RawClient("127.0.0.1", target.port, target.tokens["b"])
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            status, body = await http.request("GET", target.paths["b"])
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors.append(f"{status} {body[:120]!r}")
            await asyncio.sleep(args.b_pause)
        await http.close()

    async def main() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(user(stop_at) for _ in range(args.b_clients)))

    asyncio.run(main())
    return Steady(latencies, errors, seconds)


def burst(target: Server, args: Any, workdir: Path, seconds: float) -> tuple[threading.Thread, list[Any]]:
    """Tenant A with wrk, in the background, for ``seconds``."""
    result: list[Any] = []

    def run() -> None:
        result.append(
            wrk.run(
                target.base,
                [target.paths["a"]],
                users=[target.tokens["a"]],
                seconds=seconds,
                connections=args.a_connections,
                workdir=workdir,
            )
        )

    thread = threading.Thread(target=run, name="tenant-a-burst")
    thread.start()
    return thread, result


def measure(target: Server, args: Any, workdir: Path, label: str) -> tuple[Steady, Steady]:
    """``--rounds`` pairs of (B alone, B while A bursts), pooled: on a shared machine the
    noise of the neighbours then falls on both sides rather than on one."""
    steady(target, args, 2)  # warm-up: connections, caches, the token cache
    quiet, loud = Steady([], [], 0.0), Steady([], [], 0.0)
    bursts = []
    for _ in range(args.rounds):
        alone = steady(target, args, args.seconds)
        thread, result = burst(target, args, workdir, args.seconds + args.lead + 1)
        time.sleep(args.lead)  # A spends its budget; from here on it is refused
        during = steady(target, args, args.seconds)
        thread.join()
        bursts += result
        for pooled, part in ((quiet, alone), (loud, during)):
            pooled.latencies += part.latencies
            pooled.errors += part.errors
            pooled.seconds += part.seconds
    print(f"\n{label} ({args.rounds} rounds of {args.seconds:.0f} s each way)")
    print(HEADER)
    print(quiet.line("quiet (B alone)"))
    print(loud.line("while A bursts"))
    requests = sum(b.requests for b in bursts)
    refused = sum(b.errors for b in bursts)
    seconds = sum(b.seconds for b in bursts)
    sample = next((b.sample_error for b in bursts if b.sample_error), "-")
    print(
        f"A (wrk, {args.a_connections} connections): {requests} requests in {seconds:.0f} s = "
        f"{requests / seconds:.0f}/s, {requests - refused} served, {refused} refused or failed "
        f"({sample[:40]})"
    )
    print(f"B's p99 under A's burst / quiet: {loud.p99_ms / quiet.p99_ms:.2f}")
    return quiet, loud


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="each measured run of B")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs of B, alone and under the burst")
    parser.add_argument("--lead", type=float, default=3.0, help="A's burst before B is measured")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--budget", type=int, default=1500, help="reads per window, every tenant")
    parser.add_argument("--window", type=int, default=10, help="the reads budget's window, seconds")
    parser.add_argument("--b-clients", type=int, default=4)
    parser.add_argument(
        "--b-pause", type=float, default=0.05, help="seconds between two requests of a B user"
    )
    parser.add_argument("--a-connections", type=int, default=32)
    parser.add_argument("--no-contrast", action="store_true", help="skip the run with budgets off")
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("bench.fairness needs wrk: apt-get install -y wrk")
    print(
        f"{args.processes} API processes, SQLite, budgets shared through Redis: {args.budget} reads "
        f"per {args.window} s per tenant; B: {args.b_clients} users pausing {args.b_pause * 1000:.0f} ms; "
        f"A: wrk, {args.a_connections} connections"
    )
    failures = []
    with tempfile.TemporaryDirectory(prefix="wfv-bench-fairness-") as tmp:
        workdir = Path(tmp)
        with server(workdir, args, budgets=True) as target:
            quiet, loud = measure(target, args, workdir, "1-2. budgets on")
        ratio = loud.p99_ms / quiet.p99_ms
        failures += [f"B's p99 ratio {ratio:.2f} > 2"] if ratio > 2 else []
        failures += (
            [f"B was refused or failed {len(quiet.errors) + len(loud.errors)} times"]
            if (quiet.errors or loud.errors)
            else []
        )
        if not args.no_contrast:
            with server(workdir, args, budgets=False) as target:
                measure(target, args, workdir, "3. budgets off (the contrast)")
    if failures:
        print("FAILED:", "; ".join(failures))
        raise SystemExit(1)
    print(f"\nOK: B's p99 under A's burst is {ratio:.2f}x its quiet p99 (target <= 2)")


if __name__ == "__main__":
    main()
