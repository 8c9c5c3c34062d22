"""The impact buckets of a move between versions, computed once for every reader: the
impact preview (``impact.py``), a migration's dry run (``migrations.py``) and the compare
view's live counts of breaking changes (``service.compare.comparison``).

Each source position gets its bucket in Python from the two documents and the effective
map (``schemas.impact.position_bucket``); the database then counts the live executions at
every position, pinned apart, in one GROUP BY (``indexer.impact``).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from indexer import impact as impact_rows
from indexer.models import WorkflowVersion
from schemas.buckets import document_actions, off_document_bucket, position_bucket, timer_change
from schemas.impact import TIMERS, Bucket, ImpactCounts, ImpactPosition
from schemas.migrations import EXIT

Effective = dict[str, dict[str, str | None]]


@dataclass(frozen=True)
class PositionRule:
    """Where the contacts at one source position go, and their bucket."""

    version_id: uuid.UUID
    version_number: int
    action_id: str | None
    to_action: str | None  # None when they fail or exit
    bucket: Bucket
    old_duration: str | None = None
    new_duration: str | None = None


def actions_by_id(version: WorkflowVersion) -> dict[str, dict[str, Any]]:
    return document_actions(version.definition)


class Rules:
    """The rule of every position of the sources: their documents' actions, and for any
    other position (none, or an id the version lacks) the unmapped policy's fallback."""

    def __init__(
        self, target: WorkflowVersion, sources: Sequence[WorkflowVersion], effective: Effective, unmapped: str
    ) -> None:
        self.unmapped = unmapped
        self.numbers = {s.id: s.version_number for s in sources}
        target_actions = actions_by_id(target)
        self.known: dict[tuple[uuid.UUID, str | None], PositionRule] = {}
        for source in sources:
            for action_id, action in actions_by_id(source).items():
                to = effective[str(source.id)].get(action_id)
                target_action = target_actions.get(to) if to is not None else None
                bucket = position_bucket(action_id, action, to, target_action)
                timer = timer_change(action, target_action) if bucket in TIMERS and target_action else None
                self.known[(source.id, action_id)] = PositionRule(
                    source.id,
                    source.version_number,
                    action_id,
                    None if to is None or to == EXIT else to,
                    bucket,
                    *(timer or (None, None)),
                )

    def of(self, version_id: uuid.UUID, action_id: str | None) -> PositionRule:
        found = self.known.get((version_id, action_id))
        if found is not None:
            return found
        bucket = off_document_bucket(self.unmapped)
        return PositionRule(version_id, self.numbers[version_id], action_id, None, bucket)

    def positions_of(
        self, bucket: Bucket, present: Sequence[tuple[uuid.UUID, str | None]]
    ) -> dict[uuid.UUID, list[str | None]]:
        """The positions (of the documents, and ``present`` ones) whose bucket is ``bucket``."""
        found: dict[uuid.UUID, list[str | None]] = {}
        for version_id, action_id in {*self.known, *present}:
            if self.of(version_id, action_id).bucket == bucket:
                found.setdefault(version_id, []).append(action_id)
        return found


@dataclass(frozen=True)
class Measured:
    counts: ImpactCounts
    positions: list[ImpactPosition]
    present: list[tuple[uuid.UUID, str | None]]  # positions with live executions

    @property
    def total(self) -> int:
        return self.counts.total()


def measure(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    rules: Rules,
    ids: Sequence[uuid.UUID] | None = None,
) -> Measured:
    """Counts per bucket and per position of the sources' live executions (``ids``: a
    manual migration's listed ones only). Every document position is listed, with zeros."""
    counted = impact_rows.position_counts(session, tenant_id, workflow_id, list(rules.numbers), ids)
    free: dict[tuple[uuid.UUID, str | None], int] = {}
    pinned: dict[tuple[uuid.UUID, str | None], int] = {}
    for version_id, action_id, is_pinned, count in counted:
        into = pinned if is_pinned else free
        into[(version_id, action_id)] = into.get((version_id, action_id), 0) + count
    totals = dict.fromkeys(ImpactCounts.model_fields, 0)
    rows = []
    for key in sorted({*rules.known, *free, *pinned}, key=lambda k: (rules.numbers[k[0]], k[1] or "")):
        rule = rules.of(*key)
        here, held = free.get(key, 0), pinned.get(key, 0)
        totals[rule.bucket] += here
        totals["pinned"] += held
        rows.append(
            ImpactPosition(
                from_version=rule.version_number,
                from_action=rule.action_id,
                to_action=rule.to_action,
                bucket=rule.bucket,
                count=here,
                pinned=held,
                old_duration=rule.old_duration,
                new_duration=rule.new_duration,
            )
        )
    present = sorted({*free, *pinned}, key=lambda k: (str(k[0]), k[1] or ""))
    return Measured(ImpactCounts(**totals), rows, present)
