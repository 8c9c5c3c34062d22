"""Each version's change summary (``schemas.summaries``), computed once: written in the
transaction that writes the version's document, so the versions list reads it and never
diffs.

Its writers: ``create_workflow`` (v1: the first version), ``new_version`` (a created
version, a rollback, a pushed ``drafts/new``), ``update_version`` (an edit, a committed
draft, a push to a draft's branch), which also rewrites the summaries of the versions
made from the edited draft, since theirs are against its document; and rebuild from git
(``indexer.rebuild``: reindex and healing). A draft's auto-saves are working copies, not
the version's document: they write none.

Rows older than revision 0019 hold NULL: reads compute theirs (``read_summaries``) and
store nothing, so a GET stays read-only; the next heal of the workflow stores them.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from indexer import queries
from indexer.models import WorkflowVersion
from schemas.summaries import ChangeSummary, stored, summary_of
from service.uow import UnitOfWork


def _summary(version: WorkflowVersion, parent: tuple[int, dict[str, Any]] | None) -> ChangeSummary | None:
    return summary_of(version.definition, version.parent_version_id, parent)


def write_summary(version: WorkflowVersion, parent: WorkflowVersion | None) -> None:
    """Store the summary of a version whose document was just written, made from
    ``parent`` (None: the workflow's first)."""
    found = (parent.version_number, parent.definition) if parent is not None else None
    version.change_summary = stored(_summary(version, found))


def write_summaries_after_edit(uow: UnitOfWork, version: WorkflowVersion) -> None:
    """``version``'s document changed: its summary, and those of the versions made from
    it (rare: one statement finds the parent and them, their rows are loaded only then)."""
    found = queries.relatives(uow.session, version)
    parent = next((r for r in found if r.id == version.parent_version_id), None)
    version.change_summary = stored(
        _summary(version, (parent.version_number, parent.definition) if parent is not None else None)
    )
    children = [r.id for r in found if r.parent_version_id == version.id]
    if children:
        for child in queries.get_versions(uow.session, version.tenant_id, version.workflow_id, children):
            write_summary(child, version)


def read_summaries(
    uow: UnitOfWork, versions: Sequence[WorkflowVersion]
) -> dict[uuid.UUID, ChangeSummary | None]:
    """The summaries of ``versions`` (one workflow's), by id: as stored, and for rows from
    before revision 0019 (NULL) computed here and not stored, so a read writes nothing."""
    missing = [version for version in versions if version.change_summary is None]
    known = {version.id: version for version in versions}
    wanted = {v.parent_version_id for v in missing if v.parent_version_id is not None} - known.keys()
    if wanted:
        first = versions[0]
        rows = queries.get_versions(uow.session, first.tenant_id, first.workflow_id, list(wanted))
        known |= {row.id: row for row in rows}
    answers: dict[uuid.UUID, ChangeSummary | None] = {}
    for version in versions:
        if version.change_summary is not None:
            answers[version.id] = ChangeSummary.model_validate(version.change_summary)
            continue
        parent = known.get(version.parent_version_id) if version.parent_version_id is not None else None
        answers[version.id] = _summary(
            version, (parent.version_number, parent.definition) if parent is not None else None
        )
    return answers
