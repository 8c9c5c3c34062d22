"""``wfv check``, the history half: does each version's row say what its commits say?

The ref checks (``consistency_checks.ref_findings``) compare where refs point; this module
reads each version's line the way reindex does (``repo_store.history.read_version``) and
compares every column reindex would write: the author (``Author-Id`` of the create commit),
a deletion (``Version-Event: delete`` at the draft's head) against ``deleted_at``, a publish
(the tag's commit) against the status and the published fields, ``Lock-Version`` against
``lock_version``, the lineage and the document. A line reindex cannot read is reported
too, with the commit and the trailer at fault: healing would refuse it for ever, so it is
a problem even while git's watermark is ahead.
"""

from collections.abc import Sequence

from indexer.models import Workflow, WorkflowVersion
from indexer.rebuild import row_status, row_values
from repo_store import WorkflowRepo
from repo_store.history import HistoryUnreadable, read_version
from repo_store.refcheck import RefSnapshot
from schemas.history import Trailer, VersionRecord, draft_ref
from service.healing.invariants import Finding

_SHOWN = 80  # characters of a value quoted in a finding (a definition can be long)


def history_findings(
    repo: WorkflowRepo, snapshot: RefSnapshot, workflow: Workflow, rows: Sequence[WorkflowVersion]
) -> list[Finding]:
    """One finding per column that differs from git, and per version git cannot tell."""
    behind = snapshot.watermark != workflow.git_head
    flagged = {issue.ref for issue in snapshot.issues}
    current_id = snapshot.main.trailers.get(Trailer.VERSION_ID) if snapshot.main else None
    found: list[Finding] = []
    for row in rows:
        ref = draft_ref(row.version_number)
        head = snapshot.drafts.get(row.version_number)
        if head is None or ref in flagged:
            continue  # the ref checks report it
        try:
            record = read_version(repo, row.version_number, head.sha, current_id)
        except HistoryUnreadable as exc:
            found.append(Finding("history-unreadable", row.version_number, str(exc), ref=ref))
            continue
        if not behind and record.commit_sha == row.commit_sha:
            found.extend(_mismatches(record, row, ref))
    return found


def _mismatches(record: VersionRecord, row: WorkflowVersion, ref: str) -> list[Finding]:
    """The row's columns against the record reindex would rebuild it from."""
    wanted = row_values(record) | {"status": row_status(record, row)}
    return [
        Finding(
            "history-mismatch",
            row.version_number,
            f"v{row.version_number}'s {name} is {_shown(getattr(row, name))}, git says {_shown(value)}",
            ref=ref,
        )
        for name, value in wanted.items()
        if getattr(row, name) != value
    ]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
