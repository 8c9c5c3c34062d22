"""Bare repositories through pygit2, written without a work tree.

A version is a commit whose tree holds one blob, ``workflow.json``. Objects are written
first and refs moved afterwards, by compare-and-swap, so the caller can put its SQL writes
in between (the write order of DESIGN.md). A :class:`WorkflowRepo` wraps one
``pygit2.Repository`` and must stay in the thread that opened it.
"""

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pygit2
from opentelemetry.trace import NoOpTracer, Span, Tracer
from pygit2.enums import ObjectType

from repo_store.errors import RefConflict, RefLocked, RepoError, RepoNotFound
from repo_store.gitenv import OPEN_FLAGS
from repo_store.journal import (
    JournalEntry,
    drop_journal,
    empty_journal,
    has_journal,
    lock_files,
    read_journal,
    write_journal,
)
from repo_store.paths import repo_path
from repo_store.usertext import inert, inline_text, message_text
from schemas.history import RECORDS_REF

DOCUMENT_NAME = "workflow.json"
_GIT_ERROR_OS = 2  # libgit2 GIT_ERROR_OS


@dataclass(frozen=True)
class Identity:
    """Who a commit is by: the acting user (``id`` is the token's ``sub``)."""

    id: str
    name: str
    email: str


@dataclass(frozen=True)
class RefUpdate:
    """Move ``name`` from ``old`` (None: must not exist) to ``new`` (None: delete)."""

    name: str
    old: str | None
    new: str | None

    def reverse(self) -> "RefUpdate":
        return RefUpdate(self.name, self.new, self.old)


@dataclass(frozen=True)
class CommitInfo:
    """What the index needs to know of one commit.

    For a commit wfv wrote, its own trailers, tree and time. For a pushed commit that became
    a draft's head, what wfv recorded of it (``refs/wfv/records``): the user wrote its
    message, tree and dates, so none of those can say who, when or which version.
    """

    sha: str
    tree_sha: str  # the canonical document's tree
    parents: tuple[str, ...]
    summary: str
    trailers: dict[str, str]
    author_name: str
    author_email: str
    committed_at: datetime
    previous: str | None  # the commit before this one on its version's line


