"""The collector settings server processes apply (service/ops/gc_tuning.py)."""

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.ops.gc_tuning import tune_collector
from service.settings import Settings


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_thresholds_come_from_the_settings_and_start_up_is_frozen(
    restored_collector: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WFV_GC_THRESHOLDS", "[20000, 30, 40]")
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert tune_collector(settings) == (20000, 30, 40)
    assert gc.get_threshold() == (20000, 30, 40)
    assert gc.get_freeze_count() > 0


def test_thresholds_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFV_GC_THRESHOLDS", "[0, 10, 10]")
    with pytest.raises(ValueError, match="gc_thresholds"):
        Settings(data_dir=tmp_path, _env_file=None)
