"""The chaos run's audit: every write the service acknowledged, looked for the way an
auditor would, once the load has stopped and the stack has healed.

A write whose answer never came (connection cut, timeout) or was a 5xx has an UNKNOWN
outcome: it may have happened. Acknowledged writes must all be there, exactly once;
unknown ones may be there at most once; refused ones (409, 412, 503...) must have changed
nothing. The audit log is the server's own order of events and what the counts are taken
from. Each finding is a LOST write (acknowledged, not there), a DUPLICATED one (there more
often than anything sent could explain), or another failed check.
"""

import hashlib
import subprocess
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bench.chaos_load import Answer, Ledger, Written, content_hash
from bench.chaos_stack import ORG, ChaosStack
from indexer import drafts as draft_rows
from indexer.drafts import DraftKey
from indexer.models import AuditEntry, Execution, VersionMigration, Workflow, WorkflowVersion
from schemas.migrations import TERMINAL
from tests.faults.checks import consistency_problems, durability_problems

# The write ops and the audit action each acknowledgement leaves (migrations: their start).
AUDITED = {
    "create_workflow": "create_workflow",
    "create_version": "create",
    "edit": "update",
    "publish": "publish",
    "rollback": "rollback",
    "migrate_immediate": "migration_start",
    "migrate_gradual": "migration_start",
    "migrate_cancel": "migration_cancel",
}


@dataclass
class Findings:
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.failed)


def unknown(answers: list[Answer]) -> list[Answer]:
    """The answers that leave a write's outcome open: none at all, or a 5xx."""
    return [a for a in answers if a.op not in ("list", "read") and (a.status is None or a.status >= 500)]


def audit(stack: ChaosStack, ledger: Ledger, base: str, made: set[str]) -> Findings:
    """``made``: the workflows the run made itself, outside the API (the faults' migrations)."""
    found = Findings()
    written, answers = ledger.writes(), list(ledger.answers)
    _audit_counts(stack, written, answers, made, found)
    _versions(stack, written, answers, found)
    _current(stack, found)
    _drafts(stack, written, answers, base, found)
    _enrolments(stack, written, found)
    _migrations(stack, written, found)
    problems = consistency_problems(stack.stack.container)
    found.failed += [f"wfv check: {p}" for p in problems]
    found.checked["wfv check"] = 1
    _clones(stack, found)
    return found


def _audit_counts(
    stack: ChaosStack, written: list[Written], answers: list[Answer], made: set[str], found: Findings
) -> None:
    """Per workflow and action: acknowledged <= audited <= acknowledged + unknown (for the
    workflows the run made itself, only what it asked of them since)."""
    acked = Counter((w.workflow_id, AUDITED[w.op]) for w in written if w.op in AUDITED)
    maybe = Counter((a.workflow_id, AUDITED[a.op]) for a in unknown(answers) if a.op in AUDITED)
    with stack.stack.container.uow(ORG) as uow:
        rows = uow.session.execute(
            select(AuditEntry.workflow_id, AuditEntry.action, func.count()).group_by(
                AuditEntry.workflow_id, AuditEntry.action
            )
        ).all()
    audited = Counter({(str(w), action): n for w, action, n in rows})
    for key in set(acked) | {k for k in audited if k[1] in AUDITED.values()}:
        workflow_id, action = key
        if not workflow_id:
            continue  # create_workflow answers that never came name no workflow
        if workflow_id in made and action in ("create_workflow", "create", "publish"):
            continue
        found.checked["audited (workflow, action)"] += 1
        if audited[key] < acked[key]:
            found.lost.append(f"{workflow_id} {action}: {acked[key]} acknowledged, {audited[key]} audited")
        elif audited[key] > acked[key] + maybe[key] + _unnamed(key, maybe):
            found.duplicated.append(
                f"{workflow_id} {action}: {audited[key]} audited, "
                f"{acked[key]} acknowledged, {maybe[key]} unknown"
            )


def _unnamed(key: tuple[str, str], maybe: Counter[tuple[str, str]]) -> int:
    """A creation whose answer never came names no workflow: it may be any new one."""
    return maybe[("", key[1])] if key[1] == "create_workflow" else 0