@dataclass
class WorkflowRepo:
    """One open bare repository of one workflow. Its writes are spans of ``tracer``
    (``service.ops.tracing``; the no-op one unless traces are on)."""

    path: Path
    repo: pygit2.Repository = field(repr=False)
    tracer: Tracer = field(default_factory=NoOpTracer, repr=False)
    _records: pygit2.Tree | None = field(default=None, repr=False, init=False)
    _records_read: bool = field(default=False, repr=False, init=False)

    def _span(self, name: str, **attributes: int) -> AbstractContextManager[Span]:
        """A span of a git write, naming the workflow by its id (the folder's name)."""
        workflow_id = self.path.name.removesuffix(".git")
        return self.tracer.start_as_current_span(
            name, attributes={"wfv.workflow_id": workflow_id, **attributes}, record_exception=False
        )

    def write_commit(
        self,
        *,
        document: bytes,
        parents: Sequence[str],
        message: str,
        trailers: dict[str, str],
        author: Identity,
        when: datetime,
    ) -> tuple[str, str]:
        """Write blob, tree and commit objects; no ref moves. Returns (commit id, tree id)."""
        with self._span("git.commit"):
            tree = self.write_document_tree(document)
            # The tree was just written with the document: no need to read it back.
            commit = self._create_commit(tree, parents, message, trailers, author, when)
        return commit, tree

    def commit_tree(
        self,
        *,
        tree: str,
        parents: Sequence[str],
        message: str,
        trailers: dict[str, str],
        author: Identity,
        when: datetime,
    ) -> str:
        """Write a commit of an existing tree (a publish commits the draft's own tree: no
        blob to read back and write again); no ref moves. Returns the commit id.

        Raises:
            RepoError: no such tree, or one without the document (a damaged repository).
        """
        with self._span("git.commit"):
            try:
                found = self.repo.get(tree)
            except ValueError as exc:
                raise RepoError(f"{tree!r} is not an object id") from exc
            if not isinstance(found, pygit2.Tree) or DOCUMENT_NAME not in found:
                raise RepoError(f"{tree} is not a tree with {DOCUMENT_NAME}")
            return self._create_commit(tree, parents, message, trailers, author, when)

    def _create_commit(
        self,
        tree: str,
        parents: Sequence[str],
        message: str,
        trailers: dict[str, str],
        author: Identity,
        when: datetime,
    ) -> str:
        signature = _signature(author, when)
        body = with_trailers(message, trailers)
        return str(self.repo.create_commit(None, signature, signature, body, tree, list(parents)))

    def write_tag(self, *, name: str, target: str, tagger: Identity, when: datetime, message: str) -> str:
        """Write an annotated tag object (no ref); the ref moves with :meth:`update_refs`."""
        seconds = int(when.timestamp())
        raw = (
            f"object {target}\ntype commit\ntag {name}\n"
            f"tagger {_clean(tagger.name)} <{_clean(tagger.email)}> {seconds} +0000\n\n"
            f"{message_text(message)}\n"
        )
        with self._span("git.tag"):
            return str(self.repo.odb.write(ObjectType.TAG, raw.encode("utf-8")))

    def update_refs(
        self, updates: Sequence[RefUpdate], *, reflog: str, cut: Callable[[], None] | None = None
    ) -> None:
        """Move every ref in ``updates`` all-or-nothing, each only if it is at its ``old``.

        Journaled (``repo_store.journal``): a process killed while libgit2 renames the refs
        one by one leaves a record that :meth:`finish_interrupted_update` completes.
        ``cut`` is the crash tests' stand-in for that kill, which no test can time: the
        journal is written, only the first ref moves, the others keep their lock files,
        then ``cut()`` (which kills the process) runs.

        Raises:
            RefLocked: another writer holds a ref's lock file.
            RefConflict: a ref is not where the caller read it.
        """
        self._records_read = False
        entries = [JournalEntry(u.name, u.old, u.new) for u in updates]
        journal: int | None = None
        moved = False
        try:
            with (
                self._span("git.update_refs", **{"wfv.git.refs": len(updates)}),
                self.repo.transaction() as txn,
            ):
                for update in updates:
                    txn.lock_ref(update.name)
                for update in updates:
                    current = self.ref_target(update.name)
                    if current != update.old:
                        raise RefConflict(
                            f"{update.name} is at {current or 'nothing'}, expected {update.old or 'nothing'}"
                        )
                    if update.new is None:
                        txn.remove(update.name)
                    else:
                        txn.set_target(update.name, update.new, message=reflog)
                journal = write_journal(self.path, entries)
                if cut is not None:
                    self._cut_short(updates, cut)
            moved = True  # the transaction committed: every ref is where it was asked to be
        except (OSError, pygit2.GitError) as exc:
            # libgit2 reports a busy ``<ref>.lock`` as an OS-class error (it never waits).
            if isinstance(exc, OSError) or getattr(exc, "error_class", None) == _GIT_ERROR_OS:
                raise RefLocked(f"a ref of {self.path.name} is locked by another writer: {exc}") from exc
            raise RefConflict(f"ref update refused: {exc}") from exc
        finally:
            # Emptied once every ref moved; kept after a failure inside libgit2's commit
            # (some refs may have moved), for healing to finish.
            if journal is not None:
                empty_journal(journal, moved=moved)

    def _cut_short(self, updates: Sequence[RefUpdate], cut: Callable[[], None]) -> None:
        """What a kill inside libgit2's commit leaves: the first ref moved, the rest still
        locked (empty lock files), the journal in place."""
        first = updates[0]
        lock = self.path / f"{first.name}.lock"
        if first.new is None:
            lock.unlink(missing_ok=True)
            (self.path / first.name).unlink(missing_ok=True)
        else:
            lock.write_text(f"{first.new}\n")
            os.replace(lock, self.path / first.name)
        cut()
        raise RuntimeError("the cut did not kill the process")

    def interrupted_update(self) -> bool:
        """Did a writer die inside a ref update of this repository?"""
        return has_journal(self.path)

    def finish_interrupted_update(self) -> list[str] | None:
        """Complete the update a killed writer left journaled; the caller holds the
        workflow's lock. Returns the refs moved, or None when there was nothing to finish
        or it cannot be (a ref at neither its old nor its new value: moved by somebody
        else, which the ref checks then report).

        Raises:
            RefConflict: the completing update itself failed (tried again next time).
        """
        entries = read_journal(self.path)
        if entries is None:
            drop_journal(self.path)  # absent, or not one of ours: nothing to finish
            return None
        for stale in lock_files(self.path, entries):
            stale.unlink(missing_ok=True)  # the dead writer's: no live one holds these refs
        current = {entry.name: self.ref_target(entry.name) for entry in entries}
        if any(current[e.name] not in (e.old, e.new) for e in entries):
            drop_journal(self.path)
            return None
        rest = [RefUpdate(e.name, current[e.name], e.new) for e in entries if current[e.name] != e.new]
        if rest:
            self.update_refs(rest, reflog="finish an update cut short by a crash")
        drop_journal(self.path)
        return [update.name for update in rest]

    def ref_target(self, name: str) -> str | None:
        """The object a ref points to (the tag object for an annotated tag), or None."""
        ref = self.repo.references.get(name)
        if ref is None:
            return None
        return str(ref.target)

    def refs(self, prefix: str) -> dict[str, str]:
        """Every direct ref under ``prefix`` with its target."""
        found = {}
        for name in self.repo.references:
            if name.startswith(prefix):
                target = self.ref_target(name)
                if target is not None:
                    found[name] = target
        return found

    def peel_to_commit(self, sha: str) -> str:
        """The commit an object (tag or commit) ends at."""
        return str(self.repo[sha].peel(pygit2.Commit).id)

    def read_document(self, commit_sha: str) -> bytes:
        """The ``workflow.json`` bytes of a version's commit (canonical: for a pushed
        commit, the tree wfv recorded for it, not the pusher's own formatting)."""
        try:
            return self.tree_document(self.commit_info(commit_sha).tree_sha)
        except (KeyError, ValueError) as exc:
            raise RepoError(f"commit {commit_sha} has no {DOCUMENT_NAME}: {exc}") from exc

    def tree_document(self, tree_sha: str) -> bytes:
        """The ``workflow.json`` bytes of a tree."""
        try:
            entry = self.repo[tree_sha].peel(pygit2.Tree)[DOCUMENT_NAME]
        except (KeyError, ValueError) as exc:
            raise RepoError(f"tree {tree_sha} has no {DOCUMENT_NAME}") from exc
        blob = self.repo[entry.id]
        if not isinstance(blob, pygit2.Blob):
            raise RepoError(f"{DOCUMENT_NAME} in {tree_sha} is not a file")
        return bytes(blob.data)

    def write_document_tree(self, document: bytes) -> str:
        """Blob and tree objects of a document (no commit); returns the tree id."""
        builder = self.repo.TreeBuilder()
        builder.insert(DOCUMENT_NAME, self.repo.create_blob(document), pygit2.GIT_FILEMODE_BLOB)
        return str(builder.write())

    def record(self, sha: str) -> dict[str, object] | None:
        """What wfv recorded of a commit it did not write (None: no record).

        Raises:
            ValueError: the record is not one wfv could have written.
        """
        if not self._records_read:  # read once per open repository, again after refs move
            target = self.ref_target(RECORDS_REF)
            self._records = self.repo[target].peel(pygit2.Commit).tree if target else None
            self._records_read = True
        if self._records is None or sha not in self._records:
            return None
        entry = self._records[sha]
        blob = self.repo[entry.id]
        loaded = json.loads(blob.data) if isinstance(blob, pygit2.Blob) else None
        if not isinstance(loaded, dict) or not isinstance(loaded.get("trailers"), dict):
            raise ValueError(f"the record of {sha[:12]} is not one wfv wrote")
        return loaded

    def write_record(
        self, *, commit: str, record: dict[str, object], author: Identity, when: datetime
    ) -> tuple[str | None, str]:
        """A new commit on ``refs/wfv/records`` holding ``record`` for ``commit``; no ref
        moves. Returns (the ref's current commit, the new commit) for a CAS move."""
        text = json.dumps(record, sort_keys=True, ensure_ascii=True, indent=2) + "\n"
        return self.write_note(notes_ref=RECORDS_REF, target=commit, text=text, author=author, when=when)

    def write_note(
        self, *, notes_ref: str, target: str, text: str, author: Identity, when: datetime
    ) -> tuple[str | None, str]:
        """A new commit on ``notes_ref`` whose tree sets ``target``'s note to ``text``;
        no ref moves. Returns (the ref's current commit, the new commit) for a CAS move.

        The tree layout is git's own (one blob per annotated object, named by its id),
        so ``git log --notes=<name>`` in a clone shows it.
        """
        with self._span("git.note"):
            old = self.ref_target(notes_ref)
            builder = (
                self.repo.TreeBuilder(self.repo[old].peel(pygit2.Commit).tree)
                if old
                else self.repo.TreeBuilder()
            )
            builder.insert(target, self.repo.create_blob(text.encode("utf-8")), pygit2.GIT_FILEMODE_BLOB)
            signature = _signature(author, when)
            message = f"Notes added by wfv for {target}\n"
            commit = self.repo.create_commit(
                None, signature, signature, message, builder.write(), [old] if old else []
            )
        return old, str(commit)

    def notes(self, notes_ref: str) -> dict[str, str]:
        """Every note on ``notes_ref``: the annotated object's id -> the note's text (git's
        flat layout, as :meth:`write_note` writes it)."""
        target = self.ref_target(notes_ref)
        if target is None:
            return {}
        tree = self.repo[target].peel(pygit2.Commit).tree
        found = {}
        for entry in tree:
            blob = self.repo[entry.id]
            if isinstance(blob, pygit2.Blob) and entry.name is not None:
                found[entry.name] = bytes(blob.data).decode("utf-8", "replace")
        return found

    def note(self, notes_ref: str, target: str) -> str | None:
        """``target``'s note on ``notes_ref`` (None: it has none)."""
        ref = self.ref_target(notes_ref)
        if ref is None:
            return None
        tree = self.repo[ref].peel(pygit2.Commit).tree
        if target not in tree:
            return None
        blob = self.repo[tree[target].id]
        return bytes(blob.data).decode("utf-8", "replace") if isinstance(blob, pygit2.Blob) else None

    def patch(self, old_commit: str, new_commit: str) -> str:
        """git's unified diff between two commits (what ``git diff A B`` prints)."""
        old = self.repo[self.commit_info(old_commit).tree_sha].peel(pygit2.Tree)
        new = self.repo[self.commit_info(new_commit).tree_sha].peel(pygit2.Tree)
        return old.diff_to_tree(new, context_lines=3).patch or ""

    def commit_info(self, sha: str) -> CommitInfo:
        """A commit as the index reads it (a pushed commit through wfv's record of it).

        Raises:
            ValueError: a record that wfv could not have written.
        """
        commit = self.repo[sha].peel(pygit2.Commit)
        parents = tuple(str(p) for p in commit.parent_ids)
        summary = commit.message.split("\n", 1)[0]
        recorded = self.record(str(commit.id))
        if recorded is not None:
            return _recorded_info(commit, parents, summary, recorded)
        return CommitInfo(
            sha=str(commit.id),
            tree_sha=str(commit.tree_id),
            parents=parents,
            summary=summary,
            trailers=dict(commit.message_trailers),
            author_name=commit.author.name,
            author_email=commit.author.email,
            committed_at=datetime.fromtimestamp(commit.commit_time, tz=UTC),
            previous=parents[0] if parents else None,
        )

    def first_parent_walk(self, sha: str) -> Iterator[CommitInfo]:
        """Commits from ``sha`` back along a version's line: first parents, and past a
        pushed commit straight to the head it was pushed onto (the pusher's own commits in
        between are history, not versions, and their messages say nothing to wfv)."""
        current: str | None = sha
        while current is not None:
            info = self.commit_info(current)
            yield info
            current = info.previous

    def get_meta(self, key: str) -> str | None:
        try:
            value = self.repo.config[f"wfv.{key}"]
        except KeyError:
            return None
        return str(value)

    def set_meta(self, values: Mapping[str, str | None]) -> None:
        """Write ``wfv.<key>`` for each value; ``None`` removes the key."""
        for key, value in values.items():
            if value is not None:
                self.repo.config[f"wfv.{key}"] = value
            elif self.get_meta(key) is not None:
                del self.repo.config[f"wfv.{key}"]


