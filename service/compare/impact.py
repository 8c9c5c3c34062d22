"""The compare view's live impact in the impact preview's buckets: what a *default*
migration from ``from`` to ``to`` (by id, no mapping, unmapped=fail) would do with the
contacts in flight on ``from``.

The bucket of each ``from`` action comes with the cached diff (``DocumentDiff.
default_buckets``, from ``schemas.buckets``: the preview's rule); any other position (no
action, or an id the version lacks) is the unmapped policy's, as in the preview. The
counts come per position, pinned apart, from one GROUP BY (``indexer.impact.
version_counts``), so ``impact`` is what ``GET …/versions/{to}/impact?from={from}``
answers as ``counts``: pinned contacts in ``pinned``, every other in its position's bucket.

A breaking change's ``live_contacts`` are the contacts at its affected positions that a
migration would move (not pinned), ``pinned`` the others; ``bucket`` is their bucket when
the affected positions share one, else null, and ``buckets`` lists each bucket once. A
trigger change affects every contact in flight, so its positions are all that hold one.
"""

from collections.abc import Iterable

from schemas.api import BreakingImpact
from schemas.buckets import DEFAULT_UNMAPPED, off_document_bucket
from schemas.compare import BreakingChange
from schemas.impact import BUCKETS, Bucket, ImpactCounts

# Contacts in flight per position: (not pinned, pinned).
Positions = dict[str | None, tuple[int, int]]


def bucket_of(buckets: dict[str, Bucket], action: str | None) -> Bucket:
    """A position's bucket: its action's, else (no action, an unknown id) unmapped's."""
    found = buckets.get(action) if action is not None else None
    return found if found is not None else off_document_bucket(DEFAULT_UNMAPPED)


def impact_counts(buckets: dict[str, Bucket], positions: Positions) -> ImpactCounts:
    totals = dict.fromkeys(ImpactCounts.model_fields, 0)
    for action, (free, pinned) in positions.items():
        totals[bucket_of(buckets, action)] += free
        totals["pinned"] += pinned
    return ImpactCounts(**totals)


def _affected(change: BreakingChange, positions: Positions) -> Iterable[str | None]:
    return positions.keys() if change.kind == "trigger_type_changed" else change.affected_actions


def breaking_impact(
    change: BreakingChange, buckets: dict[str, Bucket], positions: Positions
) -> BreakingImpact:
    affected = list(_affected(change, positions))
    free = sum(positions.get(action, (0, 0))[0] for action in affected)
    pinned = sum(positions.get(action, (0, 0))[1] for action in affected)
    present = {bucket_of(buckets, action) for action in affected}
    found = [bucket for bucket in BUCKETS if bucket in present]
    if change.kind == "trigger_type_changed":
        warning = f"{change.message}; {free + pinned} contact(s) already enrolled continue on this version"
    else:
        held = f", {pinned} more pinned" if pinned else ""
        warning = (
            f"{change.message} ({free} contact(s) there right now{held}; "
            f"a migration by id: {' / '.join(found)})"
        )
    return BreakingImpact(
        **change.model_dump(),
        live_contacts=free,
        pinned=pinned,
        bucket=found[0] if len(found) == 1 else None,
        buckets=found,
        warning=warning,
    )