def _versions(stack: ChaosStack, written: list[Written], answers: list[Answer], found: Findings) -> None:
    """The content sent is in git (at the acknowledged commit) and in the index (the
    version's definition is the newest acknowledged content, unless an edit of unknown
    outcome followed it); version numbers 1..n, no gap, no duplicate."""
    container = stack.stack.container
    acks = [w.ack for w in written if w.ack is not None]
    found.lost += durability_problems(container, acks, org=ORG)
    uncertain = {a.version_id for a in unknown(answers) if a.op == "edit"}
    newest: dict[str, Written] = {}
    with container.uow(ORG) as uow:
        rows = {str(v.id): v for v in uow.session.scalars(select(WorkflowVersion))}
        flows = {str(w.id): w for w in uow.session.scalars(select(Workflow))}
    for w in written:
        if w.ack is None or w.content is None:
            continue
        found.checked["version contents"] += 1
        repo = container.store.open(ORG, uuid.UUID(w.workflow_id))
        stored = hashlib.sha256(repo.read_document(w.ack.commit_sha)).hexdigest()
        if stored != w.content:
            found.lost.append(f"{w.op} {w.workflow_id} v{w.ack.version_number}: git holds other content")
        if w.ack.version_id not in newest or newest[w.ack.version_id].ack.lock_version < w.ack.lock_version:  # type: ignore[union-attr]
            newest[w.ack.version_id] = w
    for version_id, w in newest.items():
        row = rows.get(version_id)
        if row is None or version_id in uncertain:
            continue  # a missing row is reported by durability_problems
        if content_hash(row.definition) != w.content:
            found.lost.append(
                f"{w.workflow_id} v{row.version_number}: the index lacks the newest acknowledged content"
            )
    numbers: dict[str, list[int]] = defaultdict(list)
    for row in rows.values():
        numbers[str(row.workflow_id)].append(row.version_number)
    for workflow_id, seen in numbers.items():
        found.checked["version numbering"] += 1
        if sorted(seen) != list(range(1, len(seen) + 1)):
            found.failed.append(f"{workflow_id}: version numbers {sorted(seen)} are not 1..{len(seen)}")
        last = flows[workflow_id].last_version_number
        if last != len(seen):
            found.failed.append(f"{workflow_id}: last_version_number {last}, {len(seen)} rows")


def _current(stack: ChaosStack, found: Findings) -> None:
    """The current version is the one the LAST publish or rollback in the audit log (the
    server's order) made current; every acknowledged one is in that log (checked above)."""
    with stack.stack.container.uow(ORG) as uow:
        entries = uow.session.execute(
            select(AuditEntry.workflow_id, AuditEntry.version_id)
            .where(AuditEntry.action.in_(("publish", "rollback")))
            .order_by(AuditEntry.id)
        ).all()
        flows = {w.id: w for w in uow.session.scalars(select(Workflow))}
        current = {
            v.workflow_id: v.id
            for v in uow.session.scalars(select(WorkflowVersion).where(WorkflowVersion.is_current))
        }
    last = {row[0]: row[1] for row in entries if row[0] is not None}  # publishes name their workflow
    for workflow_id, version_id in last.items():
        found.checked["current versions"] += 1
        if flows[workflow_id].current_version_id != version_id or current.get(workflow_id) != version_id:
            found.failed.append(
                f"{workflow_id}: current is not {version_id}, the last publish/rollback audited"
            )


def _drafts(
    stack: ChaosStack, written: list[Written], answers: list[Answer], base: str, found: Findings
) -> None:
    """Each user's newest acknowledged save of a version still a draft is what a restore
    gives (a newer one only after a save of unknown outcome), and what the database holds
    once the write-behind ran."""
    newest: dict[tuple[str, str], Written] = {}
    for w in written:
        if w.op == "draft_save" and w.version_id is not None and w.revision is not None:
            key = (w.user, w.version_id)
            if key not in newest or (newest[key].revision or 0) < w.revision:
                newest[key] = w
    uncertain = {(a.version_id) for a in unknown(answers) if a.op == "draft_save"}
    container = stack.stack.container
    with container.uow(ORG) as uow:
        statuses = {
            str(v.id): (v.status, v.version_number) for v in uow.session.scalars(select(WorkflowVersion))
        }
    for (user, version_id), w in sorted(newest.items()):
        status, number = statuses[version_id]
        if status != "draft":
            found.checked["drafts ended by publish"] += 1
            continue
        found.checked["drafts restored"] += 1
        headers = {"Authorization": f"Bearer {stack.stack.token(user, ORG)}"}
        url = f"{base}/api/v1/workflows/{w.workflow_id}/versions/{number}/draft"
        restored = httpx.get(url, headers=headers, timeout=10)
        if restored.status_code != 200:
            found.lost.append(f"{user}'s draft of {version_id}: restore answered {restored.status_code}")
            continue
        body = restored.json()
        revision = int(body["revision"])
        if revision == w.revision and content_hash(body["definition"]) != w.content:
            found.lost.append(f"{user}'s draft of {version_id} r{revision}: other content restored")
        elif revision < (w.revision or 0) or (revision > (w.revision or 0) and version_id not in uncertain):
            found.lost.append(
                f"{user}'s draft of {version_id}: restored r{revision}, newest acknowledged r{w.revision}"
            )
        draft_key = DraftKey(ORG, uuid.UUID(w.workflow_id), uuid.UUID(version_id), user)
        deadline = time.monotonic() + 15
        while True:
            with container.uow(ORG) as uow:
                row = draft_rows.get_draft(uow.session, draft_key)
            if row is not None and row.revision == revision:
                break
            if time.monotonic() > deadline:
                stored = row.revision if row else None
                found.lost.append(
                    f"{user}'s draft of {version_id}: the database holds r{stored}, not r{revision}"
                )
                break
            time.sleep(0.2)