class PygitRepoStore:
    """Opens and creates the repositories under one root folder; each one's git writes
    are spans of ``tracer`` (the no-op one unless traces are on: ``service.ops.tracing``)."""

    def __init__(self, root: Path, *, tracer: Tracer | None = None) -> None:
        self.root = root
        self.tracer = tracer or NoOpTracer()

    def path_for(self, tenant_id: str, workflow_id: UUID) -> Path:
        return repo_path(self.root, tenant_id, workflow_id)

    def create(self, tenant_id: str, workflow_id: UUID, meta: dict[str, str]) -> WorkflowRepo:
        """Create an empty bare repository whose HEAD names ``main``."""
        path = self.path_for(tenant_id, workflow_id)
        if path.exists():
            raise RepoError(f"repository {path.name} already exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.tracer.start_as_current_span(
            "git.init", attributes={"wfv.workflow_id": str(workflow_id)}, record_exception=False
        ):
            repo = pygit2.init_repository(str(path), bare=True, initial_head="main")
            handle = WorkflowRepo(path, repo, self.tracer)
            handle.set_meta(meta)
        return handle

    def read_ref(self, tenant_id: str, workflow_id: UUID, name: str) -> str | None:
        """A ref's commit as git stores it (a loose ref file, else ``packed-refs``),
        without opening the repository: the watermark is checked on every read of the
        API, and opening costs more than the whole query. Loose refs are replaced by
        rename, and ``pack-refs`` writes the packed file before it removes loose ones, so
        either read sees a whole value."""
        path = self.path_for(tenant_id, workflow_id)
        try:
            loose = (path / name).read_text().strip()
        except FileNotFoundError:
            loose = None
        if loose:
            return loose
        if not (path / "HEAD").is_file():
            raise RepoNotFound(f"no repository for workflow {workflow_id}")
        try:
            packed = (path / "packed-refs").read_text()
        except FileNotFoundError:
            return None
        suffix = f" {name}"
        for line in packed.splitlines():
            if line.endswith(suffix) and not line.startswith(("#", "^")):
                return line.split(" ", 1)[0]
        return None

    def interrupted(self, tenant_id: str, workflow_id: UUID) -> bool:
        """Did a writer die inside a ref update of this repository (``repo_store.journal``)?
        One ``stat``, without opening the repository."""
        return has_journal(self.path_for(tenant_id, workflow_id))

    def open(self, tenant_id: str, workflow_id: UUID) -> WorkflowRepo:
        path = self.path_for(tenant_id, workflow_id)
        if not (path / "HEAD").is_file():
            raise RepoNotFound(f"no repository for workflow {workflow_id}")
        return self.open_path(path)

    def remove(self, tenant_id: str, workflow_id: UUID) -> None:
        """Delete a repository (only used to undo a creation that did not commit)."""
        shutil.rmtree(self.path_for(tenant_id, workflow_id), ignore_errors=True)

    def iter_repos(self) -> Iterator[Path]:
        """Every repository folder under the root, in a stable order."""
        if not self.root.is_dir():
            return
        for tenant_dir in sorted(self.root.iterdir()):
            if tenant_dir.is_dir():
                yield from sorted(p for p in tenant_dir.glob("*.git") if (p / "HEAD").is_file())

    def open_path(self, path: Path) -> WorkflowRepo:
        """Open the repository at ``path``.

        Raises:
            RepoNotFound: nothing openable there: a creation still in flight (HEAD written,
                the rest not yet) or an undone one being removed, as a scan of the folders
                running beside live writers meets them.
        """
        try:
            return WorkflowRepo(path, pygit2.Repository(str(path), OPEN_FLAGS), self.tracer)
        except pygit2.GitError as exc:
            raise RepoNotFound(f"no repository at {path.name}: {exc}") from exc


