"""A version's retention state as git keeps it: archived or not, when it was unarchived,
its legal hold. The writer (``service.gitstate``), the reader (``repo_store.state``) and
the rebuild (``indexer.rebuild``) share this one spelling.

The state lives on ``refs/wfv/state``: a chain of commits whose tree holds one canonical
JSON file ``v<N>.json`` per version that has any state. One file per version (not one for
the workflow) so a change rewrites one small blob, ``git log -- v3.json`` is that
version's retention history, and two versions' states never merge into one diff. The hold
reason is user text: it is a JSON string inside the blob, never part of a commit message.
"""

import re
import uuid
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from schemas.canonical import canonical_json

STATE_REF = "refs/wfv/state"
_FILE = re.compile(r"^v([1-9][0-9]*)\.json$")


def state_file(number: int) -> str:
    return f"v{number}.json"


def state_number(name: str) -> int | None:
    """N for ``v<N>.json``, else None (a name wfv never writes)."""
    match = _FILE.match(name)
    return int(match.group(1)) if match else None


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


class LegalHold(BaseModel):
    """A hold as its columns say it. ``by`` and ``at`` are always set by the API; they may
    be null, as the columns may, so a hold written some other way is still kept as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    reason: str = Field(min_length=1, max_length=500)
    by: str | None = Field(min_length=1, max_length=255)
    at: AwareDatetime | None

    _at_utc = field_validator("at", mode="after")(_utc)


class VersionState(BaseModel):
    """Everything of a version's retention that git must keep (``archived_at`` set means
    archived: one field, so the file cannot contradict itself)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version_id: uuid.UUID
    archived_at: AwareDatetime | None = None
    unarchived_at: AwareDatetime | None = None
    legal_hold: LegalHold | None = None

    _utc = field_validator("archived_at", "unarchived_at", mode="after")(_utc)

    @property
    def empty(self) -> bool:
        """Nothing to keep: the file is removed rather than written with nulls."""
        return self.archived_at is None and self.unarchived_at is None and self.legal_hold is None

    def to_bytes(self) -> bytes:
        return canonical_json(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, data: bytes) -> "VersionState":
        """Parse a blob (raises ``pydantic.ValidationError``, a ``ValueError``)."""
        return cls.model_validate_json(data)
