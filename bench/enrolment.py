"""Enrolment benchmark on PostgreSQL through the real API (``wfv serve``, uvicorn, HTTP):
contacts enrolled and position reports applied, as rows/s, next to raw batched SQL writing
the same rows into the same ``executions`` table in the same run.

    python -m bench.enrolment [--contacts 1000000] [--rollout] [--json out.json]
                              [--admin-url postgresql://postgres@127.0.0.1:5432/test]

Each side works in batches of 10,000 (the API's largest), each batch one transaction. The
raw SQL comes in three forms, each measured, and the service is held against the fastest
in the run (the strictest baseline short of a bulk loader):

- ``values``: multi-row ``INSERT ... VALUES`` / ``UPDATE ... FROM (VALUES ...)`` of 1,000
  rows a statement (nine parameters a row and PostgreSQL's 65,535 a statement);
- ``executemany``: one single-row statement a row through psycopg's pipelined
  ``executemany`` (what SQLAlchemy makes of a list of rows);
- ``unnest``: one statement for the whole batch, each column bound as one array.

What is written:

- **enrolment**: ``POST /api/v1/workflows/{id}/executions`` with 10,000 contact ids, against
  inserts of the same nine columns. ``COPY`` is measured too and printed for scale, but it
  is not a baseline: the service does not use it and, as its role, cannot (PostgreSQL
  refuses ``COPY FROM`` into a table with row-level security; it runs here as the owner,
  who bypasses it).
- **position reports**: ``POST …/executions/positions`` with 10,000 moves named by
  execution id (as the engine example sends them), against updates of the same rows to
  the same place. The service also locks and reads each row first (a report is checked
  against the actions of the execution's own version, all or nothing), which the raw
  side does not.

The raw side connects as the service's role (``wfv_app``) and scopes each transaction to
the tenant as the service does, so row-level security weighs on both sides. The sides
alternate batch by batch (which goes first swaps every batch), each into a workflow of its
own with the same contact ids, so whatever else the machine does and the table's growing
indexes fall on both alike. Request bodies are encoded before the clock starts: the
client's JSON is not the service's cost. Target: the service >= 0.4 of the fastest raw
form, both writes.

The table's statistics are kept as autovacuum keeps them (``ANALYZE`` once 50 rows + 10%
have changed since the last, between batches, off the clock) when the server runs with
autovacuum off, as the test server does: on a table never analysed, the planner reads
"which of these 1,000 contacts are in flight" through the (tenant, workflow) index and
filters the workflow's every execution, so each batch took longer than the last (503
contacts/s at 100,000). A production server analyses by itself.

``--rollout`` adds enrolment with a rollout running (``POST …/versions/{n}/rollout``)
against enrolment without one, interleaved the same way (target >= 0.8). Until the
rollout route is part of the build (it answers 404; the bench asks the OpenAPI document)
the comparison is skipped with a message saying so (the rest of the run stands).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.database import SECRET, create_database
from service.auth import issue_token
from service.container import build_container
from service.settings import Settings
from tests.factories import example, published_history

TENANT = "acme"
WFV = str(Path(sys.executable).with_name("wfv"))
BATCH = 10_000  # contacts or moves per request and per raw transaction (the API's largest)
STATEMENT_ROWS = 1_000  # rows per multi-row statement: 9 columns x 1,000 < 65,535 parameters
RATIO_TARGET = 0.4  # of the raw SQL's rows/s, same run
ROLLOUT_RATIO_TARGET = 0.8  # enrolment with a rollout running, of enrolment without
MOVED_TO = "step-007"  # where every position report sends its contact (an action of nurture-50)
COLUMNS = (
    "id",
    "tenant_id",
    "workflow_id",
    "version_id",
    "contact_id",
    "current_action_id",
    "status",
    "enrolled_at",
    "updated_at",
)
ROLLOUT_ROUTE = "/api/v1/workflows/{workflow_id}/versions/{version}/rollout"
# 50% for an hour (the bench is over long before), then 100%: the rollout helper's brief
# says steps of {percent, seconds}; fit this if the merged request model differs.
DEFAULT_ROLLOUT_BODY = '{"steps": [{"percent": 50, "seconds": 3600}, {"percent": 100, "seconds": 3600}]}'


@dataclass
class Flow:
    """A published workflow (nurture-50) one side writes its executions into."""

    id: uuid.UUID
    version_id: uuid.UUID
    start: str


@dataclass
class Side:
    """Rows and seconds of one side of one comparison."""

    rows: int = 0
    seconds: float = 0.0

    def add(self, rows: int, seconds: float) -> None:
        self.rows += rows
        self.seconds += seconds

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


RAW_FORMS = ("values", "executemany", "unnest")  # the baseline: the fastest, per run


@dataclass
class Write:
    """One kind of write: the service's side and each raw form's (and COPY's, for scale)."""

    service: Side = field(default_factory=Side)
    raw: dict[str, Side] = field(default_factory=lambda: {form: Side() for form in RAW_FORMS})
    copy: Side | None = None

    @property
    def baseline(self) -> float:
        return max(side.rate for side in self.raw.values())

    @property
    def ratio(self) -> float:
        return self.service.rate / self.baseline


@dataclass
class Summary:
    contacts: int
    load_average: str = ""
    enrolment: Write = field(default_factory=lambda: Write(copy=Side()))
    reports: Write = field(default_factory=Write)
    rollout: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        figures: dict[str, Any] = {"contacts": self.contacts, "load_average": self.load_average}
        for name, write in (("enrolment", self.enrolment), ("reports", self.reports)):
            figures[name] = {
                "service": write.service.rate,
                **{f"raw_{form}": side.rate for form, side in write.raw.items()},
                "ratio": write.ratio,
            }
            if write.copy is not None:
                figures[name]["copy"] = write.copy.rate
        figures["rollout"] = self.rollout
        return figures


def contact_ids(start: int, count: int) -> list[str]:
    return [f"c-{number:07d}" for number in range(start, start + count)]


def timed(work: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    rows = work()
    return rows, time.perf_counter() - started


class RawSql:
    """The baseline: the same rows written by hand-written SQL as the service's role, one
    transaction per batch scoped to the tenant as the service scopes its own."""

    def __init__(self, dsn: str, owner_dsn: str) -> None:
        self.conn = psycopg.connect(dsn)
        self.owner = psycopg.connect(owner_dsn)

    def close(self) -> None:
        self.conn.close()
        self.owner.close()

    def _scoped(self) -> None:
        self.conn.execute("SELECT set_config('app.tenant_id', %s, true)", (TENANT,))

    def enrol(self, flow: Flow, contacts: Sequence[str], form: str) -> int:
        """The nine columns the service writes: multi-row INSERTs of 1,000 rows (``values``),
        one single-row INSERT a row through psycopg's pipelined ``executemany``, or one
        INSERT of the whole batch from arrays (``unnest``)."""
        now = datetime.now(UTC)
        rows = [
            (uuid.uuid4(), TENANT, flow.id, flow.version_id, c, flow.start, "active", now, now)
            for c in contacts
        ]
        self._scoped()
        one = "(%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        if form == "executemany":
            with self.conn.cursor() as cursor:
                cursor.executemany(f"INSERT INTO executions ({','.join(COLUMNS)}) VALUES {one}", rows)
        elif form == "unnest":
            self.conn.execute(
                f"INSERT INTO executions ({','.join(COLUMNS)}) SELECT * FROM unnest("
                "%s::uuid[], %s::varchar[], %s::uuid[], %s::uuid[], %s::varchar[], %s::varchar[],"
                " %s::varchar[], %s::timestamptz[], %s::timestamptz[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            for start in range(0, len(rows), STATEMENT_ROWS):
                chunk = rows[start : start + STATEMENT_ROWS]
                params = [value for row in chunk for value in row]
                values = ",".join([one] * len(chunk))
                self.conn.execute(f"INSERT INTO executions ({','.join(COLUMNS)}) VALUES {values}", params)
        self.conn.commit()
        return len(rows)

    def copy(self, flow: Flow, contacts: Sequence[str]) -> int:
        """COPY of the same rows as the table's owner (the service's role may not COPY into a
        table with row-level security): for scale only."""
        now = datetime.now(UTC)
        with self.owner.cursor() as cursor:
            with cursor.copy(f"COPY executions ({','.join(COLUMNS)}) FROM STDIN") as copy:
                for contact in contacts:
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            TENANT,
                            flow.id,
                            flow.version_id,
                            contact,
                            flow.start,
                            "active",
                            now,
                            now,
                        )
                    )
        self.owner.commit()
        return len(contacts)

    def report(self, ids: Sequence[uuid.UUID], form: str) -> int:
        """Every row to ``MOVED_TO``: ``UPDATE ... FROM (VALUES (id, action, status), ...)``
        of 1,000 rows (``values``), a single-row UPDATE a row, pipelined (``executemany``),
        or one UPDATE of the batch from arrays (``unnest``)."""
        self._scoped()
        moved = 0
        if form == "unnest":
            moved = self.conn.execute(
                "UPDATE executions AS e SET current_action_id = v.action, status = v.status,"
                " updated_at = now() FROM unnest(%s::uuid[], %s::varchar[], %s::varchar[])"
                " AS v(id, action, status) WHERE e.id = v.id",
                (list(ids), [MOVED_TO] * len(ids), ["waiting"] * len(ids)),
            ).rowcount
        elif form == "executemany":
            with self.conn.cursor() as cursor:
                cursor.executemany(
                    "UPDATE executions SET current_action_id = %s, status = %s, updated_at = now()"
                    " WHERE id = %s",
                    [(MOVED_TO, "waiting", id_) for id_ in ids],
                    returning=False,
                )
                moved = cursor.rowcount
        else:
            for start in range(0, len(ids), STATEMENT_ROWS):
                chunk = ids[start : start + STATEMENT_ROWS]
                values = ",".join(["(%s::uuid,%s,%s)"] * len(chunk))
                params = [value for id_ in chunk for value in (id_, MOVED_TO, "waiting")]
                cursor = self.conn.execute(
                    "UPDATE executions AS e SET current_action_id = v.action, status = v.status,"
                    f" updated_at = now() FROM (VALUES {values}) AS v(id, action, status) WHERE e.id = v.id",
                    params,
                )
                moved += cursor.rowcount
        self.conn.commit()
        return moved


class Api:
    """The service over HTTP: one keep-alive connection, bodies encoded beforehand."""

    def __init__(self, base: str) -> None:
        token = issue_token(secret=SECRET, user="alice", org=TENANT, permissions=["workflows:edit"])
        self.client = httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=120,
        )

    def close(self) -> None:
        self.client.close()

    def post(self, path: str, body: bytes) -> httpx.Response:
        return self.client.post(path, content=body)

    def enrol(self, flow: Flow, body: bytes, expected: int) -> int:
        response = self.post(f"/api/v1/workflows/{flow.id}/executions", body)
        assert response.status_code == 201, response.text
        assert response.json()["enrolled"] == expected, response.text
        return expected

    def report(self, flow: Flow, body: bytes, expected: int) -> int:
        response = self.post(f"/api/v1/workflows/{flow.id}/executions/positions", body)
        assert response.status_code == 200, response.text
        assert response.json()["updated"] == expected, response.text
        return expected


