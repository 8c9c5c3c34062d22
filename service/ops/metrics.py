"""Prometheus metrics: what they are, and one registry that exposes them.

Several uvicorn worker processes share one ``/metrics``: with ``PROMETHEUS_MULTIPROC_DIR``
set (``wfv serve --processes N`` sets it before the workers start), every process writes
its samples to files there and a scrape adds them up, whichever process answers it. The
queue depth is read at scrape time, bounded, so a hung Redis cannot hang a scrape.
"""

import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from service.ops.metrics_dir import MULTIPROC_ENV

log = logging.getLogger("wfv.metrics")

HTTP_DURATION = Histogram(
    "wfv_http_request_duration_seconds",
    "Time to answer a request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
VERSIONS_PUBLISHED = Counter(
    "wfv_versions_published", "Versions made current (publish and rollback), counted after commit."
)
MIGRATION_MOVED = Counter(
    "wfv_migration_executions_moved", "Executions moved to a migration's target version, after commit."
)
MIGRATION_BATCH_DURATION = Histogram(
    "wfv_migration_batch_duration_seconds",
    "Time of one migration batch (one transaction).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
DRAFT_SAVES = Counter(
    "wfv_draft_saves", "Draft auto-saves, by where they were kept and how they ended.", ["store", "outcome"]
)
BUDGET_REFUSALS = Counter(
    "wfv_tenant_budget_refusals",
    "Requests refused with 429 because their tenant was over a budget, by budget.",
    ["budget"],
)
BUDGET_UNCHECKED = Counter(
    "wfv_tenant_budget_unchecked",
    "Requests served without a budget check because Redis did not answer (fail open).",
)


def migration_batch(moved: int, seconds: float) -> None:
    """One committed migration batch that moved ``moved`` executions."""
    MIGRATION_MOVED.inc(moved)
    MIGRATION_BATCH_DURATION.observe(seconds)


class _Forward(Collector):
    """This process's own metrics (the single-process mode), inside another registry."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


class QueueDepthCollector(Collector):
    """``wfv_queue_pending`` read from the queue at scrape time, and ``wfv_queue_up``."""

    def __init__(self, pending: Callable[[], int], timeout: float) -> None:
        self.pending = pending
        self.timeout = timeout
        # One thread: a queue that hangs holds it, and later scrapes time out behind it
        # instead of piling up threads.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wfv-queue-depth")

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("wfv_queue_up", "1 when the task queue answered this scrape.")
        try:
            value = self._reader.submit(self.pending).result(timeout=self.timeout)
        except FutureTimeout:
            log.warning("queue depth: the queue did not answer within %ss", self.timeout)
            value = None
        except Exception as exc:
            log.warning("queue depth: the queue failed: %s", type(exc).__name__)
            value = None
        if value is not None:
            yield GaugeMetricFamily("wfv_queue_pending", "Tasks waiting in the queue.", value=value)
        up.add_metric([], 0 if value is None else 1)
        yield up


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def scrape_registry(pending: Callable[[], int], timeout: float = 1.0) -> CollectorRegistry:
    """What a scrape returns: every process's samples (multiprocess mode) or this one's,
    plus the queue depth."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward())
    registry.register(QueueDepthCollector(pending, timeout))
    return registry
