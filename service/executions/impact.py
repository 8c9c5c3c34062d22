"""The impact preview: before publishing or migrating, which live contacts of the source
versions would stay unchanged, change in place, wake earlier or later, be remapped, exit,
fail, or stay pinned, with the same mapping and unmapped policy a migration takes.

A read: nothing moves. The buckets come from ``buckets.py`` (shared with the migration's
dry run and the compare view); a timer bucket's page adds each contact's wake-up times,
computed from when it reached its wait (``executions.updated_at``, set at every change of
position) plus the old and the new duration.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer import impact as impact_rows
from schemas.buckets import duration
from schemas.impact import TIMERS, Bucket, ImpactContact, ImpactPage, ImpactPreview
from service.auth import Principal
from service.executions.buckets import Rules, measure
from service.executions.migrations import MigrationConflict, effective_map
from service.ops import tracing
from service.uow import UnitOfWork
from service.versions.editing import VersionRef, find_version, find_versions
from service.versions.workflows import load_workflow


@dataclass(frozen=True)
class ImpactQuery:
    """What the route parsed: the sources, the migration's mapping and policy, and which
    bucket's contacts to list (one page)."""

    from_versions: Sequence[VersionRef]
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: str = "fail"
    bucket: Bucket | None = None
    limit: int = 100
    cursor: str | None = None


@tracing.use_case("impact.preview")
def preview(
    *,
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID,
    target_ref: VersionRef,
    query: ImpactQuery,
) -> ImpactPreview:
    """The buckets of moving the sources' live contacts to ``target_ref`` (any version,
    a draft included: the preview is for before publishing too)."""
    workflow = load_workflow(uow, principal, workflow_id)
    target = find_version(uow, workflow, target_ref)
    sources = find_versions(uow, workflow, *dict.fromkeys(query.from_versions))
    if any(source.id == target.id for source in sources):
        raise MigrationConflict(f"v{target.version_number} cannot be both source and target")
    effective = effective_map(target, sources, query.mapping, query.unmapped)
    rules = Rules(target, sources, effective, query.unmapped)
    measured = measure(uow.session, workflow.tenant_id, workflow.id, rules)
    contacts = None
    if query.bucket is not None:
        contacts = _page(uow, workflow.tenant_id, workflow.id, rules, measured.present, query)
    return ImpactPreview(
        target_version=target.version_number,
        from_versions=[s.version_number for s in sources],
        total=measured.total,
        counts=measured.counts,
        positions=measured.positions,
        contacts=contacts,
    )


def _page(
    uow: UnitOfWork,
    tenant_id: str,
    workflow_id: uuid.UUID,
    rules: Rules,
    present: list[tuple[uuid.UUID, str | None]],
    query: ImpactQuery,
) -> ImpactPage:
    assert query.bucket is not None
    pinned = query.bucket == "pinned"
    rows, next_cursor = impact_rows.bucket_page(
        uow.session,
        tenant_id,
        workflow_id,
        list(rules.numbers),
        positions=None if pinned else rules.positions_of(query.bucket, present),
        pinned=pinned,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = []
    for row in rows:
        rule = rules.of(row.version_id, row.action_id)
        item = ImpactContact(
            execution_id=row.execution_id,
            contact_id=row.contact_id,
            from_version=rule.version_number,
            from_action=row.action_id,
            to_action=None if pinned else rule.to_action,  # a pinned contact stays where it is
            reached_at=row.updated_at,
        )
        if rule.bucket in TIMERS and not pinned:
            old, new = duration(rule.old_duration), duration(rule.new_duration)
            assert old is not None
            assert new is not None
            item.was_waking_at, item.wakes_at = row.updated_at + old, row.updated_at + new
        items.append(item)
    return ImpactPage(bucket=query.bucket, items=items, next_cursor=next_cursor)
