"""The invariants between git and the index, for one workflow, as pure functions.

Each function gets what was read (version rows, a :class:`RefSnapshot`, audit entries,
execution counts) and returns ``(kind, version_number, detail, healable)`` findings;
``service.healing.check`` does the reading and turns findings into problems. ``healable``
means "the index is behind git" (git's watermark is ahead of the index's): the next access
or the reconcile task indexes what git has, so it is not an inconsistency of its own.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from indexer.models import Workflow, WorkflowVersion
from indexer.rebuild import retention_values, status_of
from repo_store.refcheck import RefSnapshot
from schemas.history import MAIN_REF, Trailer, draft_ref, tag_ref
from schemas.state import STATE_REF
from schemas.status import VersionStatus


class Finding(NamedTuple):
    kind: str
    version_number: int | None
    detail: str
    healable: bool = False
    ref: str | None = None  # the git ref at fault, where one is


LIVE = ("active", "waiting")
# The audit vocabulary (service/*.py): which actions record which change of a version.
CREATED_BY = ("create_workflow", "create", "rollback")
PUBLISHED_BY = ("publish", "rollback")
DELETED_BY = ("delete",)
EDITED_BY = ("update",)


def _published(row: WorkflowVersion) -> bool:
    return row.status != VersionStatus.DRAFT.value


def ref_findings(snapshot: RefSnapshot, workflow: Workflow, rows: Sequence[WorkflowVersion]) -> list[Finding]:
    """Refs against rows. A difference is healable only while git's watermark is ahead."""
    found = [Finding("ref-moved", None, issue.detail, ref=issue.ref) for issue in snapshot.issues]
    flagged = {issue.ref for issue in snapshot.issues}
    behind = snapshot.watermark != workflow.git_head
    numbers = {row.version_number for row in rows}
    for row in rows:
        ref = tag_ref(row.version_number) if _published(row) else draft_ref(row.version_number)
        info = (snapshot.tags if _published(row) else snapshot.drafts).get(row.version_number)
        if ref in flagged:
            continue
        if info is None:
            found.append(
                Finding(
                    "ref-moved",
                    row.version_number,
                    f"{ref} is missing; the index has v{row.version_number}",
                    ref=ref,
                )
            )
        elif info.sha != row.commit_sha:
            found.append(
                Finding(
                    "index-behind" if behind else "ref-moved",
                    row.version_number,
                    f"{ref} is at {info.sha[:12]}, the index says {row.commit_sha[:12]}",
                    behind,
                    ref,
                )
            )
        elif info.trailers.get(Trailer.VERSION_ID) != str(row.id):
            found.append(
                Finding(
                    "trailer-mismatch",
                    row.version_number,
                    f"{ref}'s Version-Id is {info.trailers.get(Trailer.VERSION_ID)}, the row's is {row.id}",
                    ref=ref,
                )
            )
    for number in sorted(set(snapshot.drafts) - numbers):
        found.append(
            Finding("index-behind", number, f"git has v{number}, the index does not", True, draft_ref(number))
            if behind
            else Finding(
                "row-missing",
                number,
                f"git has v{number} but the index lost it (wfv reindex)",
                ref=draft_ref(number),
            )
        )
    found.extend(_main_findings(snapshot, rows, behind, flagged))
    if STATE_REF not in flagged and snapshot.state != workflow.state_head:
        said = workflow.state_head or "nothing"
        detail = f"{STATE_REF} is at {snapshot.state or 'nothing'}, the index says {said}"
        found.append(Finding("index-behind" if behind else "ref-moved", None, detail, behind, STATE_REF))
    return found


def state_findings(
    snapshot: RefSnapshot, workflow: Workflow, rows: Sequence[WorkflowVersion]
) -> list[Finding]:
    """Each row's status and retention columns are what git's ``refs/wfv/state`` says
    (no state file: never archived, unarchived or held). A row changed behind git's back,
    or archived/held before git kept the state, is reported here."""
    behind = snapshot.watermark != workflow.git_head
    moved = snapshot.state != workflow.state_head and not behind
    if moved or any(issue.ref == STATE_REF for issue in snapshot.issues):
        return []  # the ref itself is reported (ref_findings); its states are not to be trusted
    found = []
    for row in rows:
        state = snapshot.states.get(row.version_number)
        wanted = retention_values(state) | {"status": status_of(_published(row), state)}
        differ = sorted(name for name, value in wanted.items() if getattr(row, name) != value)
        if differ:
            found.append(
                Finding(
                    "state-mismatch",
                    row.version_number,
                    f"v{row.version_number}'s {', '.join(differ)} differ from {STATE_REF}",
                    behind,
                    STATE_REF,
                )
            )
    return found


def _main_findings(
    snapshot: RefSnapshot, rows: Sequence[WorkflowVersion], behind: bool, flagged: set[str]
) -> list[Finding]:
    current = [row for row in rows if row.is_current]
    expected = current[0].commit_sha if len(current) == 1 else None
    actual = snapshot.main.sha if snapshot.main else None
    if MAIN_REF in flagged or actual == expected:
        return []
    said = f"v{current[0].version_number}'s {expected[:12]}" if expected else "no current version"
    detail = f"main is at {actual[:12] if actual else 'nothing'}, the index has {said}"
    return [Finding("index-behind" if behind else "ref-moved", None, detail, behind, MAIN_REF)]


