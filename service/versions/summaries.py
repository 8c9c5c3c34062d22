"""Each version's change summary (``schemas.summaries``), computed once: written in the
transaction that writes the version's document, so the versions list reads it and never
diffs.

Its writers: ``create_workflow`` (v1: the first version), ``new_version`` (a created
version, a rollback, a pushed ``drafts/new``), ``update_version`` (an edit, a committed
draft, a push to a draft's branch), which also refreshes the versions made from the
edited draft, since their summary is against its document; and rebuild from git
(``indexer.rebuild``: reindex and healing). A draft's auto-saves are working copies, not
the version's document: they write none.

Rows older than revision 0019 hold NULL: reads compute theirs (``read_summaries``) and
store nothing, so a GET stays read-only; the next heal of the workflow stores them.
"""

import uuid
from collections.abc import Sequence

from indexer import queries
from indexer.models import WorkflowVersion
from schemas.summaries import ChangeSummary, stored, summary_of
from service.uow import UnitOfWork


def _parents(
    uow: UnitOfWork, versions: Sequence[WorkflowVersion], known: Sequence[WorkflowVersion] = ()
) -> dict[uuid.UUID, WorkflowVersion]:
    """The parents of ``versions`` (one workflow's): from ``known`` where there, the rest
    from one query."""
    found = {row.id: row for row in known}
    wanted = {v.parent_version_id for v in versions if v.parent_version_id is not None} - found.keys()
    if wanted:
        first = versions[0]
        rows = queries.get_versions(uow.session, first.tenant_id, first.workflow_id, list(wanted))
        found |= {row.id: row for row in rows}
    return found


def _summary(version: WorkflowVersion, parents: dict[uuid.UUID, WorkflowVersion]) -> ChangeSummary | None:
    parent = parents.get(version.parent_version_id) if version.parent_version_id is not None else None
    found = (parent.version_number, parent.definition) if parent is not None else None
    return summary_of(version.definition, version.parent_version_id, found)


def write_summary(uow: UnitOfWork, version: WorkflowVersion, parent: WorkflowVersion | None) -> None:
    """Store the summary of ``version``, whose document was just written; ``parent`` is
    the version it was made from, when the caller holds it."""
    parents = {parent.id: parent} if parent is not None else _parents(uow, [version])
    version.change_summary = stored(_summary(version, parents))


def write_summaries_after_edit(uow: UnitOfWork, version: WorkflowVersion) -> None:
    """``version``'s document changed: its summary, and those of the versions made from it."""
    write_summary(uow, version, None)
    for child in queries.versions_made_from(uow.session, version.tenant_id, version.workflow_id, version.id):
        write_summary(uow, child, version)


def read_summaries(
    uow: UnitOfWork, versions: Sequence[WorkflowVersion]
) -> dict[uuid.UUID, ChangeSummary | None]:
    """The summaries of ``versions`` (one workflow's), by id: as stored, and for rows from
    before revision 0019 (NULL) computed here and not stored, so a read writes nothing."""
    missing = [version for version in versions if version.change_summary is None]
    parents = _parents(uow, missing, versions)
    return {
        version.id: ChangeSummary.model_validate(version.change_summary)
        if version.change_summary is not None
        else _summary(version, parents)
        for version in versions
    }
