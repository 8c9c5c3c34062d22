"""The ref journal: a multi-ref update cut short by a crash is finished, never left torn.

libgit2 applies a ref transaction one ref at a time (each ``<ref>.lock`` renamed over its
ref), so a process killed inside ``git_transaction_commit`` can leave ``main`` on a new
publish commit without its tag ``vN``, or a draft branch moved while the watermark is not:
shapes no write of wfv's makes, which the ref checks rightly refuse as "moved by hand", and
the lock files of the refs not yet renamed block every later write of them.

So an update writes what it is about to do (each ref's old and new value) to
``wfv-ref-journal`` in the repository's folder once every ref is locked and checked, and
removes it once the refs have moved. Git ignores the file; ``git clone`` never sends it.
A journal found later means the writer died between the two: under the workflow's lock
(no live writer of ours holds those refs) healing removes the dead writer's lock files and
moves every ref still at its old value to its new one, which is exactly the state a crash
*after* the update leaves, the window healing already indexes (git ahead of the index).
A ref at neither value was moved by somebody else meanwhile: nothing is completed, and the
ref checks report it as they would without a journal.
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
    """One ``stat``: cheap enough for every load of a workflow."""
    return journal_path(repo_dir).exists()


def write_journal(repo_dir: Path, entries: Sequence[JournalEntry]) -> None:
    """Written whole or not at all (a temporary file renamed into place), so a crash while
    writing it leaves either no journal or a complete one."""
    body = json.dumps([[e.name, e.old, e.new] for e in entries]).encode()
    temporary = repo_dir / f"{JOURNAL_NAME}.tmp"
    temporary.write_bytes(body)
    os.replace(temporary, journal_path(repo_dir))


def read_journal(repo_dir: Path) -> list[JournalEntry] | None:
    """The update in flight, or None. An unreadable journal (not one we wrote) is None."""
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
    journal_path(repo_dir).unlink(missing_ok=True)


def lock_files(repo_dir: Path, entries: Sequence[JournalEntry]) -> list[Path]:
    """The lock files a writer killed inside the update may have left for these refs."""
    candidates = [repo_dir / f"{entry.name}.lock" for entry in entries]
    candidates.append(repo_dir / "packed-refs.lock")  # a deletion of a packed ref locks it
    return [path for path in candidates if path.exists()]
