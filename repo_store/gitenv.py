"""The environment of every ``git`` child process: our configuration, never the host's.

A user's or the system's git config (hooks, ``uploadpack.*``, a credential helper) must not
change what the service serves, so both are blanked and the settings we rely on are given
through ``GIT_CONFIG_COUNT``/``KEY``/``VALUE`` (command-line scope, which ``safe.directory``
honours: a repository volume owned by another user would otherwise be "dubious").
"""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

_PASSED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def git_env(
    repo: Path,
    config: Sequence[tuple[str, str]] = (),
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A clean environment for git working on ``repo``, with ``config`` applied."""
    env = {name: os.environ[name] for name in _PASSED if name in os.environ}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    settings = [("safe.directory", str(repo)), *config]
    env["GIT_CONFIG_COUNT"] = str(len(settings))
    for index, (key, value) in enumerate(settings):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env | dict(extra or {})
