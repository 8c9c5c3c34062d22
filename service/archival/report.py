"""Archival reports: what a run archived and, rule by rule, what the retention rules
kept, so an auditor can keep a record of what went and why the rest stayed.

Written by each batch of the run in the batch's own transaction (the lines of a batch
commit with the archival they describe, and the last batch also completes the run), so
a completed run cannot lack its report and a resumed run never writes a batch twice.
Read back as JSON or CSV in keyset pages, each in a short transaction of its own: the
download streams, whatever the run's size, in memory bounded by one page.
"""

import csv
import io
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row

from indexer import archival as sql
from indexer import archival_report as lines
from indexer.models import ArchivalRun, Workflow
from schemas.archival import KeptBy, last_activity
from schemas.archival_report import (
    COLUMNS,
    IDLE,
    RULES,
    Outcome,
    ReportFormat,
    archived_reason,
    kept_reason,
    spreadsheet_safe,
)
from schemas.timestamps import rfc3339
from service.auth import Principal
from service.container import Container
from service.errors import Problem

PAGE = 1000  # lines per read transaction while streaming
CREATED, READ = "archival_report", "archival_report_read"


class ArchivalRunNotFound(Problem):
    status_code, title, slug = 404, "Archival run not found", "archival-run-not-found"


class ReportNotReady(Problem):
    status_code, title, slug = 409, "Report not ready", "report-not-ready"


def batch_lines(
    run: ArchivalRun,
    flows: Mapping[uuid.UUID, Workflow],
    verdicts: Sequence[tuple[sql.VersionFacts, list[KeptBy]]],
    archived: Sequence[sql.Archived],
) -> list[dict[str, Any]]:
    """A batch's report lines: each version it archived, and each (version, rule) that
    kept one. A version chosen but not changed (archived or held meanwhile by someone
    else, the UPDATE's re-check) is in neither: this run did not archive it."""
    changed = {item.id for item in archived}
    found: list[dict[str, Any]] = []
    for facts, reasons in verdicts:
        activity = last_activity(facts)
        if not reasons and facts.id in changed:
            reason = archived_reason(activity, cutoff=run.cutoff, keep=run.keep_versions)
            found.append(_line(run, flows, facts, Outcome.ARCHIVED, IDLE, reason, activity))
        published = max((m for m in (facts.published_at, facts.unarchived_at) if m), default=None)
        for rule in reasons:
            reason = kept_reason(
                rule,
                cutoff=run.cutoff,
                keep=run.keep_versions,
                last_execution=facts.last_execution_at,
                published=published,
            )
            found.append(_line(run, flows, facts, Outcome.KEPT, rule.value, reason, activity))
    return found


def _line(
    run: ArchivalRun,
    flows: Mapping[uuid.UUID, Workflow],
    facts: sql.VersionFacts,
    outcome: Outcome,
    rule: str,
    reason: str,
    activity: datetime | None,
) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "tenant_id": run.tenant_id,
        "outcome": outcome.value,
        "rule": rule,
        "reason": reason,
        "workflow_id": facts.workflow_id,
        "workflow_name": flows[facts.workflow_id].name,
        "version_id": facts.id,
        "version_number": facts.version_number,
        "commit_sha": facts.commit_sha,
        "last_activity_at": activity,
    }


def creation_audit(run: ArchivalRun, at: datetime, line_count: int) -> dict[str, Any]:
    """The audit entry of a finished run's report, written with the run's completion:
    tenant-wide (no workflow) unless the run covered one workflow."""
    return {
        "tenant_id": run.tenant_id,
        "workflow_id": run.workflow_id,
        "version_id": None,
        "action": CREATED,
        "actor_id": run.triggered_by,
        "created_at": at,
        "details": {
            "run_id": str(run.id),
            "trigger": run.trigger,
            "status": run.status,
            "archived": run.archived,
            "lines": line_count,
        },
    }


