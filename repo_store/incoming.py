"""A push's objects: measured, received into a quarantine, examined, and only the ones
an accepted commit reaches are kept.

The pack is measured first (:mod:`repo_store.packscan`: object count, inflated bytes), so
nothing larger than a push may be reaches git. Then ``git index-pack`` (git's own pack
parser, with ``--strict`` fsck and link checks) writes it into ``objects/tmp_wfv_push_*``,
a directory the repository does not see, exactly as ``git receive-pack`` quarantines. Once
the commits are checked, :meth:`Incoming.select` packs only what those commits reach (the
commit, its tree, its ``workflow.json``), and :meth:`Incoming.keep` moves that pack in:
whatever else the push carried (a stray blob, a 256 MiB run of zeros) never enters the
repository, and a refused push leaves nothing behind.
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
from repo_store.gitenv import OPEN_FLAGS, git_env
from repo_store.packscan import PackMalformed, PackShape, PackTooBig, scan_pack
from repo_store.store import DOCUMENT_NAME

QUARANTINE_PREFIX = "tmp_wfv_push_"
_INDEX_TIMEOUT = 300
_REGULAR = {pygit2.GIT_FILEMODE_BLOB, pygit2.GIT_FILEMODE_BLOB_EXECUTABLE}
_KEPT = "kept"  # the quarantine's sub-folder holding the pack of what is kept
OBJECTS_PER_COMMIT = 3  # a commit, its tree, its workflow.json: all a commit may bring


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

    def new_commits(self, tips: list[str], limit: int) -> list[pygit2.Commit]:
        """Commits reachable from ``tips`` that no ref of the repository reaches, oldest
        first, each once; more than ``limit`` of them is refused."""
        walker = self.repo.walk(None, SortMode.TOPOLOGICAL | SortMode.REVERSE)
        for tip in tips:
            walker.push(self.commit(tip).id)
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
                    raise PushTooBig(f"the push brings more than {limit} new commits", "commits")
        except (KeyError, pygit2.GitError) as exc:
            raise PackRejected(f"the push is missing objects: {exc}") from exc
        return found

    def descends_from(self, tip: str, ancestor: str) -> bool:
        return tip == ancestor or bool(self.repo.descendant_of(tip, ancestor))

    def document_blob(self, commit: pygit2.Commit, max_bytes: int) -> pygit2.Blob:
        """The ``workflow.json`` of a commit whose tree holds that file and nothing else,
        at most ``max_bytes`` (its size is read from the header, nothing is inflated)."""
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
        kind, size = self.repo.odb.read_header(entry.id)
        if kind != pygit2.enums.ObjectType.BLOB:
            raise TreeRejected(f"{DOCUMENT_NAME} must be a regular file")
        if size > max_bytes:
            raise TreeRejected(f"{DOCUMENT_NAME} is {size} bytes; the limit is {max_bytes}")
        blob = self.repo[entry.id]
        assert isinstance(blob, pygit2.Blob)
        return blob

    def document(self, commit: pygit2.Commit, max_bytes: int) -> bytes:
        """The ``workflow.json`` bytes of a commit (see :meth:`document_blob`)."""
        return bytes(self.document_blob(commit, max_bytes).data)

    def select(self, commits: list[pygit2.Commit]) -> int:
        """Pack exactly what ``commits`` reach (each one's tree and ``workflow.json``),
        ready for :meth:`keep`; returns the number of objects packed."""
        builder = pygit2.PackBuilder(self.repo)
        for commit in commits:
            builder.add_recur(commit.id)
        if len(builder) == 0:
            return 0
        kept = self.directory / _KEPT
        kept.mkdir(exist_ok=True)
        builder.write(str(kept))
        return int(builder.written_objects_count)

    def keep(self) -> None:
        """Move the selected pack into the repository (its ``.pack`` before its ``.idx``,
        as git does: a pack is used only once its index is there). Nothing selected:
        nothing kept."""
        kept = self.directory / _KEPT
        target = self.repo_path / "objects" / "pack"
        target.mkdir(exist_ok=True)
        for source in sorted(kept.glob("pack-*"), key=_migration_order) if kept.is_dir() else []:
            destination = target / source.name
            if not destination.exists():  # same name, same content: packs are named by it
                os.replace(source, destination)


def _migration_order(path: Path) -> tuple[int, str]:
    return (1 if path.suffix == ".idx" else 0, str(path))


@dataclass(frozen=True)
class PushLimits:
    """How much one push may bring (each a setting)."""

    commits: int
    inflated_bytes: int
    document_bytes: int

    @property
    def objects(self) -> int:
        return self.commits * OBJECTS_PER_COMMIT


class PushTooBig(PackRejected):
    """Past one of :class:`PushLimits`; ``bound`` names which."""

    def __init__(self, message: str, bound: str) -> None:
        super().__init__(message)
        self.bound = bound


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
        cwd=directory,
        capture_output=True,
        timeout=_INDEX_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["index-pack failed"]
        raise PackRejected(lines[-1].removeprefix("fatal: "))


def measure(pack: bytes, limits: PushLimits) -> PackShape:
    """The pack's shape, refused past the limits before anything is written."""
    try:
        shape = scan_pack(pack, max_objects=limits.objects, max_inflated=limits.inflated_bytes)
    except PackMalformed as exc:
        raise PackRejected(str(exc)) from exc
    except PackTooBig as exc:
        raise PushTooBig(str(exc), exc.bound) from exc
    if shape.commits > limits.commits:
        raise PushTooBig(f"the push brings {shape.commits} commits; at most {limits.commits}", "commits")
    return shape


@contextmanager
def quarantine(repo_path: Path, pack: bytes, limits: PushLimits) -> Iterator[Incoming]:
    """Measure ``pack``, then receive it beside the repository; the quarantine is removed
    on the way out (whatever :meth:`Incoming.keep` did not move in goes with it)."""
    measure(pack, limits)
    repo_path = repo_path.resolve()  # git is handed absolute paths only
    directory = Path(tempfile.mkdtemp(prefix=QUARANTINE_PREFIX, dir=repo_path / "objects"))
    try:
        if pack:
            _index_pack(repo_path, directory, pack)
        repo = pygit2.Repository(str(repo_path), OPEN_FLAGS)
        repo.odb.add_disk_alternate(str(directory))
        yield Incoming(repo_path, directory, repo)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
