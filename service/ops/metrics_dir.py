"""The folder several API processes keep their metrics in (prometheus_client's
multiprocess mode), prepared by ``wfv serve --processes N`` before the processes start.

Only this module may run before prometheus_client is imported: the library chooses
between in-memory and file-backed samples when it is first imported, from
``PROMETHEUS_MULTIPROC_DIR``.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class MetricsDir:
    path: Path
    owned: bool

    def cleanup(self) -> None:
        """Remove a folder this server made (a folder given to it is only emptied at start)."""
        if self.owned:
            shutil.rmtree(self.path, ignore_errors=True)


def prepare_metrics_dir() -> MetricsDir:
    """``PROMETHEUS_MULTIPROC_DIR`` emptied of a previous run's samples (a restarted server
    must not add up the dead processes' counters twice), or a fresh temporary folder.

    A server of its own each: two servers sharing one folder would empty each other's.
    """
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        return MetricsDir(path, owned=False)
    path = Path(tempfile.mkdtemp(prefix="wfv-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    return MetricsDir(path, owned=True)
