"""Archival benchmark on PostgreSQL: one run over 10,000 workflows x 30 published versions
(300,000 rows) in one tenant, through the real use case as the service role (row-level
security on), after a set-based seed as the owner. Each workflow gets an empty bare
repository: the run records what it archives on ``refs/wfv/state``, one state commit per
workflow touched. Prints versions/s examined and archived, the whole run's time, the git
side's share of it, the report's share of it (its lines built and inserted by each batch,
printed as a ratio of the run), the report's streaming (time, size, peak memory), and the
EXPLAIN of the candidate query for one batch.

    python -m bench.archival [--workflows 10000] [--versions 30] [--admin-url postgresql://postgres@127.0.0.1/test]

Seed per workflow: v30 current; contacts waiting on v20, finished 10 days ago on v15 and
200 days ago on v5; every version published more than 90 days ago. With the default
policy (keep 10, 90 days) a run archives 18 versions per workflow (v1..v19 but v15).

Target: the whole run under 60 s; the candidate query on indexes (no Seq Scan); writing
the report a small share of the run (under 0.25); streaming it in bounded memory.
"""

import argparse
import time
import tracemalloc
import uuid

import psycopg
import pygit2

from bench.database import create_database
from indexer import archival as sql
from indexer import archival_report as report_rows
from indexer.models import ArchivalRun
from schemas.state import STATE_REF
from service.archival import report as archival_report
from service.archival import runs as archival
from service.archival.runs import run_archival
from service.container import Container, build_container

TENANT = "acme"


def seed(admin: str, workflows: int, versions: int) -> None:
    """Rows only, set-based, as the owner (a superuser: row-level security does not apply)."""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO workflows (id, tenant_id, name, last_version_number, required_approvals,
                                      created_by, created_at, updated_at)
               SELECT gen_random_uuid(), %s, 'bench ' || i, %s, 0, 'bench', now() - interval '500 days', now()
               FROM generate_series(1, %s) AS i""",
            (TENANT, versions, workflows),
        )
        conn.execute(
            """INSERT INTO workflow_versions (id, tenant_id, workflow_id, version_number, status, is_current,
                   lock_version, commit_sha, tree_sha, created_by, created_at, published_by, published_at,
                   definition)
               SELECT gen_random_uuid(), w.tenant_id, w.id, n, 'active', n = %s, 2, repeat('0', 40),
                      repeat('0', 40), 'bench', now() - interval '400 days' + n * interval '1 day', 'bench',
                      now() - interval '400 days' + n * interval '1 day', '{}'::jsonb
               FROM workflows w CROSS JOIN generate_series(1, %s) AS n""",
            (versions, versions),
        )
        conn.execute(
            """UPDATE workflows w SET current_version_id = v.id FROM workflow_versions v
               WHERE v.workflow_id = w.id AND v.is_current"""
        )
        for number, status, age in ((20, "waiting", 1), (15, "completed", 10), (5, "completed", 200)):
            conn.execute(
                """INSERT INTO executions (id, tenant_id, workflow_id, version_id, contact_id,
                                           current_action_id, status, enrolled_at, updated_at)
                   SELECT gen_random_uuid(), v.tenant_id, v.workflow_id, v.id, 'c-' || v.id, 'welcome', %s,
                          now() - %s * interval '1 day', now() - %s * interval '1 day'
                   FROM workflow_versions v WHERE v.version_number = %s""",
                (status, age, age, number),
            )
        conn.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workflows", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=30)
    args = parser.parse_args()
    db = create_database(args.admin_url, "archival")
    admin = db.admin_dsn
    try:
        started = time.perf_counter()
        seed(admin, args.workflows, args.versions)
        seeded = time.perf_counter() - started
        print(f"seeded {args.workflows} workflows x {args.versions} versions in {seeded:.1f}s")
        settings = db.settings()
        container = build_container(settings)
        started = time.perf_counter()
        ids = make_repos(container, admin)
        print(f"created {len(ids)} empty repositories in {time.perf_counter() - started:.1f}s")
        explain(container)
        git_time = timed(archival, "record_states")
        check_time = timed(archival, "_writable")
        report_time = timed(archival_report, "batch_lines")
        insert_time = timed(report_rows, "add_entries")
        started = time.perf_counter()
        run = run_archival(container, TENANT, trigger="bench", actor="bench")
        elapsed = time.perf_counter() - started
        commits = sum(container.store.read_ref(TENANT, i, STATE_REF) is not None for i in ids)
        container.close()
        print(
            f"git: {commits} state commits, {git_time[0]:.2f}s of the run writing them, "
            f"{check_time[0]:.2f}s checking the batches' refs"
        )
        print(f"run: {run.status}, {run.batches} batches of {settings.archival_batch_workflows} workflows")
        print(f"examined {run.examined} versions ({run.examined / elapsed:,.0f}/s)")
        print(f"archived {run.archived} versions ({run.archived / elapsed:,.0f}/s); skipped {run.skipped}")
        print(f"total {elapsed:.2f}s (target < 60 s)")
        writing = report_time[0] + insert_time[0]
        print(
            f"report: {writing:.2f}s of the run building ({report_time[0]:.2f}s) and inserting "
            f"({insert_time[0]:.2f}s) its lines; ratio to the run {writing / elapsed:.3f} (target < 0.25)"
        )
        stream(build_container(settings), run)
        expected = args.workflows * max(0, args.versions - settings.keep_versions - 2)
        assert run.archived == expected, f"archived {run.archived}, expected {expected}"
    finally:
        db.drop()


def stream(container: Container, run: ArchivalRun) -> None:
    """The whole report as JSON, as the route streams it, with its peak traced memory."""
    document = archival.public(run).model_dump(mode="json")
    tracemalloc.start()
    started = time.perf_counter()
    size = chunks = 0
    for chunk in archival_report.stream_json(container, run, document):
        size, chunks = size + len(chunk), chunks + 1
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    container.close()
    print(
        f"report streamed: {size / 1e6:.1f} MB in {chunks} chunks, {elapsed:.2f}s, "
        f"peak traced memory {peak / 1e6:.1f} MB ({peak / size:.3f} of the body)"
    )


def make_repos(container: Container, admin: str) -> list[uuid.UUID]:
    """An empty bare repository per seeded workflow, where the service looks for it."""
    with psycopg.connect(admin) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM workflows ORDER BY id")]
    for workflow_id in ids:
        path = container.store.path_for(TENANT, workflow_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        pygit2.init_repository(str(path), bare=True, initial_head="main")
    return ids


def timed(module: object, name: str) -> list[float]:
    """Wrap ``module.name`` to add its wall time up (the list's one item)."""
    spent = [0.0]
    original = getattr(module, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(module, name, wrapper)
    return spent


def explain(container: Container) -> None:
    """EXPLAIN ANALYZE of the candidate query for the first batch, as the service role."""
    with container.uow(TENANT) as uow:
        batch = sql.workflow_batch(
            uow.session,
            TENANT,
            after=None,
            limit=container.settings.archival_batch_workflows,
            only=None,
            lock=False,
        )
        query = sql.candidate_query(TENANT, batch)
        compiled = query.compile(
            dialect=uow.session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = uow.session.connection().exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}")
        lines = [row[0] for row in plan]
    print("EXPLAIN of the candidate query (one batch):")
    for line in lines:
        print(f"  {line[:150]}{' ...' if len(line) > 150 else ''}")  # the batch's 500 ids elided
    assert not any("Seq Scan" in line for line in lines), "the candidate query scans a table"


if __name__ == "__main__":
    main()
