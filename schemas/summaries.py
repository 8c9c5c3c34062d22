"""A version's change summary: what changed against the version it was made from, in
counts and one line, for lists that show many versions at once (the versions list).

It is the comparison's own diff (``schemas.compare.diff_parts``, without the breaking
changes and buckets a comparison adds) reduced to counts, and its line is the compare
view's ``summary``, so the list and the compare view never word the same change two
ways. Pure: the service stores the answer with the version (``service.versions.summaries``)
and rebuild computes it from git's documents.
"""

from typing import Any

from pydantic import BaseModel, Field

from schemas.compare import diff_parts, summary_line

FIRST_VERSION = "first version"


class ChangeSummary(BaseModel):
    parent_version_number: int | None = Field(
        description="the number of the version this one was made from; null for the first version"
    )
    actions_added: int = 0
    actions_removed: int = 0
    actions_modified: int = 0
    actions_moved: int = 0
    trigger_changed: bool = False
    conditions_changed: bool = False
    settings_changed: bool = False
    text: str = Field(
        description='one line, as the compare view words it: "1 action removed, 2 modified; trigger '
        'changed", "no changes" when the documents are the same, "first version" when there is no parent'
    )


def summary_of(
    document: dict[str, Any], parent_id: object | None, parent: tuple[int, dict[str, Any]] | None
) -> ChangeSummary | None:
    """The summary of a version whose parent is ``parent_id``, given that parent's number
    and definition; None when it names a parent the caller does not have."""
    if parent_id is None:
        return ChangeSummary(parent_version_number=None, text=FIRST_VERSION)
    if parent is None:
        return None
    return summarise(parent[1], document, parent[0])


def summarise(parent: dict[str, Any], document: dict[str, Any], parent_number: int) -> ChangeSummary:
    """``document`` against ``parent``, the definition of version ``parent_number``."""
    parts = diff_parts(parent, document)
    actions = parts["actions"]
    return ChangeSummary(
        parent_version_number=parent_number,
        actions_added=len(actions.added),
        actions_removed=len(actions.removed),
        actions_modified=len(actions.modified),
        actions_moved=len(actions.moved),
        trigger_changed=bool(parts["trigger"].count()),
        conditions_changed=bool(parts["conditions"].count()),
        settings_changed=bool(parts["settings"].count()),
        text=summary_line(parts),
    )


def stored(summary: ChangeSummary | None) -> dict[str, Any] | None:
    """The JSON kept in ``workflow_versions.change_summary``."""
    return summary.model_dump(mode="json") if summary is not None else None
