"""Our git configuration, never the host's: the environment of every ``git`` child
process, and libgit2's own (in this process).

A user's or the system's git config (hooks, ``uploadpack.*``, a credential helper) must not
change what the service serves, so both are blanked and the settings we rely on are given
through ``GIT_CONFIG_COUNT``/``KEY``/``VALUE`` (command-line scope, which ``safe.directory``
honours: a repository volume owned by another user would otherwise be "dubious").

Every path handed over is absolute: git resolves a relative ``GIT_DIR`` against its own
working directory, which is not ours when a caller runs it inside the repository, and a
push then fails with nothing but "unpacker error".
"""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pygit2
from pygit2.enums import ConfigLevel, RepositoryOpenFlag

_PASSED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
# Variables git reads as folders (several, ``os.pathsep``-separated, for the alternates).
_PATH_VARIABLES = (
    "GIT_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH",
    "GIT_PROJECT_ROOT",
)


def git_env(
    repo: Path,
    config: Sequence[tuple[str, str]] = (),
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A clean environment for git working on ``repo``, with ``config`` applied.

    Raises:
        ValueError: ``repo`` or a folder in ``extra`` is relative (a bug of the caller).
    """
    given = dict(extra or {})
    _require_absolute("the repository", str(repo))
    for name in _PATH_VARIABLES:
        if name in given:
            for part in given[name].split(os.pathsep):
                _require_absolute(name, part)
    env = {name: os.environ[name] for name in _PASSED if name in os.environ}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    settings = [("safe.directory", str(repo)), *config]
    env["GIT_CONFIG_COUNT"] = str(len(settings))
    for index, (key, value) in enumerate(settings):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env | given


# How every repository is opened in this process: at its exact path, as a bare repository,
# with no search upwards for one (the path is always a repository folder of ours).
OPEN_FLAGS = RepositoryOpenFlag.NO_SEARCH | RepositoryOpenFlag.BARE


def hermetic_libgit2() -> None:
    """libgit2 in this process reads no host configuration either: no system, global or
    XDG file, as ``GIT_CONFIG_NOSYSTEM`` and ``GIT_CONFIG_GLOBAL`` do for the children.
    Process-wide and idempotent (``repo_store`` calls it on import). It also spares every
    write the re-reading of those files: libgit2 checks each file a repository's
    configuration is made of whenever a setting is read (a dozen times per version)."""
    for level in (ConfigLevel.SYSTEM, ConfigLevel.XDG, ConfigLevel.GLOBAL, ConfigLevel.PROGRAMDATA):
        pygit2.settings.search_path[level] = ""


def _require_absolute(what: str, path: str) -> None:
    if not os.path.isabs(path):
        raise ValueError(f"{what} must be an absolute path for git, not {path!r}")
