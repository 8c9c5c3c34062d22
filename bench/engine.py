"""The contract with the execution engine (docs/engine-contract.md), benchmarked on
PostgreSQL through the real API (``wfv serve``, uvicorn, HTTP) and a real consumer
(``wfv worker`` on Redis), where migrations run:

    python -m bench.engine [--reports 200000] [--feed 1000000] [--lag-contacts 100000]
                           [--parts reports feed lag] [--json out.json]
                           [--admin-url postgresql://postgres@127.0.0.1:5432/test]

- **reports**: position reports (``POST …/executions/positions``, 10,000 moves a request,
  moves named by execution id) that name their base (``base_revision``, the execution's
  revision the engine read) next to the same reports without bases, in the same run and
  server, into two workflows of ``--reports`` live executions each (by SQL, on 50
  positions), batch by batch in turns (``bench.enrolment.interleaved``), request bodies
  encoded before the clock starts. One move in 100 is deliberately stale on both sides:
  before the clock, an untimed report (without bases) moved those executions, and the
  based report names the revision from before it, so the per-move refusal path runs (the
  answer lists each stale move with where its execution is now); the side without bases
  applies them. The figure is rows applied per second (the stale 1% count against the side
  with bases). Target: with bases >= 0.8 of without. 10,000 based moves are about 1.17 MB:
  the batch routes take up to ``WFV_MAX_BATCH_BODY_BYTES`` (8 MiB by default).
- **feed**: ``--feed`` executions migrated v1 -> v2 by a real immediate migration through
  the API and the worker (batches of 10,000: the journey rows, ``xid`` included, are
  written exactly as in production), then the whole change feed of that workflow read
  through HTTP (``GET /api/v1/executions/changes?workflow_id=…&limit=1000&after=…``, page
  by page following ``next_cursor``, one keep-alive client, every page parsed) next to a
  raw ``SELECT`` of the same rows and columns in the same cursor order (keyset pages of
  1,000 on ``(xid, seq)`` below the snapshot's ``xmin``, joined to the versions for their
  numbers, as the service's role ``wfv_app`` in a transaction scoped to the tenant, as
  ``bench.enrolment.RawSql`` writes). Each side reads the whole feed twice, the sides
  taking turns (the order swapping), so the cache falls on both alike. Target: the feed's
  rows/s >= 0.5 of the raw SELECT's. Also the server's CPU time a change (``/proc``),
  which other work on the machine moves less than a rate, and the reader's ``json.loads``
  time a change next to the raw read's whole time a change: the floor any JSON answer
  puts under the ratio, whatever the server does.
- **lag**: an engine-like reader (one thread, one client) long-polling the feed
  (``wait=25``, tenant-wide, following cursors) while an immediate migration of
  ``--lag-contacts`` executions runs in batches of 1,000 (one commit each), in a tenant of
  its own. A watcher thread on its own connection asks every 5 ms for the newest visible
  migration row of that tenant (its transaction id): the first time a batch's transaction
  is seen is its commit (within 5 ms). Lag = when the reader received the batch's first
  change (the page's answer read; the batch named by the transaction id in each change's
  cursor) minus that instant. Reports p50, p95, p99 and max over the batches. Target:
  p99 < 1 s. The feed serves only changes of transactions below its snapshot's ``xmin``:
  **any write transaction running anywhere on the PostgreSQL cluster** (another database's
  too) holds it back for as long as it runs, so run nothing else meanwhile; the watcher
  counts the writing transactions it sees in other databases (``other_writers_seen``).

Every figure comes with the load average: the machine has two cores.
"""

import argparse
import gc
import json
import math
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis

from bench.database import create_database
from bench.enrolment import MOVED_TO, Statistics, _free_port, _wait_healthy, interleaved, timed
from bench.journeys import BATCH, TENANT, WFV, Api, Side, _seed, _versions, _wait
from indexer.journey_feed import parse_cursor
from service.container import build_container
from service.ops.gc_tuning import tune_collector
from tests.factories import example, published_history

