"""The core benchmark (``bench/core.py``) run small so it cannot rot: its real ``main`` on
SQLite, two runs of 300 versions each against raw pygit2 and the design's floor, every
figure present and consistent, reads over HTTP from a real ``wfv serve`` driven by wrk,
and the runs' files gone once the last run ends (they are kept until then: deleting them
slowed the next run's file work)."""

from pathlib import Path

import pytest

from bench import core, wrk
from tests.conftest import REQUIRE_SERVICES


def test_a_small_core_benchmark_measures_both_sides(tmp_path: Path) -> None:
    if not wrk.available():  # ``make test`` installs it (scripts/debian-tool) where it may
        if REQUIRE_SERVICES:
            pytest.fail("wrk is required (WFV_REQUIRE_SERVICES=1) but not installed: apt-get install wrk")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    argv = ["--versions", "300", "--runs", "2", "--http-seconds", "2", "--tmp", str(tmp_path)]
    runs = core.main(argv)
    assert len(runs) == 2
    for run in runs:
        assert run.database == "sqlite"
        assert run.raw_rate > 0
        assert run.rate > 0
        assert run.ratio == run.rate / run.raw_rate
        assert run.writes == 300
        assert run.raw.cpu > 0
        assert run.service.cpu > 0
        assert run.cpu_ratio == run.raw.cpu / run.service.cpu
        # The design's floor (bench/floor.py), interleaved with both sides on SQLite.
        assert run.floor is not None
        assert run.floor.wall > 0
        assert run.floor.cpu > 0
        assert run.floor_ratio == run.raw.wall / run.floor.wall
        assert run.of_floor == run.floor.wall / run.service.wall
        assert len(run.publishes) == 200
        assert all(seconds > 0 for seconds in run.publishes)
        assert len(run.gets) == 1000
        assert run.http.requests > 0
        assert run.http.errors == 0
        assert 0 < run.http.p50_ms <= run.http.p99_ms
    assert list(tmp_path.iterdir()) == []
