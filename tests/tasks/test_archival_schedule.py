"""The archival schedule as the consumer's scheduler sees it (``Huey.read_periodic`` at a
chosen minute), and the cron setting's validation."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from service.settings import Settings
from tasks import runtime
from tasks.archival import archive_versions_periodically
from tasks.queue import huey


def _due(moment: datetime) -> bool:
    return any(
        isinstance(task, archive_versions_periodically.task_class) for task in huey.read_periodic(moment)
    )


def test_archival_is_due_daily_at_three_utc() -> None:
    assert _due(datetime(2026, 11, 27, 3, 0))
    assert _due(datetime(2027, 2, 28, 3, 0))
    assert not _due(datetime(2026, 11, 27, 3, 1))
    assert not _due(datetime(2026, 11, 27, 2, 59))
    assert not _due(datetime(2026, 11, 27, 15, 0))


def test_the_cron_comes_from_the_running_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read at each tick from the process's settings (what ``wfv serve``/``wfv worker``
    configured), not frozen when the task module was imported."""
    settings = Settings(archival_cron="30 1 * * 0", _env_file=None)
    monkeypatch.setattr(runtime, "settings", lambda: settings)
    assert _due(datetime(2026, 11, 29, 1, 30))  # a Sunday
    assert not _due(datetime(2026, 11, 30, 1, 30))
    assert not _due(datetime(2026, 11, 29, 3, 0))


@pytest.mark.parametrize("cron", ["0 3 * *", "99 3 * * *", "0 3 * * * *", "every day"])
def test_a_bad_cron_is_refused_at_start(cron: str) -> None:
    with pytest.raises(ValidationError, match="archival_cron"):
        Settings(archival_cron=cron, _env_file=None)
