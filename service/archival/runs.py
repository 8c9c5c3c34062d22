"""Scheduled archival: versions idle past the retention policy become ``archived``.

A run visits one tenant (row-level security binds the service role to one tenant per
transaction) in batches of workflows, one transaction per batch, so it never holds many
locks for long and a killed worker loses at most one batch. Two guards make concurrent
runs harmless: one ``running`` row per tenant (a partial unique index), and within a
batch the workflows' row locks plus an UPDATE that re-checks status, current flag and
hold, counting only the rows it changed. Git history stays whole (archived versions stay
readable and comparable); what git gains is each archived version's state on
``refs/wfv/state``, one state commit per workflow touched (``service.archival.state_in_git``), so a
reindex brings archived versions back archived.
"""

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from indexer import archival as sql
from indexer import archival_report as report_lines
from indexer.models import ArchivalRun, Workflow
from repo_store import RepoNotFound
from schemas.archival import (
    BY_EXECUTIONS,
    STRUCTURAL,
    ArchivalCandidates,
    ArchivalRunPublic,
    KeptBy,
    VersionCandidate,
    kept_by,
    last_activity,
    ranks,
)
from schemas.state import STATE_REF, VersionState
from schemas.timestamps import rfc3339
from service.archival import report as reports
from service.archival.state_in_git import StateChange, record_states, with_backfill
from service.container import Container
from service.errors import Problem, RefsMoved, WorkflowNotFound
from service.executions.draining import Drained, Shown, measure
from service.healing.reconcile import needs_healing, reconcile
from service.settings import Settings
from service.uow import UnitOfWork
from service.webhooks.events import Event, emit_all

log = logging.getLogger("wfv.archival")
SYSTEM_ACTOR = "system:archival"
# A running run whose heartbeat is older than this was left by a dead worker: resumable.
STALE_AFTER = timedelta(minutes=10)


class ArchivalInProgress(Problem):
    status_code, title, slug = 409, "Archival in progress", "archival-in-progress"


@dataclass(frozen=True)
class Policy:
    cutoff: datetime
    keep: int
    batch: int

    @classmethod
    def of(cls, settings: Settings, now: datetime) -> "Policy":
        return cls(
            cutoff=now - timedelta(days=settings.archive_after_days),
            keep=settings.keep_versions,
            batch=settings.archival_batch_workflows,
        )


Verdict = tuple[sql.VersionFacts, list[KeptBy]]


def judge(facts: Sequence[sql.VersionFacts], policy: Policy) -> list[Verdict]:
    """Every draft or active version of these workflows with the rules that keep it."""
    by_workflow: dict[uuid.UUID, list[sql.VersionFacts]] = {}
    for row in facts:
        by_workflow.setdefault(row.workflow_id, []).append(row)
    verdicts: list[Verdict] = []
    for rows in by_workflow.values():
        places = ranks(rows)
        for row in sorted(rows, key=lambda r: r.version_number):
            if row.status != "archived":
                rank = places.get(row.version_number)
                verdicts.append((row, kept_by(row, rank, keep=policy.keep, cutoff=policy.cutoff)))
    return verdicts


def _tally(verdicts: Sequence[Verdict]) -> Counter[str]:
    return Counter(reasons[0].value for _, reasons in verdicts if reasons)


def _workflows(
    uow: UnitOfWork,
    tenant: str,
    policy: Policy,
    only: uuid.UUID | None,
    *,
    lock: bool,
    after: uuid.UUID | None,
) -> list[uuid.UUID]:
    return sql.workflow_batch(uow.session, tenant, after=after, limit=policy.batch, only=only, lock=lock)


