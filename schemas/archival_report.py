"""Archival reports (pure, no I/O): why a version was archived or kept, in words an
auditor can read without the code; the report's columns; and the CSV cell guard.

A report names every rule that keeps a version (one line per rule), where a run's
``skipped`` counts only the first: an auditor asking "what did the legal holds keep?"
must see every held version, even one that is also current.
"""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from schemas.archival import KeptBy
from schemas.timestamps import rfc3339

ReportFormat = Literal["json", "csv"]


class Outcome(StrEnum):
    ARCHIVED = "archived"
    KEPT = "kept"


# The one rule that makes a version archivable: every keeping rule failed to hold it.
IDLE = "idle_past_retention"

RULES: dict[str, str] = {
    IDLE: "archived: no activity since the cutoff, not among the newest kept, not current, "
    "not a draft, not under legal hold, no live executions",
    KeptBy.DRAFT.value: "kept: a draft is never archived",
    KeptBy.CURRENT.value: "kept: a workflow's current version is never archived",
    KeptBy.LEGAL_HOLD.value: "kept: under legal hold",
    KeptBy.KEEP_NEWEST.value: "kept: one of the workflow's newest published versions",
    KeptBy.LIVE_EXECUTIONS.value: "kept: contacts are still running on it",
    KeptBy.RECENT_EXECUTIONS.value: "kept: an execution was active on or after the cutoff",
    KeptBy.RECENTLY_PUBLISHED.value: "kept: published (or unarchived) on or after the cutoff",
}

COLUMNS = (
    "outcome",
    "rule",
    "reason",
    "workflow_id",
    "workflow_name",
    "version_id",
    "version_number",
    "commit_sha",
    "last_activity_at",
)


def _when(moment: datetime | None) -> str:
    return rfc3339(moment) if moment is not None else "never"


def archived_reason(last_activity: datetime | None, *, cutoff: datetime, keep: int) -> str:
    return (
        f"last activity {_when(last_activity)} is before the cutoff {rfc3339(cutoff)}; "
        f"not among the newest {keep} published versions"
    )


def kept_reason(
    rule: KeptBy,
    *,
    cutoff: datetime,
    keep: int,
    last_execution: datetime | None,
    published: datetime | None,
) -> str:
    """The rule's words with the facts that made it hold for this version."""
    if rule is KeptBy.KEEP_NEWEST:
        return f"one of the newest {keep} published versions"
    if rule is KeptBy.RECENT_EXECUTIONS:
        return f"last execution update {_when(last_execution)} is on or after the cutoff {rfc3339(cutoff)}"
    if rule is KeptBy.RECENTLY_PUBLISHED:
        return f"published or unarchived {_when(published)}, on or after the cutoff {rfc3339(cutoff)}"
    return RULES[rule].removeprefix("kept: ")


# OWASP's list of the characters that make a spreadsheet read a cell as a formula (a
# newline is added: some spreadsheets strip it and then read what follows).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(cell: str) -> str:
    """A text cell a spreadsheet shows as text: one that could start a formula gets a
    leading single quote (OWASP "CSV Injection"). Quoting and embedded newlines are the
    csv module's job. ``defusedcsv`` was weighed: it leaves tab and CR unguarded and
    rewrites ``|`` inside the cell."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
