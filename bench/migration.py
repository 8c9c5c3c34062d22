"""Migration benchmark on PostgreSQL with a real consumer (``wfv worker`` on Redis) and a
real API process: executions/s end to end (request -> ``completed``, queue hop included)
for 10,000 and 1,000,000 executions on 50 positions, next to a raw batched SQL migration
of the same mapping on the same rows in the same run (1,000 rows per
``UPDATE ... FROM (VALUES ...)`` with a commit per batch), and the 1,000,000-row dry run.

    python -m bench.migration [--sizes 10000 1000000] [--admin-url postgresql://postgres@127.0.0.1/test]

Targets: >= 0.4 of the raw rate; 10k end to end < 1 s; 1M < 60 s; dry run of 1M < 3 s.
"""

import argparse
import copy
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

from bench.database import SECRET, create_database
from service.auth import issue_token
from service.container import build_container
from tests.factories import example, published_pair

REDIS_URL = "redis://127.0.0.1:6379/13"
WFV = str(Path(sys.executable).with_name("wfv"))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workflow(container: Any) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """v1 = nurture-50, v2 = the same 50 positions with an edit; returns (workflow, v1, v2)."""
    v1_doc = example("nurture-50")
    v2_doc = copy.deepcopy(v1_doc)
    v2_doc["actions"][7]["name"] = "Edited"
    return published_pair(container, v1_doc, v2_doc)


def _seed(admin: str, workflow_id: uuid.UUID, version_id: uuid.UUID, count: int) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DELETE FROM workflow_version_migration_items")
        conn.execute("DELETE FROM workflow_version_migrations")
        conn.execute("DELETE FROM executions")
        conn.execute(
            """INSERT INTO executions (id, tenant_id, workflow_id, version_id, contact_id, current_action_id,
                                       status, enrolled_at, updated_at)
               SELECT gen_random_uuid(), 'acme', %s, %s, 'c-' || i,
                      'step-' || lpad((i %% 50)::text, 3, '0'), 'waiting', now(), now()
               FROM generate_series(1, %s) AS i""",
            (workflow_id, version_id, count),
        )
        conn.execute("VACUUM ANALYZE executions")


def raw_baseline(
    admin: str, workflow_id: uuid.UUID, source: uuid.UUID, target: uuid.UUID
) -> tuple[int, float]:
    """1,000 rows per UPDATE ... FROM (VALUES (id, new_action)), a commit per batch."""
    moved, started = 0, time.perf_counter()
    with psycopg.connect(admin) as conn:
        last = uuid.UUID(int=0)
        while True:
            rows = conn.execute(
                "SELECT id, current_action_id FROM executions WHERE workflow_id = %s AND version_id = %s "
                "AND id > %s ORDER BY id LIMIT 1000",
                (workflow_id, source, last),
            ).fetchall()
            if not rows:
                break
            values = ",".join(f"('{r[0]}'::uuid, '{r[1]}')" for r in rows)
            conn.execute(
                "UPDATE executions AS e SET version_id = %s, current_action_id = v.to_action,"
                f" updated_at = now() FROM (VALUES {values}) AS v(id, to_action) WHERE e.id = v.id",
                (target,),
            )
            conn.commit()
            moved += len(rows)
            last = rows[-1][0]
    elapsed = time.perf_counter() - started
    with psycopg.connect(admin, autocommit=True) as conn:  # put the rows back for the service run
        conn.execute(
            "UPDATE executions SET version_id = %s, last_migration_id = NULL WHERE workflow_id = %s",
            (source, workflow_id),
        )
        conn.execute("VACUUM ANALYZE executions")
    return moved, elapsed


def service_run(
    base: str, admin: str, workflow_id: uuid.UUID, body: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    response = httpx.post(
        f"{base}/api/v1/workflows/{workflow_id}/versions/2/migrate",
        json={"from_versions": [1], **body},
        headers=headers,
        timeout=120,
    )
    assert response.status_code in (200, 202), response.text
    if body.get("dry_run"):
        return time.perf_counter() - started, response.json()
    with psycopg.connect(admin, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT status, migrated, total FROM workflow_version_migrations WHERE id = %s",
                (response.json()["id"],),
            ).fetchone()
            assert row is not None
            status, migrated, total = row
            if status in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.005)
    elapsed = time.perf_counter() - started
    assert status == "completed", status
    assert migrated == total, (migrated, total)
    return elapsed, {"migrated": migrated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    args = parser.parse_args()
    db = create_database(args.admin_url, "migration")
    admin = db.admin_dsn
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = db.env(WFV_QUEUE="redis", WFV_REDIS_URL=REDIS_URL)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        container = build_container(db.settings())
        workflow_id, v1, v2 = _workflow(container)
        container.close()
        port = _free_port()
        logs = open(db.data / "bench.log", "wb")
        processes.append(
            subprocess.Popen(
                [WFV, "serve", "--port", str(port), "--no-embedded-worker"], env=env, stdout=logs, stderr=logs
            )
        )
        processes.append(
            subprocess.Popen(
                [WFV, "worker", "--workers", "2", "--no-periodic"], env=env, stdout=logs, stderr=logs
            )
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        header = ("executions", "raw rows/s", "service rows/s", "ratio", "end to end", "dry run")
        print("{:>10} {:>11} {:>15} {:>6} {:>11} {:>8}".format(*header))
        for size in args.sizes:
            _seed(admin, workflow_id, v1, size)
            moved, raw_elapsed = raw_baseline(admin, workflow_id, v1, v2)
            dry_elapsed, plan = service_run(base, admin, workflow_id, {"dry_run": True})
            assert plan["total"] == size
            elapsed, _ = service_run(base, admin, workflow_id, {"batch_size": 10_000})
            raw_rate, rate = moved / raw_elapsed, size / elapsed
            ratio = rate / raw_rate
            figures = f"{raw_rate:>11.0f} {rate:>15.0f} {ratio:>6.2f} {elapsed:>10.2f}s {dry_elapsed:>7.2f}s"
            print(f"{size:>10} {figures}")
        print("targets: ratio >= 0.4; 10k end to end < 1 s; 1M < 60 s; dry run of 1M < 3 s")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        db.drop()


if __name__ == "__main__":
    main()
