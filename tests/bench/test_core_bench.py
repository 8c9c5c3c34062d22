"""The core benchmark (``bench/core.py``) run small so it cannot rot: its real ``main`` on
SQLite, two runs of 300 versions each against raw pygit2, every figure present and
consistent, and the runs' files gone once the last run ends (they are kept until then:
deleting them slowed the next run's file work)."""

from pathlib import Path

from bench import core


def test_a_small_core_benchmark_measures_both_sides(tmp_path: Path) -> None:
    runs = core.main(["--versions", "300", "--runs", "2", "--tmp", str(tmp_path)])
    assert len(runs) == 2
    for run in runs:
        assert run.database == "sqlite"
        assert run.raw_rate > 0
        assert run.rate > 0
        assert run.ratio == run.rate / run.raw_rate
        assert len(run.publishes) == 200
        assert all(seconds > 0 for seconds in run.publishes)
        assert len(run.gets) == len(run.http_gets) == 1000
    assert list(tmp_path.iterdir()) == []
