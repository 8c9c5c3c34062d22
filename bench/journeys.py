"""Journeys benchmark on PostgreSQL, through the real API (``wfv serve``) and a real
consumer (``wfv worker`` on Redis):

    python -m bench.journeys [--reports 200000] [--history 10000000] [--impact 100000]
                             [--parts reports as-of impact revert] [--json out.json]
                             [--admin-url postgresql://postgres@127.0.0.1:5432/test]

- **reports with history**: position reports (``POST …/executions/positions``, 10,000 moves
  a request) on a service keeping journeys against one that keeps none
  (``WFV_JOURNEY_RETENTION_DAYS=0``), two servers on the same database, batch by batch in
  turns (the order swapping each batch). Enrolment is measured the same way. Target:
  with history >= 0.7 of without.
- **as-of**: ``GET …/contacts/{contact}/as-of?at=`` for random contacts at random instants,
  with ``--history`` journey rows (1,000,000 contacts, ten events each, over the last 30
  days, in the service's weekly partitions) written by SQL beforehand, driven by ``wrk``. Target: p95 < 20 ms.
- **impact**: ``GET …/versions/2/impact?from=1`` over ``--impact`` live contacts on 50
  positions (v2 changes waits, configs, removes and renames actions), 20 times. Target:
  p95 < 5 s.
- **revert**: the same contacts migrated v1 -> v2 (immediate), end to end (request to
  ``completed``), then that migration reverted end to end. Target: revert rate >= 0.5 of
  the migration's.

Every figure comes with the load average: the machine has two cores.
"""

import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import redis

from bench import wrk
from bench.database import SECRET, create_database
from bench.enrolment import Statistics, _free_port, _wait_healthy, interleaved, timed
from service.auth import issue_token
from service.container import build_container
from tests.factories import example, published_history

TENANT = "acme"
REDIS_URL = "redis://127.0.0.1:6379/12"
WFV = str(Path(sys.executable).with_name("wfv"))
BATCH = 10_000
REPORTS_TARGET, AS_OF_P95_MS, IMPACT_P95_S, REVERT_TARGET = 0.7, 20.0, 5.0, 0.5
HISTORY_CONTACTS = 1_000_000  # contacts of the as-of history (ten events each by default)
HISTORY_DAYS = 30
PARTS = ("reports", "as-of", "impact", "revert")


@dataclass
class Side:
    rows: int = 0
    seconds: float = 0.0

    def add(self, rows: int, seconds: float) -> None:
        self.rows += rows
        self.seconds += seconds

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Figures:
    load_average: str = ""
    enrolment: dict[str, Side] = field(default_factory=lambda: {"with": Side(), "without": Side()})
    reports: dict[str, Side] = field(default_factory=lambda: {"with": Side(), "without": Side()})
    as_of: dict[str, Any] = field(default_factory=dict)
    impact: dict[str, Any] = field(default_factory=dict)
    revert: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def pair(sides: dict[str, Side]) -> dict[str, Any]:
            with_, without = sides["with"].rate, sides["without"].rate
            return {"with": with_, "without": without, "ratio": with_ / without if without else 0.0}

        return {
            "load_average": self.load_average,
            "enrolment": pair(self.enrolment),
            "reports": pair(self.reports),
            "as_of": self.as_of,
            "impact": self.impact,
            "revert": self.revert,
        }


class Api:
    """One server over HTTP as an admin of ``org``, one keep-alive connection."""

    def __init__(self, base: str, org: str = TENANT) -> None:
        token = issue_token(secret=SECRET, user="alice", org=org, permissions=["workflows:admin"])
        self.base, self.token = base, token
        self.client = httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=300,
        )

    def close(self) -> None:
        self.client.close()

    def post(self, path: str, body: bytes | dict[str, Any], expected: int = 200) -> Any:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = self.client.post(path, content=content)
        assert response.status_code == expected, (path, response.status_code, response.text[:500])
        return response.json()

    def get(self, path: str) -> Any:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.json()


# --- documents -----------------------------------------------------------------------------


