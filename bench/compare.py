"""Compare benchmark: two 60-action versions, cache cold, next to one whole-document
``DeepDiff(a, b)`` of the same two documents in the same run.

    python -m bench.compare [--database-url URL --migration-url URL]

Targets: the compare use case (cache cold, live-impact query included) p50 under 5 ms,
and at least 10x faster than the whole-document DeepDiff.
"""

import argparse
import copy
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from indexer.migrate import upgrade
from schemas.compare import compare_documents
from schemas.workflow import WorkflowDefinition
from service import compare, versions, workflows
from service.compare_cache import InProcessComparisonCache
from service.container import build_container
from service.settings import Settings
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


def timed(function: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--migration-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    old, new = sixty_actions(example("nurture-50-a")), sixty_actions(example("nurture-50-b"))
    new["actions"][-3]["config"]["subject"] = "changed"
    assert len(old["actions"]) == 60
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=args.database_url,
            migration_database_url=args.migration_url,
            jwt_secret="c" * 40,
            _env_file=None,
        )
        container = build_container(settings)
        upgrade(container.migration_engine())
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

        def use_case() -> None:
            container.compare_cache = InProcessComparisonCache()  # cold every time
            with container.uow(ALICE.tenant_id) as uow:
                compare.compare_versions(
                    uow=uow, principal=ALICE, workflow_id=workflow.id, from_ref=1, to_ref=2
                )

        def warm() -> None:
            with container.uow(ALICE.tenant_id) as uow:
                compare.compare_versions(
                    uow=uow, principal=ALICE, workflow_id=workflow.id, from_ref=1, to_ref=2
                )

        baseline = timed(lambda: DeepDiff(old, new), max(20, args.runs // 10))
        pure = timed(lambda: compare_documents(old, new), args.runs)
        cold = timed(use_case, args.runs)
        warm()
        cached = timed(warm, args.runs)
        container.close()
    base = statistics.median(baseline)
    print(f"database                     {settings.resolved_database_url.split(':')[0]}")
    print(f"whole-document DeepDiff      p50 {base * 1000:7.2f} ms   (baseline)")
    print(_line("compare_documents (pure)", pure, base))
    print(_line("compare use case, cache cold", cold, base) + "  (targets: < 5 ms, >= 10x)")
    print(_line("compare use case, cache warm", cached, base))


def _line(label: str, samples: list[float], baseline: float) -> str:
    p50 = statistics.median(samples)
    return f"{label:<28} p50 {p50 * 1000:7.2f} ms   {baseline / p50:6.1f}x faster than DeepDiff"


if __name__ == "__main__":
    main()