REDIS_URL = "redis://127.0.0.1:6379/14"
LAG_TENANT = "globex"  # the lag part's own tenant: its reader starts on an empty feed
REPORTS_TARGET, FEED_TARGET, LAG_P99_TARGET_S = 0.8, 0.5, 1.0
STALE_EVERY = 100  # one move in 100 is stale
PAGE = 1000  # changes per feed page, and rows per raw page
FEED_PASSES = 2  # whole reads of the feed per side
FEED_BATCH = 10_000  # the feed's migration batch
LAG_BATCH = 1000  # the lag migration's batch: many commits
WAIT_SECONDS = 25  # the reader's long-poll
WATCH_SECONDS = 0.005  # the watcher's poll
PARTS = ("reports", "feed", "lag")
CHANGES = "/api/v1/executions/changes"


@dataclass
class Figures:
    reports: dict[str, Any] = field(default_factory=dict)
    feed: dict[str, Any] = field(default_factory=dict)
    lag: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"reports": self.reports, "feed": self.feed, "lag": self.lag}


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _body(moves: list[dict[str, Any]]) -> bytes:
    return json.dumps({"moves": moves}, separators=(",", ":")).encode()


# --- reports with bases and without ---------------------------------------------------------


def _executions(admin: psycopg.Connection[Any], workflow: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    """A workflow's executions and their revisions, in id order (read before the clock)."""
    found = admin.execute(
        "SELECT id, revision FROM executions WHERE workflow_id = %s ORDER BY id", (workflow,)
    )
    return [(row[0], int(row[1])) for row in found]


def _move_stale_ones(api: Api, workflow: uuid.UUID, ids: list[uuid.UUID]) -> None:
    """Move every ``STALE_EVERY``-th execution once, untimed: another writer moved them after
    the engine read them (the engine's based moves of them are then stale)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        moves = [{"execution_id": str(i), "action_id": MOVED_TO, "status": "waiting"} for i in chunk]
        found = api.post(f"/api/v1/workflows/{workflow}/executions/positions", _body(moves))
        assert found["updated"] == len(chunk), found


def reports_with_and_without(
    figures: Figures, admin: psycopg.Connection[Any], api: Api, flows: dict[str, list[uuid.UUID]], total: int
) -> None:
    """``total`` executions a side moved once each to ``MOVED_TO``, batch by batch in turns:
    with bases (1% of them stale) and without."""
    for flow in flows.values():
        _seed(admin, flow[0], flow[1], total)
        ids = [i for i, _ in _executions(admin, flow[0])]
        _move_stale_ones(api, flow[0], ids[::STALE_EVERY])
    stats = Statistics(admin)
    batches = -(-total // BATCH)
    bodies: dict[str, list[bytes]] = {"with": [], "without": []}
    applied: dict[str, list[int]] = {"with": [], "without": []}
    stale: list[int] = []
    for name, flow in flows.items():
        found = _executions(admin, flow[0])
        for n in range(batches):
            moves, refused = [], 0
            for offset, (execution, revision) in enumerate(found[n * BATCH : (n + 1) * BATCH]):
                move: dict[str, Any] = {
                    "execution_id": str(execution),
                    "action_id": MOVED_TO,
                    "status": "waiting",
                }
                if name == "with":
                    is_stale = (n * BATCH + offset) % STALE_EVERY == 0
                    # The stale ones: the revision the engine read before the untimed move.
                    move["base_revision"] = revision - 1 if is_stale else revision
                    refused += is_stale
                moves.append(move)
            bodies[name].append(_body(moves))
            applied[name].append(len(moves) - refused)
            if name == "with":
                stale.append(refused)
    sides = {"with": Side(), "without": Side()}

    def report(name: str) -> Callable[[int], None]:
        workflow = flows[name][0]

        def one(n: int) -> None:
            def work() -> int:
                found = api.post(f"/api/v1/workflows/{workflow}/executions/positions", bodies[name][n])
                assert found["updated"] == applied[name][n], found
                assert found["stale"] == (stale[n] if name == "with" else 0), found
                return int(found["updated"])

            sides[name].add(*timed(work))

        return one

    sizes = [min(BATCH, total - n * BATCH) for n in range(batches)]
    interleaved(
        batches, [report("with"), report("without")], between=lambda n: stats.changed_by(2 * sizes[n])
    )
    ratio = sides["with"].rate / sides["without"].rate if sides["without"].rate else 0.0
    figures.reports = {
        "executions": total,
        "with": sides["with"].rate,
        "without": sides["without"].rate,
        "ratio": ratio,
        "applied_with": sides["with"].rows,
        "applied_without": sides["without"].rows,
        "stale": sum(stale),
        "load_average": _load_average(),
    }


# --- the feed against a raw SELECT ---------------------------------------------------------

# The feed's page as hand-written SQL: the same rows (the tenant's migration and revert rows
# of one workflow, below the snapshot's xmin, after the cursor, in (xid, seq) order) and the
# same columns (the versions' numbers joined once the page is picked).
RAW_PAGE = """
SELECT j.execution_id, j.workflow_id, j.contact_id, j.from_version_id, f.version_number,
       j.version_id, v.version_number, j.from_action_id, j.action_id, j.from_status, j.status,
       j.revision, j.cause, j.cause_id, j.at, j.xid, j.seq
FROM (SELECT * FROM execution_journey
      WHERE tenant_id = %(tenant)s AND cause IN ('migration', 'revert') AND workflow_id = %(workflow)s
        AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        AND (xid, seq) > (%(xid)s, %(seq)s)
      ORDER BY xid, seq LIMIT %(limit)s) AS j
JOIN workflow_versions v ON v.id = j.version_id
LEFT JOIN workflow_versions f ON f.id = j.from_version_id
ORDER BY j.xid, j.seq
"""


class RawFeed:
    """The baseline: the feed's pages by SQL as the service's role, a transaction a page
    scoped to the tenant as the service scopes its own."""

    def __init__(self, dsn: str) -> None:
        self.conn = psycopg.connect(dsn)

    def close(self) -> None:
        self.conn.close()

    def read(self, workflow: uuid.UUID) -> int:
        """Every row, page by page; how many."""
        rows, after = 0, (-1, -1)
        while True:
            self.conn.execute("SELECT set_config('app.tenant_id', %s, true)", (TENANT,))
            page = self.conn.execute(
                RAW_PAGE,
                {"tenant": TENANT, "workflow": workflow, "xid": after[0], "seq": after[1], "limit": PAGE},
            ).fetchall()
            self.conn.commit()
            if not page:
                return rows
            rows += len(page)
            after = (page[-1][-2], page[-1][-1])


def read_feed(api: Api, workflow: uuid.UUID, parsing: list[float] | None = None) -> int:
    """Every change of the workflow through HTTP, following ``next_cursor``; how many.
    ``parsing`` (if given) adds up the seconds spent in ``json.loads`` of the pages."""
    rows, cursor = 0, None
    while True:
        params: dict[str, Any] = {"workflow_id": str(workflow), "limit": PAGE}
        if cursor is not None:
            params["after"] = cursor
        response = api.client.get(CHANGES, params=params)
        assert response.status_code == 200, response.text[:500]
        started = time.perf_counter()
        page = json.loads(response.content)
        if parsing is not None:
            parsing[0] += time.perf_counter() - started
        if not page["items"]:
            return rows
        rows += len(page["items"])
        cursor = page["next_cursor"]


def _migrate(
    admin: psycopg.Connection[Any], api: Api, workflow: uuid.UUID, batch_size: int
) -> dict[str, Any]:
    """v1 -> v2, immediate, through the API and the worker; its row once it has ended."""
    migration = api.post(
        f"/api/v1/workflows/{workflow}/versions/2/migrate",
        {"from_versions": [1], "batch_size": batch_size},
        202,
    )
    done = _wait(admin, "workflow_version_migrations", migration["id"])
    assert done["status"] == "completed", done
    return done


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def feed_against_raw(
    figures: Figures,
    admin: psycopg.Connection[Any],
    api: Api,
    raw: RawFeed,
    flow: list[uuid.UUID],
    count: int,
    server_pid: int,
) -> None:
    """``count`` migration moves in the journey, then the whole feed read through HTTP and
    by raw SQL, each twice, in turns. Also the server's CPU time a change served: what
    the service itself spends, which other work on the machine moves less than rows/s."""
    workflow = flow[0]
    _seed(admin, workflow, flow[1], count)
    started = time.perf_counter()
    done = _migrate(admin, api, workflow, FEED_BATCH)
    migrated_in = time.perf_counter() - started
    assert int(done["migrated"]) == count, done
    admin.execute("VACUUM ANALYZE execution_journey")  # as autovacuum would after a million inserts
    sides = {"feed": Side(), "raw": Side()}
    server_cpu = [0.0]  # seconds, over the feed's reads
    parsing = [0.0]  # seconds of the reader's json.loads, over the feed's reads

    def by_feed() -> int:
        before = _cpu_seconds(server_pid)
        rows = read_feed(api, workflow, parsing)
        server_cpu[0] += _cpu_seconds(server_pid) - before
        return rows

    def whole(name: str, read: Callable[[], int]) -> Callable[[int], None]:
        def one(_: int) -> None:
            rows, seconds = timed(read)
            assert rows == count, (name, rows, count)
            sides[name].add(rows, seconds)

        return one

    interleaved(
        FEED_PASSES,
        [whole("feed", by_feed), whole("raw", lambda: raw.read(workflow))],
    )
    figures.feed = {
        "changes": count,
        "passes": FEED_PASSES,
        "feed": sides["feed"].rate,
        "raw": sides["raw"].rate,
        "ratio": sides["feed"].rate / sides["raw"].rate if sides["raw"].rate else 0.0,
        "server_cpu_us_per_change": round(1e6 * server_cpu[0] / sides["feed"].rows, 1),
        "reader_parse_us_per_change": round(1e6 * parsing[0] / sides["feed"].rows, 1),
        "raw_us_per_change": round(1e6 / sides["raw"].rate, 1) if sides["raw"].rate else 0.0,
        "migration_seconds": round(migrated_in, 1),
        "load_average": _load_average(),
    }


# --- lag from a batch's commit to the engine -----------------------------------------------


class Watcher(threading.Thread):
    """When each migration batch of ``tenant`` became visible: every ``WATCH_SECONDS`` the
    transaction id of the tenant's newest visible feed row (batches of one migration commit
    one after the other, so a larger id is a later batch), kept with the instant it was
    first seen. Also the most writing transactions seen at once in other databases (each
    holds the feed back)."""

    def __init__(self, dsn: str, tenant: str) -> None:
        super().__init__(daemon=True)
        self.dsn, self.tenant = dsn, tenant
        self.seen: list[tuple[float, int]] = []  # (perf_counter, xid) on every change
        self.other_writers = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            with psycopg.connect(self.dsn, autocommit=True) as conn:
                polls = 0
                while not self.stop.is_set():
                    row = conn.execute(
                        "SELECT xid FROM execution_journey WHERE tenant_id = %s"
                        " AND cause IN ('migration', 'revert') ORDER BY xid DESC, seq DESC LIMIT 1",
                        (self.tenant,),
                    ).fetchone()
                    now = time.perf_counter()
                    if row is not None and (not self.seen or self.seen[-1][1] != row[0]):
                        self.seen.append((now, int(row[0])))
                    polls += 1
                    if polls % 20 == 0:
                        self._count_other_writers(conn)
                    self.stop.wait(WATCH_SECONDS)
        except BaseException as error:  # handed to the main thread
            self.error = error

    def _count_other_writers(self, conn: psycopg.Connection[Any]) -> None:
        found = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
            " AND datname IS DISTINCT FROM current_database()"
        ).fetchone()
        self.other_writers = max(self.other_writers, int(found[0]) if found else 0)

    def visible_at(self, xid: int) -> float:
        """When the transaction ``xid`` was first seen committed (or a later one)."""
        return next(at for at, seen in self.seen if seen >= xid)


class Reader(threading.Thread):
    """The engine: long-polls the tenant's feed following cursors until ``expected``
    changes came, keeping when the first change of each transaction arrived."""

    def __init__(self, base: str, tenant: str, expected: int, deadline: float) -> None:
        super().__init__(daemon=True)
        self.base, self.tenant, self.expected, self.deadline = base, tenant, expected, deadline
        self.first: dict[int, float] = {}  # xid -> perf_counter of the answer that brought it
        self.received = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        api = Api(self.base, self.tenant)
        try:
            cursor = None
            while self.received < self.expected and time.perf_counter() < self.deadline:
                params: dict[str, Any] = {"limit": PAGE, "wait": WAIT_SECONDS}
                if cursor is not None:
                    params["after"] = cursor
                response = api.client.get(CHANGES, params=params)
                now = time.perf_counter()
                assert response.status_code == 200, response.text[:500]
                page = response.json()
                for change in page["items"]:
                    self.first.setdefault(parse_cursor(change["cursor"])[0], now)
                self.received += len(page["items"])
                cursor = page["next_cursor"]
        except BaseException as error:  # handed to the main thread
            self.error = error
        finally:
            api.close()


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value at or above ``share`` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def lag(
    figures: Figures,
    admin: psycopg.Connection[Any],
    admin_dsn: str,
    api: Api,
    base: str,
    flow: list[uuid.UUID],
    count: int,
) -> None:
    """From each batch's commit to the reader receiving its first change."""
    workflow = flow[0]
    _seed(admin, workflow, flow[1], count, tenant=LAG_TENANT)
    watcher = Watcher(admin_dsn, LAG_TENANT)
    reader = Reader(base, LAG_TENANT, count, deadline=time.perf_counter() + 600)
    watcher.start()
    reader.start()
    try:
        started = time.perf_counter()
        done = _migrate(admin, api, workflow, LAG_BATCH)
        migrated_in = time.perf_counter() - started
        reader.join(timeout=120)
    finally:
        watcher.stop.set()
        watcher.join(timeout=10)
    for thread in (watcher, reader):
        if thread.error is not None:
            raise thread.error
    assert not reader.is_alive(), f"the reader got {reader.received} of {count} changes"
    assert int(done["migrated"]) == count, done
    assert reader.received == count, (reader.received, count)
    transactions = [
        int(row[0])
        for row in admin.execute(
            "SELECT xid FROM execution_journey WHERE cause_id = %s GROUP BY xid ORDER BY xid", (done["id"],)
        )
    ]
    lags = [reader.first[xid] - watcher.visible_at(xid) for xid in transactions]
    figures.lag = {
        "executions": count,
        "batches": len(lags),
        "p50_ms": round(1000 * _percentile(lags, 0.5), 1),
        "p95_ms": round(1000 * _percentile(lags, 0.95), 1),
        "p99_ms": round(1000 * _percentile(lags, 0.99), 1),
        "max_ms": round(1000 * max(lags), 1),
        "min_ms": round(1000 * min(lags), 1),
        "migration_seconds": round(migrated_in, 2),
        "other_writers_seen": watcher.other_writers,
        "lags_ms": [round(1000 * value, 1) for value in lags],  # in commit order
        "load_average": _load_average(),
    }