def _versions() -> tuple[dict[str, Any], dict[str, Any]]:
    """nurture-50 and a v2 whose waits are shorter or longer (timer buckets) and five of
    whose messages are edited (changed in place); the rest is unchanged."""
    v1 = example("nurture-50")
    v2 = copy.deepcopy(v1)
    waits = [a for a in v2["actions"] if a["type"] == "wait"]
    for index, action in enumerate(waits):
        action["config"] = {"duration": "PT1H" if index % 2 else "P30D"}
    for action in [a for a in v2["actions"] if a["type"] == "send_sms"][:5]:
        action["config"] = {**action["config"], "text": action["config"]["text"] + " (v2)"}
    return v1, v2


# --- the parts -----------------------------------------------------------------------------


def _number(admin: psycopg.Connection[Any], query: str, *parameters: Any) -> int:
    """The one number a query answers."""
    row = admin.execute(query, parameters).fetchone()
    assert row is not None
    return int(row[0])


def _contacts(prefix: str, start: int, count: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(start, start + count)]


def reports_with_and_without(
    figures: Figures,
    admin: psycopg.Connection[Any],
    on: Api,
    off: Api,
    flows: dict[str, uuid.UUID],
    total: int,
) -> None:
    """Enrol ``total`` contacts into each side's workflow, then move every execution once by
    position report, batch by batch in turns."""
    stats = Statistics(admin)
    batches = -(-total // BATCH)
    sizes = [min(BATCH, total - n * BATCH) for n in range(batches)]
    bodies = [
        json.dumps({"contact_ids": _contacts("r", n * BATCH, size)}, separators=(",", ":")).encode()
        for n, size in enumerate(sizes)
    ]
    sides = {"with": (on, flows["with"]), "without": (off, flows["without"])}

    def enrol(name: str) -> Callable[[int], None]:
        api, workflow = sides[name]

        def one(n: int) -> None:
            def work() -> int:
                found = api.post(f"/api/v1/workflows/{workflow}/executions", bodies[n], 201)
                assert found["enrolled"] == sizes[n], found
                return sizes[n]

            figures.enrolment[name].add(*timed(work))

        return one

    interleaved(batches, [enrol("with"), enrol("without")], between=lambda n: stats.changed_by(2 * sizes[n]))
    ids = {
        name: [
            row[0]
            for row in admin.execute(
                "SELECT id FROM executions WHERE workflow_id = %s ORDER BY id", (workflow,)
            ).fetchall()
        ]
        for name, (_, workflow) in sides.items()
    }

    def report(name: str) -> Callable[[int], None]:
        api, workflow = sides[name]
        chunks = [ids[name][n * BATCH : (n + 1) * BATCH] for n in range(batches)]
        payloads = [
            json.dumps(
                {
                    "moves": [
                        {"execution_id": str(i), "action_id": "step-007", "status": "waiting"} for i in chunk
                    ]
                },
                separators=(",", ":"),
            ).encode()
            for chunk in chunks
        ]

        def one(n: int) -> None:
            def work() -> int:
                found = api.post(f"/api/v1/workflows/{workflow}/executions/positions", payloads[n])
                assert found["updated"] == len(chunks[n]), found
                return len(chunks[n])

            figures.reports[name].add(*timed(work))

        return one

    interleaved(
        batches, [report("with"), report("without")], between=lambda n: stats.changed_by(2 * sizes[n])
    )
    journeys = "SELECT count(*) FROM execution_journey WHERE workflow_id = %s"
    kept = _number(admin, journeys, flows["with"])
    assert kept == 2 * total, kept  # an enrolment and a report each
    assert _number(admin, journeys, flows["without"]) == 0


def _history(admin: psycopg.Connection[Any], workflow: uuid.UUID, version: uuid.UUID, rows: int) -> datetime:
    """``rows`` journey rows by SQL: contacts ``h-0`` … of ten events each (fewer contacts
    when ``rows`` is small), spread over the last 30 days in weekly partitions made here as
    the schema owner (named and bounded as the service's own). Returns the start of the history."""
    contacts = max(1, min(HISTORY_CONTACTS, rows // 10))
    per_contact = max(1, rows // contacts)
    start = (datetime.now(UTC) - timedelta(days=HISTORY_DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    monday = start - timedelta(days=start.weekday())
    while monday <= start + timedelta(days=HISTORY_DAYS):  # the service's weekly partitions
        name = f"execution_journey_p{monday:%Y%m%d}"
        admin.execute(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF execution_journey "
            f"FOR VALUES FROM ('{monday.isoformat()}') TO ('{(monday + timedelta(days=7)).isoformat()}')"
        )
        monday += timedelta(days=7)
    step = HISTORY_DAYS * 86_400 // per_contact  # seconds between a contact's events
    chunk = 1_000_000
    for first in range(0, contacts * per_contact, chunk):
        last = min(contacts * per_contact, first + chunk) - 1
        admin.execute(
            """INSERT INTO execution_journey (tenant_id, workflow_id, execution_id, contact_id, at,
                                              version_id, action_id, status, revision, cause)
               SELECT %(tenant)s, %(workflow)s, md5('h-' || (i %% %(contacts)s))::uuid,
                      'h-' || (i %% %(contacts)s),
                      %(start)s + ((i / %(contacts)s) * %(step)s + (i %% 86400) %% %(step)s)
                                  * interval '1 second',
                      %(version)s, 'step-' || lpad(((i / %(contacts)s) %% 50)::text, 3, '0'),
                      'waiting', i / %(contacts)s + 1, 'engine'
               FROM generate_series(%(first)s, %(last)s) AS i""",
            {
                "tenant": TENANT,
                "workflow": workflow,
                "contacts": contacts,
                "start": start,
                "step": step,
                "version": version,
                "first": first,
                "last": last,
            },
        )
    admin.execute("VACUUM ANALYZE execution_journey")
    return start


def as_of(
    figures: Figures,
    admin: psycopg.Connection[Any],
    api: Api,
    flow: list[uuid.UUID],
    rows: int,
    seconds: float,
) -> None:
    """p95 of as-of answers over ``rows`` history rows (``flow``: the workflow and its v1),
    through HTTP, driven by wrk for ``seconds``."""
    workflow, version = flow[0], flow[1]
    started = time.perf_counter()
    start = _history(admin, workflow, version, rows)
    written = time.perf_counter() - started
    contacts = max(1, min(HISTORY_CONTACTS, rows // 10))
    chooser = random.Random(7)
    paths = []
    per_contact = max(1, rows // contacts)
    step = HISTORY_DAYS * 86_400 // per_contact
    for _ in range(2000):
        contact = f"h-{chooser.randrange(contacts)}"
        # After the contact's first event (within ``step`` of the start), up to 30 days on.
        instant = start + timedelta(seconds=step + chooser.randrange(HISTORY_DAYS * 86_400 - step))
        paths.append(f"/api/v1/workflows/{workflow}/contacts/{contact}/as-of?at={quote(instant.isoformat())}")
    # One answer checked before the load: the contact's state at that instant.
    sample = api.get(paths[0])
    assert sample["contact_id"].startswith("h-"), sample
    assert sample["version_number"] == 1, sample
    found = _number(admin, "SELECT count(*) FROM execution_journey WHERE workflow_id = %s", workflow)
    with tempfile.TemporaryDirectory() as work:
        result = wrk.run(
            api.base, paths, users=[api.token], seconds=seconds, connections=2, workdir=Path(work)
        )
    figures.as_of = {
        "history_rows": found,
        "seconds_to_write_history": round(written, 1),
        "requests": result.requests,
        "rate": round(result.rate, 1),
        "errors": result.errors,
        "sample_error": result.sample_error,
        "p50_ms": result.p50_ms,
        "p95_ms": result.p95_ms,
        "p99_ms": result.p99_ms,
    }


def _seed(
    admin: psycopg.Connection[Any], workflow: uuid.UUID, version: uuid.UUID, count: int, tenant: str = TENANT
) -> None:
    """``count`` live executions on 50 positions, by SQL (the impact and the migration read
    the executions; their journeys start with the migration)."""
    admin.execute(
        """INSERT INTO executions (id, tenant_id, workflow_id, version_id, contact_id, current_action_id,
                                   status, enrolled_at, updated_at)
           SELECT gen_random_uuid(), %s, %s, %s, 'm-' || i, 'step-' || lpad((i %% 50)::text, 3, '0'),
                  'waiting', now(), now()
           FROM generate_series(1, %s) AS i""",
        (tenant, workflow, version, count),
    )
    admin.execute("VACUUM ANALYZE executions")


def impact(figures: Figures, api: Api, workflow: uuid.UUID, count: int) -> None:
    """p95 of 20 impact previews of ``count`` live contacts, and the buckets' sum checked."""
    path = f"/api/v1/workflows/{workflow}/versions/2/impact?from=1"
    timings = []
    answer: dict[str, Any] = {}
    for _ in range(20):
        started = time.perf_counter()
        answer = api.get(path)
        timings.append(time.perf_counter() - started)
    assert answer["total"] == count, answer
    assert sum(answer["counts"].values()) == count, answer["counts"]
    listed_at = time.perf_counter()
    bucket = max(answer["counts"], key=lambda name: answer["counts"][name])
    page = api.get(f"{path}&bucket={bucket}&limit=500")
    listed = time.perf_counter() - listed_at
    assert page["contacts"]["items"], page
    timings.sort()
    figures.impact = {
        "contacts": count,
        "p50_s": round(timings[len(timings) // 2], 3),
        "p95_s": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 3),
        "counts": answer["counts"],
        "page_of_500_s": round(listed, 3),
    }


def _wait(admin: psycopg.Connection[Any], table: str, row_id: str) -> dict[str, Any]:
    while True:
        found = admin.execute(f"SELECT * FROM {table} WHERE id = %s", (row_id,))
        row = found.fetchone()
        assert row is not None
        assert found.description is not None
        record = dict(zip([c.name for c in found.description], row, strict=True))
        if record["status"] in ("completed", "failed", "cancelled"):
            return record
        time.sleep(0.01)


def revert(
    figures: Figures, admin: psycopg.Connection[Any], api: Api, workflow: uuid.UUID, count: int
) -> None:
    """The seeded contacts migrated v1 -> v2, then the migration reverted, both end to end."""
    started = time.perf_counter()
    migration = api.post(
        f"/api/v1/workflows/{workflow}/versions/2/migrate",
        {"from_versions": [1], "batch_size": 10_000},
        202,
    )
    done = _wait(admin, "workflow_version_migrations", migration["id"])
    migrated_in = time.perf_counter() - started
    assert done["status"] == "completed", done
    moved = int(done["migrated"])
    assert moved == count, done
    started = time.perf_counter()
    undo = api.post(
        f"/api/v1/workflows/{workflow}/migrations/{migration['id']}/revert", {"dry_run": False}, 202
    )
    record = _wait(admin, "migration_reverts", undo["id"])
    reverted_in = time.perf_counter() - started
    assert record["status"] == "completed", record
    on_v1 = _number(
        admin,
        "SELECT count(*) FROM executions e JOIN workflow_versions v ON v.id = e.version_id "
        "WHERE e.workflow_id = %s AND v.version_number = 1 AND e.status = 'waiting'",
        workflow,
    )
    assert on_v1 == count, on_v1  # every contact back where it was
    figures.revert = {
        "executions": moved,
        "migration_rate": round(moved / migrated_in, 1),
        "revert_rate": round(int(record["restored"]) / reverted_in, 1),
        "ratio": round((int(record["restored"]) / reverted_in) / (moved / migrated_in), 3),
        "migration_seconds": round(migrated_in, 2),
        "revert_seconds": round(reverted_in, 2),
    }


# --- the stack -----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Figures:
    db = create_database(args.admin_url, "journeys")
    redis.Redis.from_url(args.redis_url).flushdb()
    env = db.env(WFV_QUEUE="redis", WFV_REDIS_URL=args.redis_url)
    processes: list[subprocess.Popen[bytes]] = []
    figures = Figures()
    try:
        container = build_container(db.settings())
        v1, v2 = _versions()
        try:
            flows = {
                name: published_history(container, 1, documents=[v1], name=f"reports {name}")[0]
                for name in ("with", "without")
            }
            history_flow = published_history(container, 1, documents=[v1], name="history")
            pair = published_history(container, 2, documents=[v1, v2], name="impact")
        finally:
            container.close()
        logs = open(db.data / "bench.log", "wb")
        bases = []
        for retention in ("90", "0"):
            port = _free_port()
            process = subprocess.Popen(
                [WFV, "serve", "--port", str(port), "--no-embedded-worker"],
                env=env | {"WFV_JOURNEY_RETENTION_DAYS": retention},
                stdout=logs,
                stderr=logs,
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
            _wait_healthy(bases[-1], process)
        processes.append(
            subprocess.Popen(
                [WFV, "worker", "--workers", "2", "--no-periodic"], env=env, stdout=logs, stderr=logs
            )
        )
        on, off = Api(bases[0]), Api(bases[1])
        with psycopg.connect(db.admin_dsn, autocommit=True) as admin:
            try:
                if "reports" in args.parts:
                    reports_with_and_without(figures, admin, on, off, flows, args.reports)
                if "as-of" in args.parts:
                    as_of(figures, admin, on, history_flow, args.history, args.as_of_seconds)
                _seed(admin, pair[0], pair[1], args.impact)
                if "impact" in args.parts:
                    impact(figures, on, pair[0], args.impact)
                if "revert" in args.parts:
                    revert(figures, admin, on, pair[0], args.impact)
            finally:
                on.close()
                off.close()
        figures.load_average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        db.drop()
    return figures


def render(figures: Figures) -> str:
    result = figures.as_json()
    enrol, reports = result["enrolment"], result["reports"]
    as_of_, impact_, revert_ = result["as_of"], result["impact"], result["revert"]
    lines = [
        f"enrolment  with history {enrol['with']:>9.0f}/s  without {enrol['without']:>9.0f}/s"
        f"  ratio {enrol['ratio']:.2f}",
        f"reports    with history {reports['with']:>9.0f}/s  without {reports['without']:>9.0f}/s"
        f"  ratio {reports['ratio']:.2f}  (target >= {REPORTS_TARGET})",
        f"as-of      {as_of_.get('history_rows', 0):,} rows: p50 {as_of_.get('p50_ms')} ms"
        f"  p95 {as_of_.get('p95_ms')} ms  p99 {as_of_.get('p99_ms')} ms  ({as_of_.get('rate')} req/s,"
        f" {as_of_.get('errors')} errors; target p95 < {AS_OF_P95_MS} ms)",
        f"impact     {impact_.get('contacts', 0):,} contacts: p50 {impact_.get('p50_s')} s"
        f"  p95 {impact_.get('p95_s')} s  (target p95 < {IMPACT_P95_S} s)",
        f"revert     {revert_.get('executions', 0):,} executions: migration {revert_.get('migration_rate')}/s"
        f"  revert {revert_.get('revert_rate')}/s  ratio {revert_.get('ratio')}  (target >= {REVERT_TARGET})",
        f"load average {result['load_average']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Figures:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--reports", type=int, default=200_000, help="contacts per side for enrolment and reports"
    )
    parser.add_argument("--history", type=int, default=10_000_000, help="journey rows for as-of")
    parser.add_argument("--impact", type=int, default=100_000, help="live contacts for impact and revert")
    parser.add_argument("--redis-url", default=REDIS_URL, help="the worker's queue (flushed first)")
    parser.add_argument("--as-of-seconds", type=float, default=15, help="how long wrk asks as-of")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args)
    print(render(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures.as_json(), indent=2))
    return figures


if __name__ == "__main__":
    main()
