"""Blame benchmark: one action of a workflow with 1,000 published versions, through blame's
cache of ``main``, next to the plain walk (every document of ``main`` parsed) in the same run.

    python -m bench.blame [--versions 1000] [--actions 50] [--database-url URL --migration-url URL]

The history is built in-process through the use cases (SQLite by default: seconds).
Version N renames step N mod ``--actions``, so the blamed step changes every
``--actions`` versions. Cold samples are new processes (a new container, connections and
repository handle; interpreter start-up and imports not counted); warm ones repeat in one.
Target: p50 under 50 ms, cold or warm.
"""

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from indexer.revisions import upgrade
from service.compare.blame import action_history
from service.compare.blame_walk import walk_history
from service.container import Container, build_container
from service.settings import Settings
from tests.factories import example, principal, published_history

ALICE = principal()
BLAMED = 3  # the step whose history is asked for


def documents(versions: int, actions: int) -> list[dict[str, Any]]:
    """nurture-50 grown (or cut) to ``actions`` steps; version N renames step N mod actions."""
    base = copy.deepcopy(example("nurture-50"))
    steps = base["actions"]
    while len(steps) < actions:  # more steps chained at the end, as bench.compare grows it
        extra = {
            "id": f"more-{len(steps):04d}",
            "type": "send_email",
            "name": f"More {len(steps)}",
            "config": {"template": f"more-{len(steps)}", "subject": "x" * 40},
            "next": None,
        }
        steps[-1]["next"] = extra["id"]
        steps.append(extra)
    docs = []
    for index in range(versions):
        doc = copy.deepcopy(base)
        doc["actions"][index % actions]["name"] = f"Step edited {index}"
        docs.append(doc)
    return docs


def settings_for(data_dir: Path, database_url: str | None, migration_url: str | None) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        migration_database_url=migration_url,
        jwt_secret="c" * 40,
        _env_file=None,
    )


def blame_once(container: Container, workflow_id: uuid.UUID, action_id: str) -> float:
    started = time.perf_counter()
    with container.uow(ALICE.tenant_id) as uow:
        action_history(uow=uow, principal=ALICE, workflow_id=workflow_id, action_id=action_id)
    return time.perf_counter() - started


def walk_once(container: Container, workflow_id: uuid.UUID, action_id: str) -> float:
    started = time.perf_counter()
    with container.uow(ALICE.tenant_id) as uow:
        walk_history(uow.repo(workflow_id), action_id)
    return time.perf_counter() - started


def cold_sample(argv: list[str]) -> None:
    """One blame in this (new) process: ``--cold-sample CONFIG_JSON``."""
    config = json.loads(argv[0])
    container = build_container(
        settings_for(Path(config["data_dir"]), config["database_url"], config["migration_url"])
    )
    elapsed = blame_once(container, uuid.UUID(config["workflow_id"]), config["action_id"])
    container.close()
    print(elapsed)


def cold(config: dict[str, Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-m", "bench.blame", "--cold-sample", json.dumps(config)],
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(label: str, samples: list[float], baseline: float) -> str:
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    return (
        f"{label:<34} p50 {p50 * 1000:8.2f} ms  p99 {p99 * 1000:8.2f} ms  "
        f"{baseline / p50:7.1f}x faster than the walk  (n={len(samples)})"
    )


def main() -> None:
    if sys.argv[1:2] == ["--cold-sample"]:
        cold_sample(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--actions", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--migration-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--walk-runs", type=int, default=10)
    parser.add_argument("--cold-runs", type=int, default=20)
    args = parser.parse_args()
    docs = documents(args.versions, args.actions)
    action_id = docs[0]["actions"][BLAMED]["id"]
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(Path(tmp), args.database_url, args.migration_url)
        container = build_container(settings)
        upgrade(container.migration_engine())
        started = time.perf_counter()
        workflow_id = published_history(container, args.versions, documents=docs)[0]
        built = time.perf_counter() - started
        walk = [walk_once(container, workflow_id, action_id) for _ in range(args.walk_runs)]
        fill = blame_once(container, workflow_id, action_id)  # the cache is empty: reads all of main
        warm = [blame_once(container, workflow_id, action_id) for _ in range(args.runs)]
        config = {
            "data_dir": tmp,
            "database_url": args.database_url,
            "migration_url": args.migration_url,
            "workflow_id": str(workflow_id),
            "action_id": action_id,
        }
        container.close()
        cold_samples = cold(config, args.cold_runs)
    base = statistics.median(walk)
    size = len(json.dumps(docs[0]))
    print(f"database                           {settings.resolved_database_url.split(':')[0]}")
    print(f"history                            {args.versions} published versions of {args.actions} actions")
    print(f"document                           {size / 1024:.1f} KB (built in {built:.1f} s)")
    worst = percentile(walk, 0.99)
    print(f"plain walk (baseline)              p50 {base * 1000:8.2f} ms  p99 {worst * 1000:8.2f} ms")
    print(f"first blame, cache empty           {fill * 1000:8.2f} ms (once per commit, ever)")
    print(line("blame, cold (new process)", cold_samples, base) + "  (target p50 < 50 ms)")
    print(line("blame, warm", warm, base) + "  (target p50 < 50 ms)")


if __name__ == "__main__":
    main()
