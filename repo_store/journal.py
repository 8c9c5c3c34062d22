"""The ref journal: a multi-ref update cut short by a crash is finished, never left torn.

libgit2 applies a ref transaction one ref at a time (each ``<ref>.lock`` renamed over its
ref), so a process killed inside ``git_transaction_commit`` can leave ``main`` on a new
publish commit without its tag ``vN``, or a draft branch moved while the watermark is not:
shapes no write of wfv's makes, which the ref checks rightly refuse as "moved by hand", and
the lock files of the refs not yet renamed block every later write of them.

So an update writes what it is about to do (each ref's old and new value) to
``wfv-ref-journal`` in the repository's folder once every ref is locked and checked, and
empties it once the refs have moved. Git ignores the file; ``git clone`` never sends it.
The file stays (empty) between updates: creating and removing it on every write cost a
new inode and two directory changes, ~0.2 ms of each version's ~3 ms on ext4, where
writing an existing empty file and truncating it through the same descriptor costs ~25 µs
(truncating by path after closing is worse: ext4 flushes a file truncated to zero and
rewritten, at close). A non-empty journal found later means the writer died between the
two: under the workflow's lock (no live writer of ours holds those refs) healing removes
the dead writer's lock files and moves every ref still at its old value to its new one,
which is exactly the state a crash *after* the update leaves, the window healing already
indexes (git ahead of the index). A ref at neither value was moved by somebody else
meanwhile: nothing is completed, and the ref checks report it as they would without a
journal.
"""

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

JOURNAL_NAME = "wfv-ref-journal"


@dataclass(frozen=True)
class JournalEntry:
    """One ref of an update in flight: ``old`` and ``new`` as the caller swapped them."""

    name: str
    old: str | None
    new: str | None


def journal_path(repo_dir: Path) -> Path:
    return repo_dir / JOURNAL_NAME


def has_journal(repo_dir: Path) -> bool:
    """One ``stat``: cheap enough for every load of a workflow. Empty (or absent): no
    update in flight."""
    try:
        return os.stat(journal_path(repo_dir)).st_size > 0
    except FileNotFoundError:
        return False


def write_journal(repo_dir: Path, entries: Sequence[JournalEntry]) -> int:
    """Write the journal; returns its open descriptor, for :func:`empty_journal` once the
    refs have moved. Written in place, with no temporary file to rename: it is written
    before any ref moves, so a crash while writing it leaves a partial journal and no ref
    moved, which :func:`read_journal` reads as nothing to finish. The caller holds the
    workflow's lock and healed first, so no unfinished journal is overwritten."""
    body = json.dumps([[e.name, e.old, e.new] for e in entries]).encode()
    fd = os.open(journal_path(repo_dir), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, body)
    except BaseException:
        os.close(fd)
        raise
    return fd


def empty_journal(fd: int, *, moved: bool) -> None:
    """Close the journal :func:`write_journal` opened, emptied when every ref ``moved``
    (nothing left to finish); left as written otherwise, for healing to finish."""
    try:
        if moved:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def read_journal(repo_dir: Path) -> list[JournalEntry] | None:
    """The update in flight, or None. An unreadable journal (cut while being written, so
    before any ref moved; or not one we wrote) is None."""
    try:
        raw = json.loads(journal_path(repo_dir).read_bytes())
    except FileNotFoundError:
        return None
    except ValueError:
        return None
    try:
        return [JournalEntry(str(name), old, new) for name, old, new in raw]
    except (TypeError, ValueError):
        return None


def drop_journal(repo_dir: Path) -> None:
    """A journal finished by healing, or not ours: removed (the next update writes anew)."""
    journal_path(repo_dir).unlink(missing_ok=True)


def lock_files(repo_dir: Path, entries: Sequence[JournalEntry]) -> list[Path]:
    """The lock files a writer killed inside the update may have left for these refs."""
    candidates = [repo_dir / f"{entry.name}.lock" for entry in entries]
    candidates.append(repo_dir / "packed-refs.lock")  # a deletion of a packed ref locks it
    return [path for path in candidates if path.exists()]