def row_findings(workflow: Workflow, rows: Sequence[WorkflowVersion], behind: bool) -> list[Finding]:
    """Numbers contiguous, one current version exactly when one was published."""
    found = []
    numbers = [row.version_number for row in rows]
    if numbers != list(range(1, len(numbers) + 1)) or workflow.last_version_number != len(numbers):
        found.append(
            Finding(
                "version-gap",
                None,
                f"version numbers {numbers[:5]}{'...' if len(numbers) > 5 else ''} "
                f"(last_version_number {workflow.last_version_number}) are not 1..N",
                behind,
            )
        )
    current = [row for row in rows if row.is_current]
    if len(current) > 1 or (not current and any(_published(row) for row in rows)):
        found.append(Finding("current-version", None, f"{len(current)} current versions", behind))
    current_id = current[0].id if current else None
    if workflow.current_version_id != current_id:
        found.append(
            Finding(
                "current-version",
                None,
                f"current_version_id is {workflow.current_version_id}, the current row is {current_id}",
                behind,
            )
        )
    return found


def audit_findings(rows: Sequence[WorkflowVersion], entries: Iterable[tuple[Any, str, Any]]) -> list[Finding]:
    """Every change of a version has its audit entry (``reconcile`` covers healed ones)."""
    actions: dict[Any, Counter[str]] = {}
    healed: set[int] = set()
    for version_id, action, details in entries:
        actions.setdefault(version_id, Counter())[action] += 1
        if action == "reconcile" and isinstance(details, dict):
            healed.update(int(n) for n in details.get("versions", []))
    found = []
    for row in rows:
        if row.version_number in healed:
            continue
        seen = actions.get(row.id, Counter())
        published = _published(row)
        edits = row.lock_version - 1 - int(published) - int(row.deleted_at is not None)
        wanted = [
            ("creation", CREATED_BY, 1, True),
            ("publish", PUBLISHED_BY, 1, published),
            ("delete", DELETED_BY, 1, row.deleted_at is not None),
        ]
        for what, names, count, required in wanted:
            if required and sum(seen[name] for name in names) < count:
                found.append(
                    Finding("audit-missing", row.version_number, f"no {what} entry for v{row.version_number}")
                )
        if sum(seen[name] for name in EDITED_BY) != edits:
            found.append(
                Finding(
                    "audit-mismatch",
                    row.version_number,
                    f"v{row.version_number} was edited {edits} time(s) (lock_version {row.lock_version}) "
                    f"but has {seen['update']} update entries",
                )
            )
        if row.status == VersionStatus.ARCHIVED.value and seen["archive"] <= seen["unarchive"]:
            found.append(
                Finding("audit-missing", row.version_number, f"no archive entry for v{row.version_number}")
            )
    return found


def execution_findings(
    rows: Sequence[WorkflowVersion],
    positions: Iterable[tuple[Any, str, str | None, int]],
    duplicates: Iterable[tuple[str, int]],
) -> tuple[list[Finding], int]:
    """Executions sit on live versions of their workflow, on actions those versions have.

    ``positions``: (version_id, status, action, count); ``duplicates``: contacts live more
    than once. Returns the findings and how many executions were checked.
    """
    by_id = {row.id: row for row in rows}
    found = [
        Finding("execution-duplicate", None, f"contact {contact!r} is live {count} times")
        for contact, count in duplicates
    ]
    total = 0
    for version_id, status, action, count in positions:
        total += count
        row = by_id.get(version_id)
        if row is None or row.deleted_at is not None:
            what = "a deleted version" if row is not None else f"version {version_id}, not of this workflow"
            found.append(
                Finding(
                    "execution-version",
                    row.version_number if row else None,
                    f"{count} execution(s) on {what}",
                )
            )
            continue
        if status not in LIVE:
            continue
        ids = {str(a.get("id")) for a in row.definition.get("actions", []) if isinstance(a, dict)}
        if action not in ids:
            found.append(
                Finding(
                    "execution-position",
                    row.version_number,
                    f"{count} {status} execution(s) at {action!r}, not an action of v{row.version_number}",
                )
            )
    return found, total


def migration_findings(migrations: Iterable[tuple[Any, str, int, int, int, int, int]]) -> list[Finding]:
    """A completed migration accounts for every execution it took on, once.

    ``migrations``: (id, status, total, migrated, skipped, failed, failed items recorded).
    """
    found = []
    for migration_id, status, total, migrated, skipped, failed, failed_items in migrations:
        if status == "completed" and migrated + skipped + failed != total:
            found.append(
                Finding(
                    "migration-count",
                    None,
                    f"migration {migration_id}: {migrated} moved + {skipped} skipped + {failed} failed"
                    f" != {total}",
                )
            )
        if failed != failed_items:
            found.append(
                Finding(
                    "migration-count",
                    None,
                    f"migration {migration_id} counts {failed} failed but lists {failed_items}",
                )
            )
    return found