def preview(
    uow: UnitOfWork, tenant: str, *, now: datetime, workflow_id: uuid.UUID | None, limit: int
) -> ArchivalCandidates:
    """What a run at ``now`` would archive, and the near-misses (one rule alone keeps them)."""
    policy = Policy.of(uow.services.settings, now)
    _require_workflow(uow, tenant, workflow_id)
    report = ArchivalCandidates(
        cutoff=policy.cutoff,
        keep_versions=policy.keep,
        examined=0,
        would_archive=0,
        skipped={},
        candidates=[],
        near_misses=[],
        waiting_to_empty=[],
        truncated=False,
    )
    skipped: Counter[str] = Counter()
    listed: dict[str, list[Verdict]] = {"candidates": [], "near_misses": [], "waiting_to_empty": []}
    after: uuid.UUID | None = None
    while batch := _workflows(uow, tenant, policy, workflow_id, lock=False, after=after):
        verdicts = judge(sql.version_facts(uow.session, tenant, batch), policy)
        report.examined += len(verdicts)
        skipped += _tally(verdicts)
        for row, reasons in verdicts:
            report.would_archive += 0 if reasons else 1
            for part in _parts(reasons):
                if len(listed[part]) >= limit:
                    report.truncated = True
                else:
                    listed[part].append((row, reasons))
        after = batch[-1]
    report.skipped = dict(skipped)
    # Once for every listed version, set-based: a version kept by its live executions
    # waits for the last to leave (then for the recent-executions age), and the projection
    # says when that will be at the pace of the last 24 hours.
    shown = [Shown(row.id, row.workflow_id, row.is_current) for part in listed.values() for row, _ in part]
    drained = measure(uow, tenant, shown, now)
    for part, verdicts in listed.items():
        setattr(report, part, [_candidate(row, reasons, drained[row.id]) for row, reasons in verdicts])
    return report


def _parts(reasons: list[KeptBy]) -> list[str]:
    """The lists of the preview a version with these reasons belongs to: ``candidates``
    (none), ``near_misses`` (one rule alone, one an admin can wait out or lift), and
    ``waiting_to_empty`` (live executions and nothing but its executions keep it: it becomes
    archivable once empty and idle, which only its drain can tell; a version that still
    has live contacts always has this second rule, so a near-miss list alone never shows
    one whose contacts are still leaving)."""
    parts = []
    if not reasons:
        parts.append("candidates")
    elif len(reasons) == 1 and reasons[0] not in STRUCTURAL:
        parts.append("near_misses")
    if KeptBy.LIVE_EXECUTIONS in reasons and set(reasons) <= BY_EXECUTIONS:
        parts.append("waiting_to_empty")
    return parts


def _candidate(row: sql.VersionFacts, reasons: list[KeptBy], drained: Drained) -> VersionCandidate:
    return VersionCandidate(
        workflow_id=row.workflow_id,
        version_id=row.id,
        version_number=row.version_number,
        last_activity_at=last_activity(row),
        kept_by=reasons,
        active_executions=drained.live,
        drain=drained.drain,
    )


def _require_workflow(uow: UnitOfWork, tenant: str, workflow_id: uuid.UUID | None) -> None:
    if workflow_id is not None and not sql.workflow_batch(
        uow.session, tenant, after=None, limit=1, only=workflow_id, lock=False
    ):
        raise WorkflowNotFound(f"no workflow {workflow_id}")


def dry_run(
    container: Container, tenant: str, *, actor: str, now: datetime, workflow_id: uuid.UUID | None
) -> ArchivalRunPublic:
    """A run's counts without a change or a record."""
    with container.uow(tenant) as uow:
        report = preview(uow, tenant, now=now, workflow_id=workflow_id, limit=0)
    return ArchivalRunPublic(
        id=None,
        status="dry_run",
        trigger="manual",
        triggered_by=actor,
        workflow_id=workflow_id,
        started_at=now,
        finished_at=container.clock(),
        cutoff=report.cutoff,
        keep_versions=report.keep_versions,
        batches=0,
        examined=report.examined,
        archived=report.would_archive,
        skipped=report.skipped,
    )


