"""The enrolment benchmark (``bench/enrolment.py``) run tiny so it cannot rot: its real
``main`` on PostgreSQL with a real ``wfv serve``, two batches of 10,000 (the sides take
turns in both orders, and 10,000 position reports by execution id fit the default body
limit), every side's rows checked by the benchmark itself, then its database dropped.
PostgreSQL only: the benchmark measures the service against raw SQL on PostgreSQL."""

import json
import os
from pathlib import Path

import psycopg
import pytest

from bench import enrolment
from tests.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.postgres


def test_a_tiny_enrolment_benchmark_measures_every_side(postgres_url: str, tmp_path: Path) -> None:
    # ``postgres_url``: the server is there (else skipped, or failed under WFV_REQUIRE_SERVICES).
    out = tmp_path / "enrolment.json"
    argv = ["--admin-url", PG_ADMIN_URL, "--contacts", "20000", "--rollout", "--rollout-contacts", "10000"]
    summary = enrolment.main([*argv, "--json", str(out)])
    figures = json.loads(out.read_text())
    assert figures["contacts"] == 20_000
    for write in ("enrolment", "reports"):
        rates = [figures[write][f"raw_{form}"] for form in enrolment.RAW_FORMS] + [figures[write]["service"]]
        assert all(rate > 0 for rate in rates), figures[write]
        assert figures[write]["ratio"] == pytest.approx(figures[write]["service"] / max(rates[:-1]))
    assert figures["enrolment"]["copy"] > 0
    assert summary.enrolment.service.rows == summary.reports.service.rows == 20_000
    assert all(side.rows == 20_000 for side in summary.enrolment.raw.values())
    rollout = figures["rollout"]
    assert "skipped" not in rollout, rollout  # rollouts are in the build
    assert rollout["ratio"] > 0
    assert rollout["on_rolled_out_version"] > 0  # some of the new contacts took the new version
    with psycopg.connect(PG_ADMIN_URL) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (f"wfv_bench_enrol_{os.getpid()}",)
        ).fetchone()
    assert left == (0,)
