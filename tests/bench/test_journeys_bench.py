"""The journeys benchmark (``bench/journeys.py``) run tiny so it cannot rot: its real
``main`` on PostgreSQL with real ``wfv serve`` processes (journey on and off) and a real
``wfv worker``, every part measured and checked by the benchmark itself (journey rows
written by one side only, as-of answers with no error, impact buckets summing to the
total, every reverted contact back on v1), then its database dropped."""

import json
import os
from pathlib import Path

import psycopg
import pytest

from bench import journeys, wrk
from tests.conftest import PG_ADMIN_URL, REQUIRE_SERVICES
from tests.redis_support import own_redis

pytestmark = pytest.mark.postgres


def test_a_tiny_journeys_benchmark_measures_every_part(postgres_url: str, tmp_path: Path) -> None:
    # ``postgres_url``: the server is there (else skipped, or failed under WFV_REQUIRE_SERVICES).
    if not wrk.available():  # ``make test`` installs it (scripts/debian-tool) where it may
        if REQUIRE_SERVICES:
            pytest.fail("wrk is required (WFV_REQUIRE_SERVICES=1) but not installed: apt-get install wrk")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    out = tmp_path / "journeys.json"
    argv = ["--admin-url", PG_ADMIN_URL, "--reports", "20000", "--history", "50000", "--impact", "3000"]
    with own_redis(tmp_path) as queue:
        journeys.main([*argv, "--redis-url", queue.url, "--as-of-seconds", "3", "--json", str(out)])
    figures = json.loads(out.read_text())
    assert figures["reports"]["with"] > 0
    assert figures["reports"]["without"] > 0
    assert figures["enrolment"]["ratio"] > 0
    assert figures["as_of"]["history_rows"] == 50_000
    assert figures["as_of"]["requests"] > 0
    assert figures["as_of"]["errors"] == 0, figures["as_of"]
    assert figures["impact"]["contacts"] == 3000
    assert sum(figures["impact"]["counts"].values()) == 3000
    assert figures["revert"]["executions"] == 3000
    assert figures["revert"]["ratio"] > 0
    with psycopg.connect(PG_ADMIN_URL) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (f"wfv_bench_journeys_{os.getpid()}",)
        ).fetchone()
    assert left == (0,)
