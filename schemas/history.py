"""How a version's life is written into git, and read back: the trailer vocabulary.

Shared by the writer (``service``), the reader (``repo_store.history``) and the rebuild
(``indexer.rebuild``), so the three agree on one spelling.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

MAIN_REF = "refs/heads/main"
WATERMARK_REF = "refs/wfv/head"  # the newest commit any write produced: the index watermark
# What wfv knows of commits it did not write (pushed draft tips): notes nobody can push.
RECORDS_REF = "refs/wfv/records"
# Guarded rollouts, one line per change, on the target version's commit
# (``schemas.rollouts.RolloutRecord``): ``git log --notes=rollouts``.
ROLLOUTS_NOTES_REF = "refs/notes/rollouts"


# Version numbers in ref names: no leading zero, at most nine digits (a bound for what a
# push may name; no workflow holds a billion versions). One pattern for writing, reading
# back, checking and receiving pushes.
_NUMBER = r"([1-9][0-9]{0,8})"
_DRAFT_REF = re.compile(rf"refs/heads/drafts/v{_NUMBER}")
_TAG_REF = re.compile(rf"refs/tags/v{_NUMBER}")


def draft_ref(number: int) -> str:
    return f"refs/heads/drafts/v{number}"


def tag_ref(number: int) -> str:
    return f"refs/tags/v{number}"


def draft_number(name: str) -> int | None:
    """N for ``refs/heads/drafts/vN``, else None."""
    match = _DRAFT_REF.fullmatch(name)
    return int(match.group(1)) if match else None


def tag_number(name: str) -> int | None:
    """N for ``refs/tags/vN``, else None."""
    match = _TAG_REF.fullmatch(name)
    return int(match.group(1)) if match else None


_COUNT = re.compile(r"[1-9][0-9]*")


def trailer_count(raw: str | None) -> int | None:
    """A numeric trailer's value (``Workflow-Version``, ``Lock-Version``), or None when it
    is not plain ASCII digits as wfv writes them (``int()`` would take "٣" or " 3")."""
    return int(raw) if raw is not None and _COUNT.fullmatch(raw) else None


class Trailer(StrEnum):
    VERSION = "Workflow-Version"
    VERSION_ID = "Version-Id"
    EVENT = "Version-Event"
    LOCK = "Lock-Version"
    AUTHOR_ID = "Author-Id"
    PARENT_ID = "Parent-Version-Id"
    ROLLBACK_OF = "Rollback-Of"
    ROLLBACK_OF_ID = "Rollback-Of-Version-Id"
    DRAFT_COMMIT = "Draft-Commit"
    # The Idempotency-Key claim (a UUID wfv drew, never the caller's key) of the request
    # that wrote the commit: how a retry finds the effect of a request that died between
    # its ref move and its SQL commit (``service.idempotency``).
    CLAIM = "Idempotency-Claim"


class VersionEvent(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    PUBLISH = "publish"


@dataclass(frozen=True)
class VersionRecord:
    """One version as git tells it: everything its index row is made of."""

    id: str
    number: int
    lock_version: int
    commit_sha: str
    tree_sha: str
    parent_version_id: str | None
    rollback_of_version_id: str | None
    created_by: str
    created_at: datetime
    published_by: str | None
    published_at: datetime | None
    deleted_at: datetime | None
    is_current: bool
    definition: dict[str, Any]

    @property
    def published(self) -> bool:
        return self.published_at is not None
