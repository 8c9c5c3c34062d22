"""The data folder is the service's alone: 0700, its secrets 0600.

It holds the generated token secret and draft keys, the embedded SQLite database and
queue, and every repository; readable by other users of the machine, any of them could
mint tokens or read every tenant's workflows. Created private, and tightened at start
when an older version (or a hand-made ``mkdir``) left it open.
"""

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
SECRET_MODE = 0o600
SECRETS = ("jwt-secret", "draft-keys")


def prepare_data_dir(path: Path) -> Path:
    """Create ``path`` 0700 if missing; make it 0700 and its secrets 0600 if we own them."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)
    for name in SECRETS:
        with contextlib.suppress(FileNotFoundError):
            _tighten(path / name, SECRET_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    """A folder someone else owns (a mount point) is left as it is: chmod would fail."""
    info = path.stat()
    if stat.S_IMODE(info.st_mode) != mode and info.st_uid == os.geteuid():
        path.chmod(mode)
