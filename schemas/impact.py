"""The impact preview's answer: which bucket each live contact of the source versions
falls in when they move to a target version (the rule that puts a source position in a
bucket: ``schemas/buckets.py``).

The buckets are per position (source version, action id), because a migration moves every
contact at one position the same way; only ``pinned`` is per contact (a pinned contact
stays where it is, whatever its position's bucket).
"""

from typing import Literal, get_args
from uuid import UUID

from pydantic import BaseModel, Field

from schemas.timestamps import Timestamp

Bucket = Literal[
    "unchanged",
    "changed_in_place",
    "timer_earlier",
    "timer_later",
    "remapped",
    "exits",
    "fails",
    "pinned",
]
BUCKETS: tuple[Bucket, ...] = get_args(Bucket)
TIMERS: tuple[Bucket, ...] = ("timer_earlier", "timer_later")


class ImpactCounts(BaseModel):
    """Contacts per bucket: every bucket present, and they sum to the total."""

    unchanged: int = 0
    changed_in_place: int = 0
    timer_earlier: int = 0
    timer_later: int = 0
    remapped: int = 0
    exits: int = 0
    fails: int = 0
    pinned: int = 0

    def total(self) -> int:
        return sum(getattr(self, bucket) for bucket in BUCKETS)


class ImpactPosition(BaseModel):
    """One source position: where its contacts go and in which bucket. ``count`` is its
    contacts that are not pinned (those are in ``bucket``), ``pinned`` the others."""

    from_version: int
    from_action: str | None
    to_action: str | None = Field(description="the target action; null when they fail or exit")
    bucket: Bucket
    count: int
    pinned: int
    old_duration: str | None = Field(default=None, description="timer buckets: the wait's duration now")
    new_duration: str | None = Field(default=None, description="timer buckets: its duration in the target")


class ImpactContact(BaseModel):
    """A contact of the listed bucket. ``reached_at`` is when it reached its action (the
    execution's last change of position); timer buckets add when its wait ends now
    (``was_waking_at``) and would end on the target (``wakes_at``)."""

    execution_id: UUID
    contact_id: str
    from_version: int
    from_action: str | None
    to_action: str | None
    reached_at: Timestamp
    was_waking_at: Timestamp | None = None
    wakes_at: Timestamp | None = None


class ImpactPage(BaseModel):
    bucket: Bucket
    items: list[ImpactContact]
    next_cursor: str | None


class ImpactPreview(BaseModel):
    """``GET …/versions/{version}/impact``: every live contact of ``from_versions`` in
    exactly one bucket (``counts`` sum to ``total``), the rule per source position, and
    with ``bucket`` asked for, one page of that bucket's contacts in execution id order."""

    target_version: int
    from_versions: list[int]
    total: int
    counts: ImpactCounts
    positions: list[ImpactPosition]
    contacts: ImpactPage | None = None