def _claim(
    container: Container,
    tenant: str,
    *,
    trigger: str,
    actor: str,
    now: datetime,
    workflow_id: uuid.UUID | None,
) -> uuid.UUID:
    """Start a run, or take over this tenant's stalled one; refuse while one is alive."""
    policy = Policy.of(container.settings, now)
    with container.uow(tenant, write=True) as uow:
        _require_workflow(uow, tenant, workflow_id)
        existing = sql.running_run(uow.session, tenant)
        if existing is not None:
            if existing.heartbeat_at > now - STALE_AFTER or not sql.take_over(
                uow.session, existing, existing.heartbeat_at, now
            ):
                raise ArchivalInProgress(f"run {existing.id} is archiving this tenant's versions")
            log.warning("resuming stalled archival run %s of %s", existing.id, tenant)
            uow.commit()
            return existing.id
        run = ArchivalRun(
            id=uuid.uuid4(),
            tenant_id=tenant,
            trigger=trigger,
            triggered_by=actor,
            workflow_id=workflow_id,
            status="running",
            started_at=now,
            heartbeat_at=now,
            cutoff=policy.cutoff,
            keep_versions=policy.keep,
            batches=0,
            examined=0,
            archived=0,
            skipped={},
        )
        if not sql.start_run(uow.session, run):
            raise ArchivalInProgress("another run is archiving this tenant's versions")
        uow.commit()
        return run.id


def _batch(container: Container, tenant: str, run_id: uuid.UUID, clock: Callable[[], datetime]) -> bool:
    """Archive one batch of workflows; False once the run has reached the end."""
    with container.uow(tenant, write=True) as uow:
        run = sql.get_run(uow.session, tenant, run_id, lock=True)
        if run is None or run.status != "running":
            return False  # finished by a worker that took it over meanwhile
        batch_size = container.settings.archival_batch_workflows
        policy = Policy(cutoff=run.cutoff, keep=run.keep_versions, batch=batch_size)
        batch = _workflows(uow, tenant, policy, run.workflow_id, lock=True, after=run.cursor)
        flows = _writable(uow, tenant, batch)
        verdicts = judge(sql.version_facts(uow.session, tenant, list(flows)), policy)
        now = clock()
        chosen = [row.id for row, reasons in verdicts if not reasons]
        changed = sql.archive_versions(uow.session, tenant, chosen, now)
        _record_in_git(uow, flows, changed, run, now)
        sql.add_audits(uow.session, [_audit_row(tenant, run, item, now) for item in changed])
        emit_all(uow, tenant, [_archived_event(run, item, now) for item in changed])
        report_lines.add_entries(uow.session, reports.batch_lines(run, flows, verdicts, changed))
        skipped = Counter(run.skipped) + _tally(verdicts)
        run.examined += len(verdicts)
        run.archived += len(changed)
        run.skipped, run.batches, run.heartbeat_at = dict(skipped), run.batches + 1, now
        run.cursor = batch[-1] if batch else run.cursor
        more = len(batch) == policy.batch
        if not more:
            _end(uow, run, "completed", now)
        uow.commit()
        return more


def _end(uow: UnitOfWork, run: ArchivalRun, status: str, at: datetime) -> None:
    """The run's last word, and its report's audit entry in the same transaction."""
    run.status, run.finished_at = status, at
    uow.session.flush()
    line_count = report_lines.count(uow.session, run.tenant_id, run.id)
    sql.add_audits(uow.session, [reports.creation_audit(run, at, line_count)])


def _writable(uow: UnitOfWork, tenant: str, batch: Sequence[uuid.UUID]) -> dict[uuid.UUID, Workflow]:
    """The batch's workflows (locked) whose git can take a state commit: healed first where
    git is ahead of the index. One whose refs were moved by hand sits this run out (logged
    at ERROR by the refusal; the reconcile task records it), not the whole tenant."""
    found = {}
    for workflow in sql.workflows(uow.session, tenant, batch):
        try:
            if needs_healing(uow, workflow):
                reconcile(uow, workflow)
            elif uow.read_ref(workflow.id, STATE_REF) != workflow.state_head:
                log.error("archival skips workflow %s: %s is not where wfv left it", workflow.id, STATE_REF)
                continue
        except (RefsMoved, RepoNotFound) as exc:  # a missing repository: `wfv check` reports it
            log.error("archival skips workflow %s: %s", workflow.id, exc)
            continue
        found[workflow.id] = workflow
    return found


