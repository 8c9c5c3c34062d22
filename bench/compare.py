"""Compare benchmark: two 60-action versions with breaking changes and ``--contacts``
contacts in flight on the ``from`` version, next to one whole-document ``DeepDiff(a, b)``
of the same two documents, and the cache warm next to the cache cold, in the same run.

    python -m bench.compare [--database-url URL --migration-url URL] [--redis-url URL]

Targets: the compare use case with the cache cold (live-impact query included) p50 under
5 ms and at least 10x faster than the whole-document DeepDiff; with the cache warm (same
pair, no execution changed) at least 5x faster than cold. ``--redis-url`` keeps the
live counts in Redis, as production does (cold: a new cache and its Redis keys deleted).
"""

import argparse
import copy
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from deepdiff import DeepDiff
from sqlalchemy import select

from bench.database import in_process
from indexer.executions import insert_executions
from indexer.models import WorkflowVersion
from schemas.compare import compare_documents
from schemas.workflow import WorkflowDefinition
from service.compare import comparison as compare
from service.compare.cache import build_compare_cache
from service.container import Container
from service.versions import editing as versions
from service.versions import workflows
from tests.factories import example, principal

ALICE = principal()


def sixty_actions(base: dict[str, Any]) -> dict[str, Any]:
    """A 50-action example grown to 60 actions (ten more steps chained at the end)."""
    doc = copy.deepcopy(base)
    last = doc["actions"][-1]
    extra = [
        {
            "id": f"extra-{i:02d}",
            "type": "send_email",
            "name": f"Extra {i}",
            "config": {"template": f"extra-{i}", "subject": "x" * 40},
            "next": f"extra-{i + 1:02d}" if i < 9 else None,
        }
        for i in range(10)
    ]
    last["next"] = "extra-00"
    doc["actions"].extend(extra)
    return doc


def timed(
    function: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None
) -> list[float]:
    """Samples of ``function``; ``before`` runs ahead of each, untimed."""
    samples = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--migration-url", default=None)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--contacts", type=int, default=2000, help="in flight on the from version")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    old, new = sixty_actions(example("nurture-50-a")), sixty_actions(example("nurture-50-b"))
    new["actions"][-3]["config"]["subject"] = "changed"
    assert len(old["actions"]) == 60
    with tempfile.TemporaryDirectory() as tmp:
        container = in_process(
            Path(tmp),
            database_url=args.database_url,
            migration_url=args.migration_url,
            redis_url=args.redis_url,
        )
        settings = container.settings
        with container.uow(ALICE.tenant_id, write=True) as uow:
            workflow, _ = workflows.create_workflow(
                uow=uow, principal=ALICE, name="bench", definition=WorkflowDefinition.model_validate(old)
            )
            versions.create_version(
                uow=uow,
                principal=ALICE,
                workflow_id=workflow.id,
                definition=WorkflowDefinition.model_validate(new),
            )
            uow.commit()
        place(container, workflow.id, old, args.contacts)

        def compare_pair() -> None:
            with container.uow(ALICE.tenant_id) as uow:
                answer = compare.compare_versions(
                    uow=uow, principal=ALICE, workflow_id=workflow.id, from_ref=1, to_ref=2
                )
            assert answer.breaking
            assert answer.live_counts_as_of is not None

        def empty_cache() -> None:
            if args.redis_url:
                client = redis.Redis.from_url(args.redis_url)
                keys = list(client.scan_iter("wfv:compare:*"))
                if keys:
                    client.delete(*keys)
            container.compare_cache = build_compare_cache(args.redis_url, settings.compare_live_ttl_seconds)

        baseline = timed(lambda: DeepDiff(old, new), max(20, args.runs // 10))
        pure = timed(lambda: compare_documents(old, new), args.runs)
        # Cold and warm alternate (each warm compare right after the cold one that filled
        # the cache), so a noisy neighbour slows both alike and the ratio stays fair.
        cold: list[float] = []
        cached: list[float] = []
        for _ in range(args.runs):
            cold += timed(compare_pair, 1, before=empty_cache)
            cached += timed(compare_pair, 1)
        container.close()
    base = statistics.median(baseline)
    cache = "Redis" if args.redis_url else "in process"
    print(f"database                     {settings.resolved_database_url.split(':')[0]}, cache {cache}")
    print(f"contacts in flight on from   {args.contacts}")
    print(f"whole-document DeepDiff      p50 {base * 1000:7.2f} ms   (baseline)")
    print(_line("compare_documents (pure)", pure, base))
    print(_line("compare use case, cache cold", cold, base) + "  (targets: < 5 ms, >= 10x)")
    print(_line("compare use case, cache warm", cached, base))
    ratio = statistics.median(cold) / statistics.median(cached)
    print(f"warm vs cold, same pair      {ratio:6.1f}x faster   (target: >= 5x)")


def place(container: Container, workflow_id: uuid.UUID, document: dict[str, Any], contacts: int) -> None:
    """``contacts`` waiting on version 1, spread over its actions."""
    actions = [a["id"] for a in document["actions"]]
    now = datetime.now(UTC)
    with container.uow(ALICE.tenant_id, write=True) as uow:
        (version_id,) = uow.session.execute(
            select(WorkflowVersion.id).where(
                WorkflowVersion.workflow_id == workflow_id, WorkflowVersion.version_number == 1
            )
        ).one()
        rows = [
            {
                "id": uuid.uuid4(),
                "tenant_id": ALICE.tenant_id,
                "workflow_id": workflow_id,
                "version_id": version_id,
                "contact_id": f"contact-{n}",
                "current_action_id": actions[n % len(actions)],
                "status": "waiting",
                "enrolled_at": now,
                "updated_at": now,
            }
            for n in range(contacts)
        ]
        insert_executions(uow.session, rows)
        uow.commit()


def _line(label: str, samples: list[float], baseline: float) -> str:
    p50 = statistics.median(samples)
    return f"{label:<28} p50 {p50 * 1000:7.2f} ms   {baseline / p50:6.1f}x faster than DeepDiff"


if __name__ == "__main__":
    main()
