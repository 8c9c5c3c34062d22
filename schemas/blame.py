"""Blame for a workflow step: the published versions that touched one action."""

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from schemas.compare import FieldChange
from schemas.timestamps import Timestamp


class ActionHistoryEntry(BaseModel):
    """One published version that touched an action."""

    version_number: int
    version_id: UUID
    commit_sha: str
    change: Literal["added", "modified", "removed"]
    author_id: str
    published_at: Timestamp
    message: str
    rollback_of: int | None
    fields: list[FieldChange]
    action: dict[str, Any] | None


class SkippedCommit(BaseModel):
    """A commit on ``main`` that is not a readable published version (written by hand:
    trailers missing or malformed, a ``workflow.json`` that is not a JSON workflow). Blame
    leaves it out and compares the versions around it with each other."""

    commit_sha: str
    reason: str


class ActionHistory(BaseModel):
    action_id: str
    entries: list[ActionHistoryEntry]
    skipped: list[SkippedCommit] = Field(default_factory=list)