def _record_in_git(
    uow: UnitOfWork,
    flows: dict[uuid.UUID, Workflow],
    changed: Sequence[sql.Archived],
    run: ArchivalRun,
    at: datetime,
) -> None:
    """One state commit per workflow touched: the rows changed set-based, git follows."""
    states: dict[uuid.UUID, dict[int, VersionState]] = {}
    for item in changed:
        state = VersionState(
            number=item.number, version_id=item.id, archived_at=at, unarchived_at=item.unarchived_at
        )
        states.setdefault(item.workflow_id, {})[item.number] = state
    merged = with_backfill(uow, flows.values(), states)
    changes = []
    for workflow_id, archived in states.items():
        numbers = ", ".join(f"v{number}" for number in sorted(archived))
        message = f"Archive {len(archived)} version(s)\n\nArchival run {run.id}: {numbers}\n"
        changes.append(StateChange(flows[workflow_id], merged[workflow_id], message))
    record_states(uow, changes, when=at)


def _archived_event(run: ArchivalRun, item: sql.Archived, at: datetime) -> Event:
    data = {
        "version_id": str(item.id),
        "version_number": item.number,
        "run_id": str(run.id),
        "trigger": run.trigger,
    }
    return Event("version.archived", item.workflow_id, data, at)


def _audit_row(tenant: str, run: ArchivalRun, item: sql.Archived, at: datetime) -> dict[str, Any]:
    version_id, workflow_id, number, _ = item
    return {
        "tenant_id": tenant,
        "workflow_id": workflow_id,
        "version_id": version_id,
        "action": "archive",
        "actor_id": run.triggered_by,
        "created_at": at,
        "details": {
            "version_number": number,
            "run_id": str(run.id),
            "idle_since_before": rfc3339(run.cutoff),
            "keep_versions": run.keep_versions,
        },
    }


def _fail(container: Container, tenant: str, run_id: uuid.UUID, error: BaseException) -> None:
    with container.uow(tenant, write=True) as uow:
        run = sql.get_run(uow.session, tenant, run_id, lock=True)
        if run is not None and run.status == "running":
            run.error = repr(error)[:2000]
            _end(uow, run, "failed", container.clock())  # the batches it committed are reported
            uow.commit()


def run_archival(
    container: Container,
    tenant: str,
    *,
    trigger: str,
    actor: str,
    workflow_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> ArchivalRun:
    """Archive what the policy allows in this tenant (or one workflow), batch by batch."""
    clock = container.clock
    run_id = _claim(
        container, tenant, trigger=trigger, actor=actor, now=now or clock(), workflow_id=workflow_id
    )
    return carry_on(container, tenant, run_id)


def carry_on(container: Container, tenant: str, run_id: uuid.UUID) -> ArchivalRun:
    """Run a claimed run's batches from its cursor to the end. Also how a run a killed
    worker left ``running`` is resumed: each batch takes the run's row lock and re-reads the
    cursor, so two workers carrying on the same run take batches in turn, never twice."""
    try:
        while _batch(container, tenant, run_id, container.clock):
            pass
    except Exception as exc:
        # Recorded so the runs list says what happened; the next run starts afresh.
        _fail(container, tenant, run_id, exc)
        raise
    with container.uow(tenant) as uow:
        run = sql.get_run(uow.session, tenant, run_id)
        assert run is not None
        return run


def running_run_id(container: Container, tenant: str) -> uuid.UUID | None:
    """The tenant's run left ``running`` (at most one: a partial unique index)."""
    with container.uow(tenant) as uow:
        run = sql.running_run(uow.session, tenant)
        return run.id if run is not None else None


def run_all_tenants(container: Container, tenants: Sequence[str], *, trigger: str) -> dict[str, int]:
    """The scheduled run: every tenant in turn; a tenant busy elsewhere is skipped (its
    running run covers it), and one tenant's failure does not stop the others."""
    archived: dict[str, int] = {}
    for tenant in tenants:
        try:
            run = run_archival(container, tenant, trigger=trigger, actor=SYSTEM_ACTOR)
        except ArchivalInProgress as busy:
            log.info("archival of %s skipped: %s", tenant, busy.detail)
            continue
        except Exception:
            log.exception("archival of %s failed", tenant)
            continue
        archived[tenant] = run.archived
    return archived


def public(run: ArchivalRun) -> ArchivalRunPublic:
    return ArchivalRunPublic.model_validate(run)


def newest_runs(uow: UnitOfWork, tenant: str, limit: int) -> list[ArchivalRun]:
    """The tenant's archival runs, newest first."""
    return list(sql.list_runs(uow.session, tenant, limit))
