"""The engine benchmark (``bench/engine.py``) run tiny so it cannot rot: its real ``main``
on PostgreSQL with a real ``wfv serve`` and a real ``wfv worker`` (on a Redis of the
test's own), every part measured and checked by the benchmark itself (each report's
applied and stale counts, the whole feed read through HTTP and by SQL, every migrated
change received by the long-polling reader), then its database dropped. The figures are
checked for presence and sense, not against their targets (a loaded machine misses them)."""

import json
import os
from pathlib import Path

import psycopg
import pytest

from bench import engine
from tests.conftest import PG_ADMIN_URL
from tests.redis_support import own_redis

pytestmark = pytest.mark.postgres


def test_a_tiny_engine_benchmark_measures_every_part(postgres_url: str, tmp_path: Path) -> None:
    # ``postgres_url``: the server is there (else skipped, or failed under WFV_REQUIRE_SERVICES).
    out = tmp_path / "engine.json"
    argv = ["--admin-url", PG_ADMIN_URL, "--reports", "20000", "--feed", "5000", "--lag-contacts", "3000"]
    with own_redis(tmp_path) as queue:
        engine.main([*argv, "--redis-url", queue.url, "--json", str(out)])
    figures = json.loads(out.read_text())
    reports = figures["reports"]
    assert min(reports["with"], reports["without"], reports["ratio"]) > 0, reports
    assert reports["stale"] == 200  # one move in 100, refused alone
    assert (reports["applied_with"], reports["applied_without"]) == (19_800, 20_000)
    feed = figures["feed"]
    assert feed["changes"] == 5000  # every pass read them all (checked by the benchmark)
    assert min(feed["feed"], feed["raw"], feed["ratio"]) > 0, feed
    lag = figures["lag"]
    assert lag["batches"] == 3 == len(lag["lags_ms"])  # 3,000 executions in batches of 1,000
    assert lag["p50_ms"] <= lag["p95_ms"] <= lag["p99_ms"] <= lag["max_ms"] < 60_000, lag
    assert lag["min_ms"] > -50, lag  # a change is never received before its commit (±5 ms)
    for part in ("reports", "feed", "lag"):
        assert figures[part]["load_average"], part
    with psycopg.connect(PG_ADMIN_URL) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (f"wfv_bench_engine_{os.getpid()}",)
        ).fetchone()
    assert left == (0,)