def enrol_body(contacts: Sequence[str]) -> bytes:
    return json.dumps({"contact_ids": list(contacts)}, separators=(",", ":")).encode()


def moves_body(ids: Sequence[uuid.UUID]) -> bytes:
    """10,000 moves by execution id: about 970 KB, inside the default 1 MiB body limit."""
    moves = [{"execution_id": str(i), "action_id": MOVED_TO, "status": "waiting"} for i in ids]
    return json.dumps({"moves": moves}, separators=(",", ":")).encode()


def interleaved(
    batches: int, sides: list[Callable[[int], None]], between: Callable[[int], None] | None = None
) -> None:
    """Batch by batch, every side once, the order rotating so no side always goes first;
    ``between`` after each round, off the clock."""
    for number in range(batches):
        turn = number % len(sides)
        for side in sides[turn:] + sides[:turn]:
            side(number)
        if between is not None:
            between(number)


def execution_ids(admin: psycopg.Connection[Any], flow: Flow) -> list[uuid.UUID]:
    """A workflow's executions in id order (read before the clock starts)."""
    rows = admin.execute("SELECT id FROM executions WHERE workflow_id = %s ORDER BY id", (flow.id,))
    return [row[0] for row in rows]


def count(admin: psycopg.Connection[Any], flow: Flow, where: str = "TRUE") -> int:
    found = admin.execute(
        f"SELECT count(*) FROM executions WHERE workflow_id = %s AND {where}", (flow.id,)
    ).fetchone()
    assert found is not None
    return int(found[0])