def _enrolments(stack: ChaosStack, written: list[Written], found: Findings) -> None:
    """Every acknowledged contact enrolled exactly once; none at all twice."""
    with stack.stack.container.uow(ORG) as uow:
        rows = uow.session.execute(
            select(Execution.workflow_id, Execution.contact_id, func.count()).group_by(
                Execution.workflow_id, Execution.contact_id
            )
        ).all()
    counts = {(str(w), c): n for w, c, n in rows}
    for (workflow_id, contact), n in counts.items():
        if n > 1:
            found.duplicated.append(f"{workflow_id}: contact {contact} enrolled {n} times")
    for w in written:
        if w.op != "enrol":
            continue
        for contact in w.contacts:
            found.checked["enrolled contacts"] += 1
            if counts.get((w.workflow_id, contact), 0) == 0:
                found.lost.append(f"{w.workflow_id}: acknowledged enrolment of {contact} is missing")


def _migrations(stack: ChaosStack, written: list[Written], found: Findings) -> None:
    """Every acknowledged migration ended (completed, cancelled or halted); none moved
    more than it planned; what each reports moved (and no later migration moved on) sits
    on its target version."""
    with stack.stack.container.uow(ORG) as uow:
        migrations = {str(m.id): m for m in uow.session.scalars(select(VersionMigration))}
        placed = uow.session.execute(
            select(Execution.last_migration_id, Execution.version_id, func.count())
            .where(Execution.last_migration_id.is_not(None))
            .group_by(Execution.last_migration_id, Execution.version_id)
        ).all()
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    for mover, version_id, n in placed:
        moved[str(mover)][str(version_id)] += n
    for w in written:
        if w.migration_id is not None and w.migration_id not in migrations:
            found.lost.append(f"acknowledged migration {w.migration_id} has no row")
        elif w.op == "migrate_cancel" and migrations[str(w.migration_id)].status != "cancelled":
            found.lost.append(
                f"acknowledged cancel of {w.migration_id}: it is {migrations[str(w.migration_id)].status}"
            )
    for migration_id, m in migrations.items():
        found.checked["migrations"] += 1
        if m.status not in TERMINAL:
            found.failed.append(f"migration {migration_id} is {m.status}, not ended")
        if m.status == "failed":
            found.failed.append(f"migration {migration_id} halted: {m.status_reason}")
        done = m.migrated + m.skipped + m.failed
        if done > m.total or (m.status == "completed" and done != m.total):
            found.duplicated.append(f"migration {migration_id}: {done} handled of {m.total} planned")
        elsewhere = sum(n for v, n in moved[migration_id].items() if v != str(m.target_version_id))
        if elsewhere:
            found.failed.append(
                f"migration {migration_id}: {elsewhere} executions it moved are not on its target"
            )
        if sum(moved[migration_id].values()) > m.migrated:
            found.duplicated.append(f"migration {migration_id}: more executions moved than it counts")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _clones(stack: ChaosStack, found: Findings) -> None:
    """A fresh ``git clone --mirror`` (real git, absolute paths) of every repository has
    the same refs, and every object reachable from them, as the bare repository."""
    with tempfile.TemporaryDirectory(prefix="wfv-chaos-clones-") as scratch:
        for n, path in enumerate(stack.stack.container.store.iter_repos()):
            found.checked["git clones"] += 1
            source = str(Path(path).resolve())
            target = str(Path(scratch) / f"{n}.git")
            _git("clone", "--quiet", "--mirror", source, target)
            refs = "--format=%(refname) %(objectname)"
            if _git("-C", source, "for-each-ref", refs) != _git("-C", target, "for-each-ref", refs):
                found.failed.append(f"{source}: a fresh clone's refs differ")
                continue
            objects = [
                sorted(_git("-C", repo, "rev-list", "--objects", "--all").splitlines())
                for repo in (source, target)
            ]
            if objects[0] != objects[1]:
                found.failed.append(f"{source}: a fresh clone's objects differ")