def _recorded_info(
    commit: pygit2.Commit, parents: tuple[str, ...], summary: str, record: dict[str, object]
) -> CommitInfo:
    try:
        trailers = {str(key): str(value) for key, value in dict(record["trailers"]).items()}  # type: ignore[call-overload]
        previous = record.get("previous")
        return CommitInfo(
            sha=str(commit.id),
            tree_sha=str(record["tree"]),
            parents=parents,
            summary=summary,
            trailers=trailers,
            author_name=commit.author.name,
            author_email=commit.author.email,
            committed_at=datetime.fromisoformat(str(record["at"])),
            previous=str(previous) if previous else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"the record of {str(commit.id)[:12]} is not one wfv wrote: {exc}") from exc


def _signature(identity: Identity, when: datetime) -> pygit2.Signature:
    return pygit2.Signature(_clean(identity.name), _clean(identity.email), int(when.timestamp()), 0)


def _clean(text: str) -> str:
    """Names and e-mails come from tokens: keep git's header syntax and a terminal's
    control sequences out of them."""
    return "".join(ch for ch in text if inert(ch) and ch not in "<>").strip() or "unknown"


_TRAILER_KEY = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def with_trailers(message: str, trailers: Mapping[str, str]) -> str:
    """The user's text made inert, then wfv's trailers as the last paragraph, alone.

    Trailers are wfv's own values; one that could not be read back as written (a line
    break, a padded or empty value) is a bug here, refused before anything is written.
    """
    for key, value in trailers.items():
        if not _TRAILER_KEY.fullmatch(key) or not value or inline_text(value.strip()) != value:
            raise ValueError(f"trailer {key!r}: {value!r} would not read back as written")
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    return f"{message_text(message)}\n\n{lines}\n"