# --- the stack -----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Figures:
    """A database of its own, the workflows, one ``wfv serve`` and one ``wfv worker``; the parts."""
    db = create_database(args.admin_url, "engine")
    redis.Redis.from_url(args.redis_url).flushdb()
    env = db.env(WFV_QUEUE="redis", WFV_REDIS_URL=args.redis_url)
    processes: list[subprocess.Popen[bytes]] = []
    figures = Figures()
    try:
        container = build_container(db.settings())
        v1, v2 = _versions()
        try:
            flows = {
                name: published_history(
                    container, 1, documents=[example("nurture-50")], name=f"reports {name}"
                )
                for name in ("with", "without")
            }
            feed_flow = published_history(container, 2, documents=[v1, v2], name="feed")
            lag_flow = published_history(container, 2, documents=[v1, v2], name="lag", org=LAG_TENANT)
        finally:
            container.close()
        logs = open(db.data / "bench.log", "wb")
        port = _free_port()
        server = subprocess.Popen(
            [WFV, "serve", "--port", str(port), "--no-embedded-worker"], env=env, stdout=logs, stderr=logs
        )
        processes.append(server)
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server)
        processes.append(
            subprocess.Popen(
                [WFV, "worker", "--workers", "2", "--no-periodic"], env=env, stdout=logs, stderr=logs
            )
        )
        api, lag_api, raw = Api(base), Api(base, LAG_TENANT), RawFeed(db.app_dsn)
        with psycopg.connect(db.admin_dsn, autocommit=True) as admin:
            try:
                if "reports" in args.parts:
                    reports_with_and_without(figures, admin, api, flows, args.reports)
                if "feed" in args.parts:
                    feed_against_raw(figures, admin, api, raw, feed_flow, args.feed, server.pid)
                if "lag" in args.parts:
                    lag(figures, admin, db.admin_dsn, lag_api, base, lag_flow, args.lag_contacts)
            finally:
                api.close()
                lag_api.close()
                raw.close()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        db.drop()
    return figures