class Statistics:
    """``ANALYZE executions`` when autovacuum would have (50 rows + 10% changed), if the
    server's autovacuum is off; off the clock, between batches."""

    def __init__(self, admin: psycopg.Connection[Any]) -> None:
        setting = admin.execute("SHOW autovacuum").fetchone()
        self.admin, self.needed = admin, setting is not None and setting[0] == "off"
        self.analysed, self.changed = 0, 0

    def changed_by(self, rows: int) -> None:
        self.changed += rows
        if self.needed and self.changed > 50 + self.analysed // 10:
            self.admin.execute("ANALYZE executions")
            self.analysed, self.changed = self.analysed + self.changed, 0


def enrolment(
    summary: Summary,
    admin: psycopg.Connection[Any],
    stats: Statistics,
    raw: RawSql,
    api: Api,
    flows: dict[str, Flow],
) -> None:
    """Each side enrols the same contact ids into its own workflow, batch by batch."""
    write, batches = summary.enrolment, -(-summary.contacts // BATCH)
    ranges = [(n * BATCH, min(BATCH, summary.contacts - n * BATCH)) for n in range(batches)]
    bodies = [enrol_body(contact_ids(start, size)) for start, size in ranges]

    def by_sql(form: str) -> Callable[[int], None]:
        return lambda n: write.raw[form].add(
            *timed(lambda: raw.enrol(flows[form], contact_ids(*ranges[n]), form))
        )

    def by_copy(n: int) -> None:
        assert write.copy is not None
        write.copy.add(*timed(lambda: raw.copy(flows["copy"], contact_ids(*ranges[n]))))

    def by_api(n: int) -> None:
        write.service.add(*timed(lambda: api.enrol(flows["service"], bodies[n], ranges[n][1])))

    sides = [by_sql("values"), by_api, by_sql("executemany"), by_copy, by_sql("unnest")]
    interleaved(batches, sides, between=lambda n: stats.changed_by(len(sides) * ranges[n][1]))
    for name in (*RAW_FORMS, "copy", "service"):
        assert count(admin, flows[name]) == summary.contacts, name


def position_reports(
    summary: Summary,
    admin: psycopg.Connection[Any],
    stats: Statistics,
    raw: RawSql,
    api: Api,
    flows: dict[str, Flow],
) -> None:
    """Each side moves every execution it enrolled to ``MOVED_TO``, by execution id."""
    write, batches = summary.reports, -(-summary.contacts // BATCH)
    ids = {name: execution_ids(admin, flows[name]) for name in (*RAW_FORMS, "service")}
    chunks = {
        name: [found[n * BATCH : (n + 1) * BATCH] for n in range(batches)] for name, found in ids.items()
    }
    bodies = [moves_body(chunk) for chunk in chunks["service"]]

    def by_sql(form: str) -> Callable[[int], None]:
        return lambda n: write.raw[form].add(*timed(lambda: raw.report(chunks[form][n], form)))

    def by_api(n: int) -> None:
        size = len(chunks["service"][n])
        write.service.add(*timed(lambda: api.report(flows["service"], bodies[n], size)))

    sides = [by_sql("values"), by_api, by_sql("executemany"), by_sql("unnest")]
    interleaved(batches, sides, between=lambda n: stats.changed_by(len(sides) * len(chunks["service"][n])))
    moved = f"current_action_id = '{MOVED_TO}' AND status = 'waiting'"
    for name in (*RAW_FORMS, "service"):
        assert count(admin, flows[name], moved) == summary.contacts, name


# --- enrolment with a rollout running: the hook for rollouts (issue 20) ------------------


def rollout_comparison(
    admin: psycopg.Connection[Any],
    stats: Statistics,
    api: Api,
    flows: tuple[Flow, Flow],
    contacts: int,
    body: str,
) -> dict[str, Any]:
    """Enrolment on a workflow whose version 2 is being rolled out against enrolment on
    one with no rollout (both: v1 published, v2 a draft of the same 50 actions).

    HOOK: this starts the rollout through ``POST …/versions/2/rollout`` with ``body``
    (``--rollout-body``). While the route is not in the build (not in the OpenAPI document:
    it answers 404, as would a missing version, so the status alone cannot tell), the
    comparison is skipped with that said; once it is, fit ``DEFAULT_ROLLOUT_BODY`` to its
    request model if it differs (a refusal is reported with the problem's detail)."""
    rolling, plain = flows
    paths = api.client.get("/openapi.json").json()["paths"]
    if ROLLOUT_ROUTE not in paths:
        return {
            "skipped": f"POST {ROLLOUT_ROUTE} is not in this build's OpenAPI document (it answers 404): "
            "the comparison runs once rollouts are merged"
        }
    response = api.post(ROLLOUT_ROUTE.format(workflow_id=rolling.id, version=2), body.encode())
    if response.status_code >= 300:
        return {
            "skipped": f"the rollout was refused ({response.status_code}): {response.text[:300]}; "
            "fit --rollout-body to the route's request model"
        }
    summary = {"with": Side(), "without": Side()}
    batches = -(-contacts // BATCH)
    ranges = [(n * BATCH, min(BATCH, contacts - n * BATCH)) for n in range(batches)]
    bodies = [enrol_body(contact_ids(start, size)) for start, size in ranges]

    def with_rollout(n: int) -> None:
        summary["with"].add(*timed(lambda: api.enrol(rolling, bodies[n], ranges[n][1])))

    def without(n: int) -> None:
        summary["without"].add(*timed(lambda: api.enrol(plain, bodies[n], ranges[n][1])))

    interleaved(batches, [with_rollout, without], between=lambda n: stats.changed_by(2 * ranges[n][1]))
    assert count(admin, rolling) == count(admin, plain) == contacts
    on_target = admin.execute(
        "SELECT count(*) FROM executions e JOIN workflow_versions v ON v.id = e.version_id "
        "WHERE e.workflow_id = %s AND v.version_number = 2",
        (rolling.id,),
    ).fetchone()
    return {
        "with_rate": summary["with"].rate,
        "without_rate": summary["without"].rate,
        "ratio": summary["with"].rate / summary["without"].rate,
        "on_rolled_out_version": int(on_target[0]) if on_target else 0,
    }


# --- the stack -----------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flows(settings: Settings, rollout: bool) -> dict[str, Flow]:
    """One published nurture-50 workflow per side (and, for the rollout comparison, two
    with v2 a draft), through the use cases as the other benchmarks seed."""
    container = build_container(settings)
    made: dict[str, Flow] = {}
    document = example("nurture-50")
    draft = json.loads(json.dumps(document))
    draft["actions"][7]["name"] = "Edited"
    start = document["trigger"]["next"]
    try:
        for name in (*RAW_FORMS, "copy", "service"):
            workflow_id, v1 = published_history(container, 1, documents=[document], name=f"bench {name}")
            made[name] = Flow(workflow_id, v1, start)
        if rollout:
            for name in ("rolling", "plain"):
                workflow_id, v1, _ = published_history(
                    container, 1, drafts=1, documents=[document, draft], name=f"bench {name}"
                )
                made[name] = Flow(workflow_id, v1, start)
    finally:
        container.close()
    return made


def _wait_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"wfv serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("wfv serve did not answer /healthz within 30 s")


def run(args: argparse.Namespace) -> Summary:
    """A database of its own, the workflows, one ``wfv serve``; both comparisons."""
    db = create_database(args.admin_url, "enrol")
    # The OpenAPI document says whether rollouts are in the build.
    env = db.env(WFV_DOCS_ENABLED="true")
    server: subprocess.Popen[bytes] | None = None
    summary = Summary(contacts=args.contacts)
    try:
        flows = _flows(db.settings(), args.rollout)
        port = _free_port()
        logs = open(db.data / "serve.log", "wb")
        server = subprocess.Popen(
            [WFV, "serve", "--port", str(port), "--no-embedded-worker"], env=env, stdout=logs, stderr=logs
        )
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server)
        with psycopg.connect(db.admin_dsn, autocommit=True) as admin:
            raw, api = RawSql(db.app_dsn, db.admin_dsn), Api(base)
            try:
                stats = Statistics(admin)
                enrolment(summary, admin, stats, raw, api, flows)
                position_reports(summary, admin, stats, raw, api, flows)
                if args.rollout:
                    pair = (flows["rolling"], flows["plain"])
                    summary.rollout = rollout_comparison(
                        admin, stats, api, pair, min(args.contacts, args.rollout_contacts), args.rollout_body
                    )
            finally:
                raw.close()
                api.close()
        summary.load_average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        db.drop()
    return summary


def render(summary: Summary) -> str:
    """The table: each raw form's rate, the service's, and its ratio to the faster raw form."""
    lines = [
        f"{summary.contacts:,} contacts in batches of {BATCH:,}, PostgreSQL, "
        f"load average {summary.load_average} (other work on the machine moves every figure)",
        f"{'rows/s':<18}{'raw VALUES':>12}{'raw many':>10}{'raw unnest':>12}{'service':>10}{'ratio':>7}"
        "   target",
    ]
    for label, write in (("enrolment", summary.enrolment), ("position reports", summary.reports)):
        values, many, unnest = (write.raw[form].rate for form in RAW_FORMS)
        lines.append(
            f"{label:<18}{values:>12,.0f}{many:>10,.0f}{unnest:>12,.0f}{write.service.rate:>10,.0f}"
            f"{write.ratio:>7.2f}   >= {RATIO_TARGET} of the fastest raw form"
        )
    if summary.enrolment.copy is not None:
        copy = summary.enrolment.copy.rate
        lines.append(
            f"{'enrolment by COPY':<18}{copy:>12,.0f}{'':>32}{summary.enrolment.service.rate / copy:>7.2f}"
            "   for scale only (the service cannot COPY)"
        )
    rollout = summary.rollout
    if "skipped" in rollout:
        lines.append(f"rollout comparison skipped: {rollout['skipped']}")
    elif rollout:
        lines.append(
            f"{'enrol, rollout':<18}{'(without)':>12}{rollout['without_rate']:>22,.0f}"
            f"{rollout['with_rate']:>10,.0f}"
            f"{rollout['ratio']:>7.2f}   >= {ROLLOUT_RATIO_TARGET} of without "
            f"({rollout['on_rolled_out_version']:,} on the rolled-out version)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Summary:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts enrolled by each side")
    parser.add_argument(
        "--rollout", action="store_true", help="also enrolment with a rollout running vs without"
    )
    parser.add_argument("--rollout-contacts", type=int, default=200_000, help="contacts per side for it")
    parser.add_argument("--rollout-body", default=DEFAULT_ROLLOUT_BODY, help="the rollout request's JSON")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    summary = run(args)
    print(render(summary))
    if args.json is not None:
        args.json.write_text(json.dumps(summary.as_json(), indent=2))
    return summary


if __name__ == "__main__":
    main()
