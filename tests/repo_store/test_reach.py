"""What the refs a fetch sees reach, on a real bare repository built with ``git``."""

import subprocess
from pathlib import Path

import pytest

from repo_store.reach import is_hidden, unreached

HIDDEN = ("refs/wfv/",)


class Bare:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.git("init", "--quiet", "--bare", "--initial-branch=main", str(path))

    def git(self, *args: str, stdin: str | None = None) -> str:
        env = {"PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}
        env |= {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a"}
        env |= {"GIT_COMMITTER_EMAIL": "a@x"}
        done = subprocess.run(
            ["git", "--git-dir", str(self.path), *args], input=stdin, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def blob(self, text: str) -> str:
        return self.git("hash-object", "-w", "--stdin", stdin=text)

    def commit(self, text: str, *parents: str) -> tuple[str, str, str]:
        """(commit, tree, blob) of a one-file commit."""
        blob = self.blob(text)
        tree = self.git("mktree", stdin=f"100644 blob {blob}\tworkflow.json\n")
        flags = [flag for parent in parents for flag in ("-p", parent)]
        return self.git("commit-tree", tree, *flags, "-m", text), tree, blob


@pytest.fixture
def bare(tmp_path: Path) -> Bare:
    return Bare(tmp_path / "repo.git")


def test_ref_values_old_commits_old_trees_and_old_blobs_are_reached(bare: Bare) -> None:
    first, first_tree, first_blob = bare.commit("v1\n")
    second, _, _ = bare.commit("v2\n", first)
    bare.git("update-ref", "refs/heads/main", second)
    bare.git("tag", "-a", "-m", "v1", "v1", first)
    tag = bare.git("rev-parse", "refs/tags/v1")
    asked = [second, tag, first, first_tree, first_blob]
    assert unreached(bare.path, asked, hidden=HIDDEN) == []


def test_what_only_a_hidden_ref_reaches_and_loose_objects_are_not(bare: Bare) -> None:
    main, _, _ = bare.commit("v1\n")
    bare.git("update-ref", "refs/heads/main", main)
    internal, internal_tree, internal_blob = bare.commit("internal\n", main)
    bare.git("update-ref", "refs/wfv/head", internal)
    alone = bare.blob("nobody's\n")
    unknown = "0123456789" * 4
    asked = [main, alone, internal, internal_tree, internal_blob, unknown]
    assert unreached(bare.path, asked, hidden=HIDDEN) == [
        alone,
        internal,
        internal_tree,
        internal_blob,
        unknown,
    ]
    assert unreached(bare.path, asked, hidden=()) == [alone, unknown]  # the hidden ref is what kept them out


def test_blobs_in_nested_trees_and_tagged_trees_are_reached(bare: Bare) -> None:
    """Notes keep their blobs in fan-out subtrees; a tag may name a tree."""
    _, inner_tree, inner_blob = bare.commit("note\n")
    outer = bare.git("mktree", stdin=f"040000 tree {inner_tree}\tab\n")
    notes = bare.git("commit-tree", outer, "-m", "notes")
    bare.git("update-ref", "refs/notes/reviews", notes)
    tagged_blob = bare.blob("tagged\n")
    tagged_tree = bare.git("mktree", stdin=f"100644 blob {tagged_blob}\tf\n")
    bare.git("tag", "-a", "-m", "a tree", "snapshot", tagged_tree)
    asked = [notes, outer, inner_tree, inner_blob, tagged_tree, tagged_blob]
    assert unreached(bare.path, asked, hidden=HIDDEN) == []


def test_a_moved_ref_is_seen_at_once(bare: Bare) -> None:
    """The reachable set is kept per ref state: a ref that moves makes a new one."""
    first, _, first_blob = bare.commit("v1\n")
    bare.git("update-ref", "refs/heads/main", first)
    later, _, later_blob = bare.commit("v2\n", first)
    assert unreached(bare.path, [first_blob, later_blob], hidden=HIDDEN) == [later_blob]
    bare.git("update-ref", "refs/heads/main", later)
    assert unreached(bare.path, [first_blob, later_blob], hidden=HIDDEN) == []
    bare.git("update-ref", "refs/heads/main", first)  # (a draft ref deleted, say)
    assert unreached(bare.path, [first_blob, later_blob], hidden=HIDDEN) == [later_blob]


def test_an_empty_repository_reaches_nothing(bare: Bare) -> None:
    alone = bare.blob("x\n")
    assert unreached(bare.path, [alone, alone], hidden=HIDDEN) == [alone]


@pytest.mark.parametrize(
    ("name", "hidden"),
    [("refs/wfv", True), ("refs/wfv/head", True), ("refs/wfvx/head", False), ("refs/heads/wfv", False)],
)
def test_hidden_matches_as_git_hide_refs_does(name: str, hidden: bool) -> None:
    assert is_hidden(name, HIDDEN) is hidden
