"""The standing chaos run (issue 25): the production-shaped stack on a private PostgreSQL
and a private append-only Redis, two API processes and a worker, ``--clients`` threads
racing on shared workflows for ``--seconds``, every fault of the issue injected one after
the other, then an audit of every acknowledged write.

    python -m bench.chaos                           # about two and a half minutes
    python -m bench.chaos --seconds 15 --faults api_killed,redis_killed --json out.json

Prints requests by outcome (op x status), every 5xx (and where it fell among the faults),
the recovery time of each fault, and "lost writes: N, duplicated writes: M" (target 0 and
0). Exits 1 when a write was lost or duplicated, a 5xx other than a 503 with Retry-After
was answered, a 4xx other than a lost race (409, 412), a migration took more than 5 s to
move again, or any audit check failed.
"""

import argparse
import json
import logging
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.chaos_audit import Findings, audit
from bench.chaos_faults import Fault, Faults, Progress
from bench.chaos_load import RACING, Answer, Load, Written
from bench.chaos_stack import ORG, ChaosStack, open_chaos_stack
from indexer.models import VersionMigration
from schemas.migrations import TERMINAL
from tests.faults.stack import enqueue_reconcile

MIGRATION_BACK_WITHIN = 5.0
ALL_FAULTS = (
    "api_killed",
    "worker_killed",
    "postgres_fast_restart",
    "postgres_stopped",
    "redis_killed",
    "crash_point",
)
log = logging.getLogger("wfv.chaos")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=90, help="how long the load runs")
    parser.add_argument("--clients", type=int, default=12, help="client threads")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--faults", default=",".join(ALL_FAULTS), help="which, in this order")
    parser.add_argument(
        "--contacts", type=int, default=20_000, help="executions each fault's migration moves"
    )
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    wanted = [f.strip() for f in args.faults.split(",") if f.strip()]
    unknown = set(wanted) - set(ALL_FAULTS)
    if unknown:
        parser.error(f"unknown faults {sorted(unknown)}; known: {', '.join(ALL_FAULTS)}")
    summary = run(args.seconds, args.clients, args.seed, wanted, args.contacts)
    print(render(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    return 0 if summary["passed"] else 1


def run(seconds: float, clients: int, seed: int, wanted: list[str], contacts: int) -> dict[str, Any]:
    began = time.monotonic()
    stack = open_chaos_stack()
    try:
        movers = stack.movers(sum(1 for f in wanted if f not in ("api_killed", "crash_point")), contacts)
        stack.start_processes()
        progress = Progress(stack)
        progress.start()
        load = Load(stack.stack, stack.ports, clients, seed)
        load.seed_pool(max(3, clients // 3))
        faults = Faults(stack, load.ledger, load.pool, progress, list(movers), seed)
        started = time.monotonic()
        load.start()
        faults.run(seconds, started, wanted)
        rest = started + seconds - time.monotonic()
        if rest > 0:
            time.sleep(rest)
        load.stop()
        stopped = time.monotonic()
        healing = settle(stack)
        findings = audit(stack, load.ledger, stack.stack.base, {str(m) for m in movers})
        progress.stop()
        return summarise(
            load.ledger.answers, load.ledger.writes(), faults.done, findings, healing, started
        ) | {
            "seconds": round(stopped - started, 1),
            "clients": clients,
            "seed": seed,
            "total_seconds": round(time.monotonic() - began, 1),
        }
    except Exception:
        log.exception("the chaos run broke; process logs follow\n%s", stack.logs())
        raise
    finally:
        stack.close()
        log.info("process logs and data kept in %s", stack.workdir)


def settle(stack: ChaosStack) -> dict[str, Any]:
    """Let the stack heal as it would in service: migrations end, every workflow is read
    once (a read heals git ahead of the index), the reconcile task runs once."""
    deadline = time.monotonic() + 180
    open_migrations: list[str] = []
    while time.monotonic() < deadline:
        with stack.stack.container.uow(ORG) as uow:
            open_migrations = [
                str(m.id) for m in uow.session.scalars(select(VersionMigration)) if m.status not in TERMINAL
            ]
        if not open_migrations:
            break
        time.sleep(0.5)
    with stack.stack.client(user="auditor") as client:
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
            page = client.get("/workflows", params=params).raise_for_status().json()
            for workflow in page["items"]:
                client.get(f"/workflows/{workflow['id']}/versions").raise_for_status()
            cursor = page.get("next_cursor")
            if not cursor:
                break
    reconciled = enqueue_reconcile(stack.stack)
    return {"migrations_still_open": open_migrations, "reconcile": reconciled}


def _label(status: int | None) -> str:
    return "no answer" if status is None else str(status)


def _where(at: float, faults: list[Fault], started: float) -> tuple[str, str, float]:
    """An answer's time among the faults: (during|after|before, which fault, seconds)."""
    for fault in faults:
        if fault.started <= at <= fault.ended:
            return "during", fault.name, round(at - fault.started, 2)
    before = [f for f in faults if f.ended < at]
    if before:
        return "after", before[-1].name, round(at - before[-1].ended, 2)
    return "before", "any fault", round(at - started, 2)


def _recovery(fault: Fault, written: list[Written]) -> dict[str, float]:
    """Seconds from the fault's end to the first acknowledgement of each kind of write."""
    first: dict[str, float] = {}
    for w in sorted(written, key=lambda w: w.at):
        if w.at < fault.ended or (fault.port is not None and w.port != fault.port):
            continue
        first.setdefault(w.op, round(w.at - fault.ended, 2))
    return first


def summarise(
    answers: list[Answer],
    written: list[Written],
    faults: list[Fault],
    findings: Findings,
    healing: dict[str, Any],
    started: float,
) -> dict[str, Any]:
    by_op: dict[str, Counter[str]] = defaultdict(Counter)
    for a in answers:
        by_op[a.op][_label(a.status)] += 1
    server_errors = [
        {
            "op": a.op,
            "status": a.status,
            "problem": a.problem,
            "retry_after": a.retry_after,
            "port": a.port,
            "when": _where(a.at, faults, started),  # during|after|before, fault, seconds
        }
        for a in answers
        if a.status is not None and a.status >= 500
    ]
    unexpected = Counter(
        (a.op, a.status, a.problem)
        for a in answers
        if a.status is not None and 400 <= a.status < 500 and a.status not in RACING
    )
    recoveries = []
    for fault in faults:
        recoveries.append(asdict(fault) | {"writes_back_after": _recovery(fault, written)})
    problems: list[str] = []
    for e in server_errors:
        if e["status"] != 503:
            problems.append(f"{e['status']} answered to {e['op']} ({e['problem']})")
        elif not e["retry_after"]:
            problems.append(f"503 without Retry-After answered to {e['op']}")
    problems += [
        f"{n} x {status} {problem} answered to {op}" for (op, status, problem), n in unexpected.items()
    ]
    for fault in faults:
        if fault.migration is not None and fault.migration_back is None and not fault.note:
            problems.append(f"after '{fault.name}' the running migration never moved again")
        elif fault.migration_back is not None and fault.migration_back > MIGRATION_BACK_WITHIN:
            problems.append(
                f"after '{fault.name}' the migration moved again only after {fault.migration_back:.1f} s"
            )
        if fault.name.startswith("crash point") and (fault.note or fault.healed is None):
            problems.append(f"'{fault.name}': {fault.note or 'the cut write was never healed by a read'}")
    if healing["migrations_still_open"]:
        problems.append(f"migrations never ended: {healing['migrations_still_open']}")
    problems += findings.failed
    return {
        "requests": len(answers),
        "acknowledged": len(written),
        "outcomes": {op: dict(sorted(c.items())) for op, c in sorted(by_op.items())},
        "raced": sum(1 for a in answers if a.status in RACING),
        "server_errors": server_errors,
        "faults": recoveries,
        "healing": healing,
        "checked": dict(findings.checked),
        "lost_writes": findings.lost,
        "duplicated_writes": findings.duplicated,
        "problems": problems,
        "passed": not (problems or findings.lost or findings.duplicated),
    }


def render(summary: dict[str, Any]) -> str:
    lines = [
        f"chaos run: {summary['seconds']} s of load, {summary['clients']} clients, seed {summary['seed']} "
        f"({summary['total_seconds']} s in all)",
        f"requests: {summary['requests']}, acknowledged writes: {summary['acknowledged']}, "
        f"lost races (409/412): {summary['raced']}",
        "",
        "requests by outcome (op: status x count)",
    ]
    for op, counts in summary["outcomes"].items():
        lines.append(f"  {op:<18} " + ", ".join(f"{status} x {n}" for status, n in counts.items()))
    lines += [
        "",
        f"5xx answers: {len(summary['server_errors'])} (each below: how many, where among the faults)",
    ]
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for e in summary["server_errors"]:
        relation, fault, seconds = e["when"]
        retry = "Retry-After" if e["retry_after"] else "NO Retry-After"
        groups[(e["status"], e["problem"], e["op"], retry, relation, fault)].append(seconds)
    for (status, problem, op, retry, relation, fault), times in groups.items():
        span = f"{min(times):.1f}-{max(times):.1f} s" if len(times) > 1 else f"{times[0]:.1f} s"
        place = {"during": f"during '{fault}', at +{span}", "after": f"{span} after '{fault}' ended"}.get(
            relation, f"{span} into the run, before any fault"
        )
        lines.append(f"  {len(times)} x {status} {problem} to {op} ({retry}), {place}")
    lines += ["", "faults and recovery (seconds from the fault's end)"]
    for f in summary["faults"]:
        lines.append(f"  {f['name']}: lasted {f['ended'] - f['started']:.1f} s")
        if f["migration"] is not None:
            back = f["migration_back"]
            lines.append(f"    migration moved again after: {'-' if back is None else f'{back:.2f} s'}")
        if f["healed"] is not None:
            lines.append(f"    the cut write healed by a read after: {f['healed']:.2f} s")
        if f["note"]:
            lines.append(f"    note: {f['note']}")
        writes = f["writes_back_after"]
        lines.append(
            "    first write back: " + ", ".join(f"{op} {s:.2f} s" for op, s in sorted(writes.items()))
        )
    lines += [
        "",
        "audited: " + ", ".join(f"{what} {n}" for what, n in summary["checked"].items()),
        f"healing: reconcile {summary['healing']['reconcile']}",
    ]
    for what in ("lost_writes", "duplicated_writes", "problems"):
        for item in summary[what][:50]:
            lines.append(f"  {what.replace('_', ' ')}: {item}")
    lines += [
        "",
        f"lost writes: {len(summary['lost_writes'])}, duplicated writes: {len(summary['duplicated_writes'])}",
        "PASSED" if summary["passed"] else "FAILED",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