def open_report(
    container: Container, principal: Principal, run_id: uuid.UUID, report_format: ReportFormat
) -> ArchivalRun:
    """The run whose report is about to be read, once the read is in the audit log (an
    auditor's copy leaving the service is itself a fact to keep). A running run has no
    report yet; a failed one has the report of the batches it committed."""
    tenant = principal.tenant_id
    with container.uow(tenant, write=True) as uow:
        run = sql.get_run(uow.session, tenant, run_id)
        if run is None:
            raise ArchivalRunNotFound(f"no archival run {run_id}")
        if run.status == "running":
            raise ReportNotReady(f"archival run {run_id} is still running")
        details = {"run_id": str(run.id), "format": report_format}
        entry = {
            "tenant_id": tenant,
            "workflow_id": run.workflow_id,
            "version_id": None,
            "action": READ,
            "actor_id": principal.user_id,
            "created_at": container.clock(),
            "details": details,
        }
        sql.add_audits(uow.session, [entry])
        uow.commit()
        return run


def _pages(container: Container, tenant: str, run_id: uuid.UUID) -> Iterator[Sequence[Row[Any]]]:
    after: lines.Position | None = None
    while True:
        with container.uow(tenant) as uow:
            found = lines.page(uow.session, tenant, run_id, after=after, limit=PAGE)
        if not found:
            return
        yield found
        if len(found) < PAGE:
            return
        last = found[-1]
        after = lines.Position(last.outcome, last.rule, last.id)


def _json_line(entry: Row[Any]) -> dict[str, Any]:
    return {
        "workflow_id": entry.workflow_id,
        "workflow_name": entry.workflow_name,
        "version_id": entry.version_id,
        "version_number": entry.version_number,
        "commit_sha": entry.commit_sha,
        "last_activity_at": rfc3339(entry.last_activity_at) if entry.last_activity_at is not None else None,
        "rule": entry.rule,
        "reason": entry.reason,
    }


def stream_json(container: Container, run: ArchivalRun, run_document: dict[str, Any]) -> Iterator[bytes]:
    """``{"run": …, "rules": …, "archived": [lines], "kept": {rule: [lines]}}``, written
    as the pages arrive (orjson per line: no document is ever whole in memory)."""
    yield b'{"run":' + orjson.dumps(run_document) + b',"rules":' + orjson.dumps(RULES)
    yield b',"archived":['
    section, rule, first = Outcome.ARCHIVED.value, "", True
    for found in _pages(container, run.tenant_id, run.id):
        chunk = bytearray()
        for entry in found:
            if entry.outcome != section:  # archived lines end, kept ones begin
                chunk += b'],"kept":{'
                section, rule, first = entry.outcome, "", True
            if section == Outcome.KEPT and entry.rule != rule:
                chunk += (b"" if rule == "" else b"],") + orjson.dumps(entry.rule) + b":["
                rule, first = entry.rule, True
            chunk += (b"" if first else b",") + orjson.dumps(_json_line(entry))
            first = False
        yield bytes(chunk)
    if section == Outcome.ARCHIVED:
        yield b'],"kept":{}}'
    else:
        yield b"]}}"


def stream_csv(container: Container, run: ArchivalRun) -> Iterator[bytes]:
    """One CSV line per report line (``COLUMNS``), every text cell guarded against being
    read as a formula; the csv module quotes newlines and quotes inside names, so user text
    never forges a row."""
    buffer = io.StringIO()
    out = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    out.writerow(COLUMNS)
    yield buffer.getvalue().encode()
    for found in _pages(container, run.tenant_id, run.id):
        buffer.seek(0)
        buffer.truncate()
        for entry in found:
            out.writerow(_csv_cells(entry))
        yield buffer.getvalue().encode()


def _csv_cells(entry: Row[Any]) -> list[str | int]:
    moment = rfc3339(entry.last_activity_at) if entry.last_activity_at is not None else ""
    return [
        entry.outcome,
        entry.rule,
        spreadsheet_safe(entry.reason),
        str(entry.workflow_id),
        spreadsheet_safe(entry.workflow_name),
        str(entry.version_id),
        entry.version_number,
        entry.commit_sha,
        moment,
    ]


def filename(run: ArchivalRun, report_format: ReportFormat) -> str:
    """Only a uuid and a fixed word: nothing a user typed reaches the header."""
    return f"archival-report-{run.id}.{report_format}"
