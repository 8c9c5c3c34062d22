"""libgit2 in the service's process reads none of the host's git configuration: a user's
``~/.gitconfig`` must not change what the service writes, any more than it changes what its
``git`` children serve (``repo_store.gitenv``)."""

import os
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from repo_store import Identity, PygitRepoStore, RefUpdate, RepoNotFound

# A host configuration that would change our repositories if libgit2 read it: a reflog file
# beside every ref a write moves, and a template copied into every new repository.
HOST_CONFIG = """\
[core]
    logAllRefUpdates = always
[init]
    templateDir = {template}
"""

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from uuid import UUID

    from repo_store import Identity, PygitRepoStore, RefUpdate

    store = PygitRepoStore(Path(sys.argv[1]))
    repo = store.create("acme", UUID(sys.argv[2]), {})
    who = Identity("u1", "Alice", "alice@example.test")
    commit, _ = repo.write_commit(
        document=b"{}\\n", parents=[], message="m", trailers={}, author=who, when=datetime.now(UTC)
    )
    repo.update_refs([RefUpdate("refs/heads/drafts/v1", None, commit)], reflog="create v1")
    print(repo.path)
    """
)


def test_a_host_git_configuration_changes_nothing_the_service_writes(tmp_path: Path) -> None:
    home, template = tmp_path / "home", tmp_path / "template"
    (template / "hooks").mkdir(parents=True)
    (template / "hooks" / "post-update").write_text("#!/bin/sh\necho planted\n")
    home.mkdir()
    (home / ".gitconfig").write_text(HOST_CONFIG.format(template=template))
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "config").write_text(HOST_CONFIG.format(template=template))
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    root = Path(__file__).resolve().parents[2]
    written = subprocess.run(
        [sys.executable, "-c", WRITER, str(tmp_path / "repos"), str(uuid.uuid4())],
        env=env | {"PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    repo = Path(written.stdout.strip())
    assert (repo / "refs" / "heads" / "drafts" / "v1").is_file()
    assert not (repo / "logs").exists()  # no reflog: the host's core.logAllRefUpdates was not read
    assert not (repo / "hooks" / "post-update").exists()  # nor its init.templateDir


def test_importing_repo_store_blanks_libgit2s_host_search_paths() -> None:
    for level in (ConfigLevel.SYSTEM, ConfigLevel.XDG, ConfigLevel.GLOBAL):
        assert pygit2.settings.search_path[level] == ""


def test_a_folder_inside_a_repository_is_not_opened_as_that_repository(tmp_path: Path) -> None:
    """Repositories are opened at their exact path: libgit2's search upwards would take a
    path inside one (a tenant's folder nested by mistake, ``objects/``) for its parent."""
    store = PygitRepoStore(tmp_path)
    repo = store.create("acme", uuid.uuid4(), {})
    commit, _ = repo.write_commit(
        document=b"{}\n",
        parents=[],
        message="m",
        trailers={},
        author=Identity("u1", "Alice", "alice@example.test"),
        when=datetime.now(UTC),
    )
    repo.update_refs([RefUpdate("refs/heads/main", None, commit)], reflog="x")
    assert store.open_path(repo.path).ref_target("refs/heads/main") == commit
    with pytest.raises(RepoNotFound):
        store.open_path(repo.path / "objects")
