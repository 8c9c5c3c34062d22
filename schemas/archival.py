"""Retention: the rules that keep a version out of the archive (pure, no I/O), and the API
models of archival runs, candidates, legal holds."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.drain import VersionDrain
from schemas.text import RequestBody
from schemas.timestamps import Timestamp


class KeptBy(StrEnum):
    """Why a version is not archived, in the order the run reports them (first wins)."""

    DRAFT = "draft"
    CURRENT = "current"
    LEGAL_HOLD = "legal_hold"
    KEEP_NEWEST = "keep_newest"
    LIVE_EXECUTIONS = "live_executions"
    RECENT_EXECUTIONS = "recent_executions"
    RECENTLY_PUBLISHED = "recently_published"


# Rules an admin cannot wait out or lift with a click: never reported as near-misses.
STRUCTURAL = frozenset({KeptBy.DRAFT, KeptBy.CURRENT})
# Rules a version's own executions set: it waits for them to leave, then to age.
BY_EXECUTIONS = frozenset({KeptBy.LIVE_EXECUTIONS, KeptBy.RECENT_EXECUTIONS})


class Facts(Protocol):
    @property
    def version_number(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def is_current(self) -> bool: ...
    @property
    def held(self) -> bool: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def unarchived_at(self) -> datetime | None: ...
    @property
    def live(self) -> bool: ...
    @property
    def last_execution_at(self) -> datetime | None: ...


def last_activity(facts: Facts) -> datetime | None:
    """When the version was last in use: the latest of its publish, its unarchive (an
    admin bringing it back restarts the clock) and its executions' last update."""
    moments = [m for m in (facts.published_at, facts.unarchived_at, facts.last_execution_at) if m]
    return max(moments) if moments else None


def kept_by(facts: Facts, rank: int | None, *, keep: int, cutoff: datetime) -> list[KeptBy]:
    """Every rule that keeps this version (empty: archive it). ``rank`` is its place among
    the workflow's published versions, newest first (0-based); drafts have none."""
    reasons: list[KeptBy] = []
    if facts.status == "draft":
        reasons.append(KeptBy.DRAFT)
    if facts.is_current:
        reasons.append(KeptBy.CURRENT)
    if facts.held:
        reasons.append(KeptBy.LEGAL_HOLD)
    if rank is not None and rank < keep:
        reasons.append(KeptBy.KEEP_NEWEST)
    if facts.live:
        reasons.append(KeptBy.LIVE_EXECUTIONS)
    if facts.last_execution_at is not None and facts.last_execution_at >= cutoff:
        reasons.append(KeptBy.RECENT_EXECUTIONS)
    published = max((m for m in (facts.published_at, facts.unarchived_at) if m), default=None)
    if facts.status != "draft" and (published is None or published >= cutoff):
        reasons.append(KeptBy.RECENTLY_PUBLISHED)
    return reasons


def ranks(versions: Iterable[Facts]) -> dict[int, int]:
    """Version number -> place among the published (active or archived) versions, newest
    first. Drafts do not count: ten drafts must not push published versions out."""
    published = sorted((v.version_number for v in versions if v.status != "draft"), reverse=True)
    return {number: place for place, number in enumerate(published)}


# --- API models -------------------------------------------------------------------------

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LegalHoldSet(RequestBody):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class ArchiveRequest(RequestBody):
    """Run archival now for the caller's tenant (or one workflow); ``dry_run`` changes nothing."""

    model_config = ConfigDict(extra="forbid")

    dry_run: bool = False
    workflow_id: UUID | None = None


class ArchivalRunPublic(BaseModel):
    """A run (``id`` is null for a dry run, which records nothing)."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID | None
    status: Literal["running", "completed", "failed", "dry_run"]
    trigger: str
    triggered_by: str
    workflow_id: UUID | None
    started_at: Timestamp
    finished_at: Timestamp | None
    cutoff: Timestamp
    keep_versions: int
    batches: int
    examined: int
    archived: int
    skipped: dict[str, int]
    error: str | None = None


class ArchivalRunList(BaseModel):
    items: list[ArchivalRunPublic]


class VersionCandidate(BaseModel):
    workflow_id: UUID
    version_id: UUID
    version_number: int
    last_activity_at: Timestamp | None
    kept_by: list[KeptBy] = Field(description="every rule that keeps it; empty for a candidate")
    active_executions: int = Field(description="active and waiting executions of this version")
    drain: VersionDrain = Field(
        description="how fast it empties (the 24 hours before the preview's time): a version"
        " kept by live_executions stays until empty_by at this pace, then its last departures"
        " keep it as recent_executions for WFV_ARCHIVE_AFTER_DAYS more"
    )


class ArchivalCandidates(BaseModel):
    cutoff: Timestamp
    keep_versions: int
    examined: int
    would_archive: int
    skipped: dict[str, int]
    candidates: list[VersionCandidate]
    near_misses: list[VersionCandidate] = Field(
        description="active, non-current versions that one rule alone keeps (the rule is in kept_by)"
    )
    waiting_to_empty: list[VersionCandidate] = Field(
        default_factory=list,
        description="versions that live executions keep, and nothing else but their recent"
        " executions: archivable once empty (drain.empty_by, at the pace of the last 24 hours)"
        " and idle for WFV_ARCHIVE_AFTER_DAYS; a near-miss kept by live_executions alone is"
        " in both lists",
    )
    truncated: bool
