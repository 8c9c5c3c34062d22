"""Every folder handed to a git child process is absolute, or the call is refused."""

import os
from pathlib import Path

import pytest

from repo_store.gitenv import git_env


def test_absolute_folders_are_passed_through(tmp_path: Path) -> None:
    env = git_env(tmp_path, extra={"GIT_DIR": str(tmp_path), "GIT_ALTERNATE_OBJECT_DIRECTORIES": "/a:/b"})
    assert env["GIT_DIR"] == str(tmp_path)
    assert env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] == "/a:/b"
    assert env["GIT_CONFIG_VALUE_0"] == str(tmp_path)  # safe.directory


def test_a_relative_repository_is_refused() -> None:
    with pytest.raises(ValueError, match="absolute path"):
        git_env(Path("var/repos/acme/x.git"))


@pytest.mark.parametrize(
    "name", ["GIT_DIR", "GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH", "GIT_PROJECT_ROOT"]
)
def test_a_relative_folder_variable_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=name):
        git_env(tmp_path, extra={name: "var/repos"})


def test_one_relative_alternate_among_absolute_ones_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GIT_ALTERNATE_OBJECT_DIRECTORIES"):
        git_env(tmp_path, extra={"GIT_ALTERNATE_OBJECT_DIRECTORIES": f"{tmp_path}{os.pathsep}objects"})