def render(figures: Figures) -> str:
    lines = []
    if figures.reports:
        r = figures.reports
        lines.append(
            f"reports  {r['executions']:,} a side: with bases {r['with']:,.0f} rows/s"
            f"  without {r['without']:,.0f} rows/s  ratio {r['ratio']:.2f}"
            f"  ({r['stale']:,} stale moves refused; target >= {REPORTS_TARGET})"
            f"  load average {r['load_average']}"
        )
    if figures.feed:
        f = figures.feed
        lines.append(
            f"feed     {f['changes']:,} changes x{f['passes']}: HTTP {f['feed']:,.0f} rows/s  raw SELECT"
            f" {f['raw']:,.0f} rows/s  ratio {f['ratio']:.2f}  (target >= {FEED_TARGET};"
            f" server CPU {f['server_cpu_us_per_change']} us a change, the reader's json.loads"
            f" {f['reader_parse_us_per_change']} us, the raw read {f['raw_us_per_change']} us; migrated in"
            f" {f['migration_seconds']} s)  load average {f['load_average']}"
        )
    if figures.lag:
        g = figures.lag
        lines.append(
            f"lag      {g['executions']:,} executions, {g['batches']} batches: p50 {g['p50_ms']} ms"
            f"  p95 {g['p95_ms']} ms  p99 {g['p99_ms']} ms  max {g['max_ms']} ms"
            f"  (target p99 < {LAG_P99_TARGET_S * 1000:.0f} ms;"
            f" {g['other_writers_seen']} writers seen in other databases)"
            f"  load average {g['load_average']}"
        )
    return "\n".join(lines)


@contextmanager
def _collector_as_wfv() -> Iterator[None]:
    """This process (the raw side's reads, the HTTP clients) with the garbage-collector
    settings of wfv's own processes, so the ratios compare code, not runtime settings;
    put back afterwards (the suite runs ``main`` in its own process)."""
    before = gc.get_threshold()
    tune_collector()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--reports", type=int, default=200_000, help="executions per side for the reports")
    parser.add_argument("--feed", type=int, default=1_000_000, help="migration moves the feed lists")
    parser.add_argument(
        "--lag-contacts", type=int, default=100_000, help="executions migrated while the reader waits"
    )
    parser.add_argument("--redis-url", default=REDIS_URL, help="the worker's queue (flushed first)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    with _collector_as_wfv():
        figures = run(args)
    print(render(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures.as_json(), indent=2))
    return figures


if __name__ == "__main__":
    main()
