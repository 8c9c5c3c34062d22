"""Pins: contacts held on their version, out of reach of migrations, reverts and a
rollout's migrate-back (docs/migrations.md, "Pins")."""

import re
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.executions import CONTACT_ID_PATTERN, MAX_BATCH, ContactId
from schemas.text import RequestBody
from schemas.timestamps import Timestamp

_CONTACT = re.compile(CONTACT_ID_PATTERN)


class PinRequest(RequestBody):
    """The contacts to pin (``POST …/pins``) or to unpin (``POST …/pins/delete``)."""

    model_config = ConfigDict(extra="forbid")

    contact_ids: list[ContactId] = Field(min_length=1, max_length=MAX_BATCH)


class PinResult(BaseModel):
    """``pinned``/``unpinned``: contacts whose pin this call made or removed;
    ``unchanged``: the others (already pinned, or not pinned)."""

    pinned: int = 0
    unpinned: int = 0
    unchanged: int


class PinPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    contact_id: str
    version_id: UUID | None = Field(description="the version it was on when pinned (null: none live then)")
    pinned_by: str
    pinned_at: Timestamp


class PinList(BaseModel):
    items: list[PinPublic]
    next_cursor: str | None


def contact_cursor(part: Any) -> str:
    """A cursor's contact id: a string a contact id may be (``indexer.pagination``)."""
    if not isinstance(part, str) or not _CONTACT.fullmatch(part):
        raise ValueError("not a contact id")
    return part
