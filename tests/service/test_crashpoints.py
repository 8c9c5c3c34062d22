"""The crash point itself: nothing when unarmed, a SIGKILL (no cleanup, no exit code of its
own) when armed. The write path's use of it is proven with real servers in
tests/faults/test_crash_points.py."""

import signal
import subprocess
import sys
from pathlib import Path

from service.container import build_container
from service.crashpoints import crash_at
from service.settings import Settings

_CRASH = (
    "import sys; from service.crashpoints import crash_at; "
    "crash_at(frozenset(sys.argv[1:]), 'committed'); print('alive')"
)


def _run(*armed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CRASH, *armed], capture_output=True, text=True, timeout=60, check=False
    )


def test_an_armed_point_kills_the_process_with_sigkill() -> None:
    done = _run("committed")
    assert done.returncode == -signal.SIGKILL
    assert "alive" not in done.stdout


def test_an_unarmed_or_other_point_does_nothing() -> None:
    assert (_run().returncode, _run().stdout) == (0, "alive\n")
    assert _run("refs-moved").stdout == "alive\n"
    crash_at(frozenset(), "refs-moved")  # in this very process: still here afterwards


def test_the_container_arms_what_the_settings_name(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, test_crash_points=["committed"])
    container = build_container(settings)
    try:
        assert container.crash_points == {"committed"}
    finally:
        container.close()
