"""A 1,000-version workflow (built through the use cases, not HTTP) cloned with the real
``git`` from a real server, loose as libgit2 leaves it and again once upkeep packed it."""

import json
import uuid
from pathlib import Path

import pytest

from repo_store.upkeep import count_loose, count_packs
from service.git.upkeep import upkeep_all
from tests.e2e.conftest import GitServer
from tests.e2e.gitclient import GitClient
from tests.factories import published_history

pytestmark = pytest.mark.e2e
VERSIONS = 1000


def _check_clone(git: GitClient, repo: Path) -> None:
    assert git.out(repo, "rev-list", "--count", "main").strip() == str(VERSIONS)
    assert len(git.out(repo, "tag").split()) == VERSIONS
    drafts = git.out(repo, "branch", "-r", "--list", "origin/drafts/*").split()
    assert len(drafts) == VERSIONS
    assert (
        json.loads(git.out(repo, "show", f"v{VERSIONS}:workflow.json"))["actions"][0]["name"]
        == f"Welcome mail v{VERSIONS}"
    )
    diff = git.out(repo, "diff", "v999", "v1000").splitlines()
    assert [line for line in diff if line.startswith(("+ ", "- "))] == [
        '-      "name": "Welcome mail v999",',
        '+      "name": "Welcome mail v1000",',
    ]


def test_clone_of_a_1000_version_workflow_loose_then_packed(
    sqlite_git_server: GitServer, tmp_path: Path
) -> None:
    server = sqlite_git_server
    wid = str(published_history(server.container, VERSIONS)[0])
    git = GitClient(tmp_path / "home")
    token = server.token("workflows:read")
    repo_path = server.container.store.path_for("acme", uuid.UUID(wid))
    assert count_packs(repo_path) == 0

    traced = git.run(
        "clone", "--quiet", server.url(wid), str(tmp_path / "loose"), token=token,
        env={"GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"},
    )  # fmt: skip
    assert "Content-Encoding: gzip" in traced.stderr  # 2,000 wants: git gzips the request body
    _check_clone(git, tmp_path / "loose")

    summary = upkeep_all(server.container)
    assert summary.repacked == 1
    assert (count_loose(repo_path), count_packs(repo_path)) == (0, 1)
    packed = git.clone(server.url(wid), tmp_path / "packed", token)
    _check_clone(git, packed)
    assert git.out(packed, "rev-parse", "origin/main") == git.out(
        tmp_path / "loose", "rev-parse", "origin/main"
    )
