"""A push's objects: received into a quarantine, examined, and only then kept.

``git index-pack`` (git's own pack parser, with ``--strict`` fsck and link checks) writes
the pack into ``objects/tmp_wfv_push_*``, a directory the repository does not see until
:meth:`Incoming.keep` moves it in, exactly as ``git receive-pack`` quarantines. A refused
push therefore leaves nothing behind; an accepted one keeps its objects before any ref
points at them.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pygit2
from pygit2.enums import SortMode

from repo_store.errors import RepoError
from repo_store.gitenv import git_env
from repo_store.store import DOCUMENT_NAME

QUARANTINE_PREFIX = "tmp_wfv_push_"
_INDEX_TIMEOUT = 300
_REGULAR = {pygit2.GIT_FILEMODE_BLOB, pygit2.GIT_FILEMODE_BLOB_EXECUTABLE}


class PackRejected(RepoError):
    """The pushed pack is unusable (corrupt, incomplete, or fails git's fsck)."""

    status_code = 400


class TreeRejected(ValueError):
    """A pushed commit's tree is not one ``workflow.json`` file."""


@dataclass
class Incoming:
    """The repository with the quarantine as an extra object directory."""

    repo_path: Path
    directory: Path
    repo: pygit2.Repository = field(repr=False)

    def commit(self, sha: str) -> pygit2.Commit:
        """A pushed (or existing) commit; anything else is refused."""
        try:
            found = self.repo[sha]
        except (KeyError, ValueError) as exc:
            raise PackRejected(f"the push does not contain {sha}") from exc
        if not isinstance(found, pygit2.Commit):
            raise PackRejected(f"{sha[:12]} is a {found.type_str}, not a commit")
        return found

    def new_commits(self, tip: str, limit: int) -> list[pygit2.Commit]:
        """Commits reachable from ``tip`` that no ref of the repository reaches, oldest first."""
        walker = self.repo.walk(self.commit(tip).id, SortMode.TOPOLOGICAL | SortMode.REVERSE)
        for name in self.repo.references:
            try:
                target = self.repo.references[name].peel(None)
            except (KeyError, pygit2.GitError):
                continue  # a dangling ref hides nothing
            if isinstance(target, pygit2.Commit):
                walker.hide(target.id)
        found: list[pygit2.Commit] = []
        try:
            for commit in walker:
                found.append(commit)
                if len(found) > limit:
                    raise PackRejected(f"the push brings more than {limit} new commits")
        except (KeyError, pygit2.GitError) as exc:
            raise PackRejected(f"the push is missing objects: {exc}") from exc
        return found

    def descends_from(self, tip: str, ancestor: str) -> bool:
        return tip == ancestor or bool(self.repo.descendant_of(tip, ancestor))

    def document(self, commit: pygit2.Commit, max_bytes: int) -> bytes:
        """The ``workflow.json`` bytes of a commit whose tree holds that file and nothing else."""
        tree = commit.tree
        names = sorted(entry.name or "" for entry in tree)
        others = [name for name in names if name != DOCUMENT_NAME]
        if others:
            shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
            raise TreeRejected(f"the tree must hold only {DOCUMENT_NAME}, it also holds: {shown}")
        if DOCUMENT_NAME not in names:
            raise TreeRejected(f"the tree has no {DOCUMENT_NAME}")
        entry = tree[DOCUMENT_NAME]
        if entry.filemode not in _REGULAR:
            raise TreeRejected(f"{DOCUMENT_NAME} must be a regular file")
        blob = self.repo[entry.id]
        if not isinstance(blob, pygit2.Blob):
            raise TreeRejected(f"{DOCUMENT_NAME} must be a regular file")
        if blob.size > max_bytes:
            raise TreeRejected(f"{DOCUMENT_NAME} is {blob.size} bytes; the limit is {max_bytes}")
        return bytes(blob.data)

    def keep(self) -> None:
        """Move the pushed objects into the repository (a pack before its index, as git
        does: a pack is used only once its ``.idx`` is there)."""
        target = self.repo_path / "objects"
        for source in sorted(self.directory.rglob("*"), key=_migration_order):
            if source.is_dir():
                continue
            destination = target / source.relative_to(self.directory)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if not destination.exists():  # same name, same content: objects are content-addressed
                os.replace(source, destination)


def _migration_order(path: Path) -> tuple[int, str]:
    return (1 if path.suffix == ".idx" else 0, str(path))


def _index_pack(repo_path: Path, directory: Path, pack: bytes) -> None:
    env = git_env(
        repo_path,
        extra={
            "GIT_DIR": str(repo_path),
            "GIT_OBJECT_DIRECTORY": str(directory),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(repo_path / "objects"),
            "GIT_QUARANTINE_PATH": str(directory),  # git refuses ref updates while this is set
        },
    )
    done = subprocess.run(
        ["git", "index-pack", "--stdin", "--fix-thin", "--strict", f"--max-input-size={len(pack)}"],
        input=pack,
        env=env,
        cwd=repo_path,
        capture_output=True,
        timeout=_INDEX_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["index-pack failed"]
        raise PackRejected(lines[-1].removeprefix("fatal: "))


@contextmanager
def quarantine(repo_path: Path, pack: bytes) -> Iterator[Incoming]:
    """Receive ``pack`` beside the repository; the quarantine is removed on the way out
    (after :meth:`Incoming.keep` it is empty)."""
    directory = Path(tempfile.mkdtemp(prefix=QUARANTINE_PREFIX, dir=repo_path / "objects"))
    try:
        if pack:
            _index_pack(repo_path, directory, pack)
        repo = pygit2.Repository(str(repo_path))
        repo.odb.add_disk_alternate(str(directory))
        yield Incoming(repo_path, directory, repo)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
