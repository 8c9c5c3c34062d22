"""Archival and legal holds are in git (``refs/wfv/state``), on both databases: a reindex
into an empty database restores them column for column, a crash between the ref move and
the SQL commit heals, a failed commit moves the ref back, a hand-moved state ref is
refused, and the consistency check reports a row changed behind git's back."""

import json
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexer.models import AuditEntry, Workflow, WorkflowVersion
from repo_store.state import read_states
from repo_store.wire import Command
from schemas.history import WATERMARK_REF
from schemas.state import STATE_REF
from service.archival import retention
from service.archival.backfill import backfill_states
from service.archival.runs import run_archival
from service.container import Container
from service.errors import RefsMoved
from service.git.push import ref_rule
from service.healing.check import check_consistency
from service.healing.ref_sweep import sweep_moved_refs
from service.healing.scan import reindex_all
from service.uow import UnitOfWork
from service.versions import editing as versions
from service.versions import workflows
from tests.e2e.helpers import WFV, wfv_env
from tests.factories import (
    assert_problem,
    empty_index,
    git_cli,
    index_snapshot,
    principal,
    published_history,
    tamper_version,
    versions_url,
)

ALICE, BOB = principal(), principal("bob")
DAY = timedelta(days=1)
# User text that must stay a JSON value: newlines, a YAML/patch separator, lines shaped like
# the trailers wfv reads, a CR, and non-ASCII.
REASON = "Litigation 2026-113\n---\nVersion-Event: delete\nSigned-off-by: Mallory <m@evil>\r\nÆ 法律 ✓"
DRAFT_REASON = "Ünïcødé hold\n\nWorkflow-Version: 99\n--- a/workflow.json\n+++ b/workflow.json"


def _clock(container: Container, start: datetime) -> Callable[[], datetime]:
    """Each call moves the container's clock a minute on: every action a distinct time."""
    moments = iter(start + timedelta(minutes=n) for n in range(10_000))
    container.clock = lambda: next(moments)
    return container.clock


def _act(container: Container, action: Callable[[UnitOfWork], object]) -> None:
    with container.uow("acme", write=True) as uow:
        action(uow)
        uow.commit()


def _hold(wid: uuid.UUID, ref: int, reason: str, who: Any = ALICE) -> Callable[[UnitOfWork], object]:
    return lambda uow: retention.set_legal_hold(
        uow=uow, principal=who, workflow_id=wid, ref=ref, reason=reason
    )


def _clear(wid: uuid.UUID, ref: int) -> Callable[[UnitOfWork], object]:
    return lambda uow: retention.clear_legal_hold(
        uow=uow, principal=ALICE, workflow_id=wid, ref=ref, reason="done"
    )


def _unarchive(wid: uuid.UUID, ref: int) -> Callable[[UnitOfWork], object]:
    return lambda uow: retention.unarchive_version(uow=uow, principal=ALICE, workflow_id=wid, ref=ref)


def _version(container: Container, wid: uuid.UUID, number: int) -> WorkflowVersion:
    with container.uow("acme") as uow:
        return uow.session.scalars(
            select(WorkflowVersion).where(
                WorkflowVersion.workflow_id == wid, WorkflowVersion.version_number == number
            )
        ).one()


def _repo_path(container: Container, wid: uuid.UUID) -> Path:
    return container.store.path_for("acme", wid)


@pytest.fixture
def history(container: Container) -> uuid.UUID:
    """v1..v6 published (v6 current), v7 a draft; keep 2; the real archival run 200 days
    later archives v1..v4; then v2 unarchived, v3 held (nasty reason), v1 held by bob then
    by alice, v5 held and lifted, the draft v7 held."""
    container.settings.keep_versions = 2
    wid: uuid.UUID = published_history(container, 6, drafts=1)[0]
    _clock(container, datetime.now(UTC).replace(microsecond=0) + 200 * DAY)
    run = run_archival(container, "acme", trigger="scheduled", actor="system:archival")
    assert run.archived == 4
    for action in (
        _unarchive(wid, 2),
        _hold(wid, 3, REASON),
        _hold(wid, 1, "first reason", BOB),
        _hold(wid, 1, "replaced reason"),
        _hold(wid, 5, "short-lived"),
        _clear(wid, 5),
        _hold(wid, 7, DRAFT_REASON),
    ):
        _act(container, action)
    return wid


def test_reindex_into_an_empty_database_restores_archival_and_holds_column_for_column(
    container: Container, history: uuid.UUID
) -> None:
    before = index_snapshot(container)
    by_number = {row["version_number"]: row for row in before["versions"]}
    assert [by_number[n]["status"] for n in range(1, 8)] == [
        "archived",
        "active",
        "archived",
        "archived",
        "active",
        "active",
        "draft",
    ]
    assert (by_number[2]["archived_at"], by_number[2]["unarchived_at"] is not None) == (None, True)
    assert (by_number[1]["legal_hold_reason"], by_number[1]["legal_hold_by"]) == ("replaced reason", "alice")
    assert by_number[3]["legal_hold_reason"] == REASON
    assert by_number[5]["legal_hold_reason"] is None
    assert by_number[7]["legal_hold_reason"] == DRAFT_REASON
    assert check_consistency(container).ok
    empty_index(container)

    summary = reindex_all(container)

    assert summary.errors == []
    assert index_snapshot(container) == before
    assert check_consistency(container).ok


def test_state_commits_are_wfv_s_words_and_the_reason_stays_in_the_blob(
    container: Container, history: uuid.UUID
) -> None:
    path = _repo_path(container, history)
    log = git_cli(path, "log", "--format=%an <%ae>%n%B%n==", STATE_REF)
    for message in ("Archive 4 version(s)", "Legal hold on v3", "Unarchive v2", "Legal hold lifted from v5"):
        assert message in log
    assert {line for line in log.splitlines() if "<" in line and "@" in line} == {"wfv <wfv@localhost>"}
    for line in (REASON + "\n" + DRAFT_REASON).splitlines():
        if line.strip():
            assert line.strip() not in log  # no user text in any message or trailer
    assert (
        git_cli(path, "show", f"{STATE_REF}:state.json").count("Version-Event: delete") == 1
    )  # a JSON value
    states = read_states(container.store.open_path(path), git_cli(path, "rev-parse", STATE_REF))
    assert sorted(states) == [1, 2, 3, 4, 7]  # v5's lifted hold leaves nothing to keep
    held = states[3].legal_hold
    assert held is not None
    assert (held.reason, held.by) == (REASON, "alice")
    assert git_cli(path, "rev-parse", WATERMARK_REF) == git_cli(path, "rev-parse", STATE_REF)


def test_the_archival_run_writes_one_state_commit_per_workflow_touched(container: Container) -> None:
    container.settings.keep_versions = 2
    touched = [published_history(container, 4)[0] for _ in range(2)]
    untouched = published_history(container, 1)[0]
    _clock(container, datetime.now(UTC).replace(microsecond=0) + 200 * DAY)

    run = run_archival(container, "acme", trigger="manual", actor="alice")

    assert run.archived == 4  # v1 and v2 of each (v3 kept as newest, v4 current)
    for wid in touched:
        path = _repo_path(container, wid)
        assert git_cli(path, "rev-list", "--count", STATE_REF) == "1"
        assert git_cli(path, "ls-tree", "--name-only", STATE_REF) == "state.json"
        states = read_states(container.store.open("acme", wid), git_cli(path, "rev-parse", STATE_REF))
        assert sorted(states) == [1, 2]
    assert container.store.read_ref("acme", untouched, STATE_REF) is None
    assert "state-mismatch" not in {p.kind for p in check_consistency(container).problems}


def test_a_crash_between_the_state_ref_move_and_the_commit_heals(
    container: Container, history: uuid.UUID
) -> None:
    expected = _version(container, history, 4)
    with container.uow("acme", write=True) as uow:
        held = retention.set_legal_hold(uow=uow, principal=BOB, workflow_id=history, ref=4, reason=REASON)
        wanted = (held.legal_hold_reason, held.legal_hold_by, held.legal_hold_at)
        uow._undo.clear()  # what a killed process leaves: refs moved, transaction lost
    assert _version(container, history, 4).legal_hold_reason is None  # the index is behind git
    assert check_consistency(container).healable

    with container.uow("acme") as uow:
        healed = versions.get_version(uow=uow, principal=ALICE, workflow_id=history, ref=4)
        assert (healed.legal_hold_reason, healed.legal_hold_by, healed.legal_hold_at) == wanted

    row = _version(container, history, 4)
    assert (
        (row.status, row.archived_at)
        == (expected.status, expected.archived_at)
        == ("archived", row.archived_at)
    )
    with container.uow("acme") as uow:
        reconciled = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "reconcile")).one()
        assert reconciled.details["versions"] == [4]
        # The hold's own entry was lost with its transaction; git's state says who held it.
        (record,) = reconciled.details["records"]
        assert (record["version_number"], record["legal_hold_by"]) == (4, BOB.user_id)
        held_at, archived_at = wanted[2], expected.archived_at
        assert held_at is not None
        assert archived_at is not None
        assert (record["legal_hold_at"], record["archived_at"]) == (
            held_at.isoformat(),
            archived_at.isoformat(),
        )
        workflow = uow.session.get(Workflow, history)
        assert workflow is not None
        assert workflow.state_head == container.store.read_ref("acme", history, STATE_REF)
    assert check_consistency(container).ok


def test_a_failed_commit_moves_the_state_ref_and_the_watermark_back(
    container: Container, history: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _repo_path(container, history)
    refs = {name: git_cli(path, "rev-parse", name) for name in (STATE_REF, WATERMARK_REF)}
    with container.uow("acme", write=True) as uow:
        retention.set_legal_hold(uow=uow, principal=ALICE, workflow_id=history, ref=6, reason="x")
        assert git_cli(path, "rev-parse", STATE_REF) != refs[STATE_REF]  # git moved first
        # leaving without commit is what a failing commit does
    assert {name: git_cli(path, "rev-parse", name) for name in refs} == refs

    # The archival batch: git moved for the workflow, then the batch fails before COMMIT.
    from indexer import archival as sql

    def broken(*_: object) -> None:
        raise RuntimeError("the audit insert failed")

    _act(container, _unarchive(history, 4))
    _clock(container, container.clock() + 400 * DAY)
    refs = {name: git_cli(path, "rev-parse", name) for name in (STATE_REF, WATERMARK_REF)}
    monkeypatch.setattr(sql, "add_audits", broken)
    with pytest.raises(RuntimeError, match="audit insert"):
        run_archival(container, "acme", trigger="manual", actor="alice")
    assert {name: git_cli(path, "rev-parse", name) for name in refs} == refs
    assert _version(container, history, 4).status == "active"
    assert check_consistency(container).ok


def test_a_hand_moved_state_ref_is_refused_and_reported(
    container: Container, client: TestClient, auth: Any, history: uuid.UUID
) -> None:
    path = _repo_path(container, history)
    git_cli(path, "update-ref", STATE_REF, f"{STATE_REF}~1")  # back to before v7's hold

    report = check_consistency(container)
    assert [(p.kind, p.ref) for p in report.problems] == [("ref-moved", STATE_REF)]
    assert [moved.workflow_id for moved in sweep_moved_refs(container)] == [history]
    with container.uow("acme", write=True) as uow, pytest.raises(RefsMoved):
        retention.set_legal_hold(uow=uow, principal=ALICE, workflow_id=history, ref=6, reason="x")
    response = client.delete(versions_url(history, 7, "legal-hold"), headers=auth("workflows:admin"))
    assert_problem(response, 409, "ref-moved")
    assert _version(container, history, 7).legal_hold_reason == DRAFT_REASON  # nothing changed

    _clock(container, container.clock() + 400 * DAY)  # v5 would be archivable now
    run = run_archival(container, "acme", trigger="manual", actor="alice")
    assert (run.status, run.archived) == ("completed", 0)  # the workflow sits the run out

    # With the watermark moved too (git looks ahead), healing refuses the older state.
    git_cli(path, "update-ref", WATERMARK_REF, f"{STATE_REF}")
    with container.uow("acme", write=True) as uow, pytest.raises(RefsMoved, match="not at or after"):
        workflows.load_workflow(uow, ALICE, history, lock=True)
    assert _version(container, history, 7).legal_hold_reason == DRAFT_REASON


def test_reindex_refuses_a_state_commit_wfv_did_not_write(container: Container, history: uuid.UUID) -> None:
    path = _repo_path(container, history)
    blob = (
        subprocess.run(
            ["git", "-C", str(path), "hash-object", "-w", "--stdin"],
            input=b'{"version_id": "not a uuid"}\n',
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    tree = (
        subprocess.run(
            ["git", "-C", str(path), "mktree"],
            input=f"100644 blob {blob}\tstate.json\n".encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    parent = git_cli(path, "rev-parse", STATE_REF)
    forged = git_cli(
        path,
        "-c",
        "user.name=m",
        "-c",
        "user.email=m@x",
        "commit-tree",
        tree,
        "-p",
        parent,
        "-m",
        "unarchive all",
    )
    git_cli(path, "update-ref", STATE_REF, forged)
    git_cli(path, "update-ref", WATERMARK_REF, forged)
    empty_index(container)

    summary = reindex_all(container)

    assert len(summary.errors) == 1
    assert STATE_REF in summary.errors[0]
    assert "not a valid state" in summary.errors[0]
    assert index_snapshot(container) == {"versions": [], "workflows": []}


def test_the_consistency_check_reports_a_row_changed_behind_git_s_back(
    container: Container, history: uuid.UUID
) -> None:
    changes: dict[int, dict[str, Any]] = {
        3: {"legal_hold_reason": "edited in SQL"},
        4: {"status": "active", "archived_at": None},
        1: {"legal_hold_reason": None, "legal_hold_by": None, "legal_hold_at": None},
    }
    for number, values in changes.items():
        tamper_version(container, history, number, **values)

    report = check_consistency(container)

    found = {(p.kind, p.version_number, p.ref): p.detail for p in report.problems}
    assert set(found) >= {
        ("state-mismatch", 3, STATE_REF),
        ("state-mismatch", 4, STATE_REF),
        ("state-mismatch", 1, STATE_REF),
    }
    assert "legal_hold_reason" in found[("state-mismatch", 3, STATE_REF)]
    assert "archived_at, status" in found[("state-mismatch", 4, STATE_REF)]
    assert not report.healable

    settings = container.settings
    env = wfv_env(
        settings.data_dir,
        WFV_DATABASE_URL=settings.resolved_database_url,
        WFV_MIGRATION_DATABASE_URL=settings.resolved_migration_url,
        WFV_QUEUE="memory",
    )
    done = subprocess.run(
        [WFV, "check", "--json"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1, done.stderr  # `wfv check` fails on them
    printed = {(p["kind"], p["version_number"]) for p in json.loads(done.stdout)["problems"]}
    assert printed >= {("state-mismatch", 1), ("state-mismatch", 3), ("state-mismatch", 4)}


@pytest.mark.parametrize("ref", ["refs/wfv/state", "refs/wfv/head"])
def test_wfv_refs_are_refused_for_pushes(ref: str) -> None:
    sha = "1" * 40
    assert ref_rule(Command(sha, "2" * 40, ref)) is not None


def test_the_state_ref_is_hidden_from_clones(client: TestClient, auth: Any, history: uuid.UUID) -> None:
    response = client.get(
        f"/git/{history}.git/info/refs", params={"service": "git-upload-pack"}, headers=auth("workflows:read")
    )
    assert response.status_code == 200, response.text
    assert b"refs/heads/main" in response.content
    assert b"refs/wfv/" not in response.content


def test_an_index_older_than_the_state_ref_keeps_its_retention_and_backfills_git(
    container: Container,
) -> None:
    """Rows archived and held before git kept the state (SQL only): healing keeps them, the
    check reports them, and the workflow's first state commit carries them all."""
    wid: uuid.UUID = published_history(container, 4)[0]
    moment = _clock(container, datetime.now(UTC).replace(microsecond=0))()
    legacy: dict[int, dict[str, Any]] = {
        1: {"status": "archived", "archived_at": moment},
        2: {"legal_hold_reason": "old hold", "legal_hold_by": "carol", "legal_hold_at": moment},
    }
    for number, values in legacy.items():
        tamper_version(container, wid, number, **values)
    archived = _version(container, wid, 1)
    with container.uow("acme", write=True) as uow:  # what the SQL-only archival run audited
        uow.session.add(
            AuditEntry(
                tenant_id="acme",
                workflow_id=wid,
                version_id=archived.id,
                action="archive",
                actor_id="system:archival",
                created_at=moment,
                details={},
            )
        )
        uow.commit()
    with container.uow("acme", write=True) as uow:  # a crash: git ahead, healed on read
        versions.create_version(uow=uow, principal=ALICE, workflow_id=wid)
        uow._undo.clear()
    with container.uow("acme") as uow:
        assert versions.get_version(uow=uow, principal=ALICE, workflow_id=wid, ref=5).version_number == 5
    assert (_version(container, wid, 1).status, _version(container, wid, 2).legal_hold_by) == (
        "archived",
        "carol",
    )
    assert {(p.kind, p.version_number) for p in check_consistency(container).problems} == {
        ("state-mismatch", 1),
        ("state-mismatch", 2),
    }

    _act(container, _hold(wid, 3, "new hold"))

    state_commit = container.store.read_ref("acme", wid, STATE_REF)
    assert sorted(read_states(container.store.open("acme", wid), state_commit)) == [1, 2, 3]
    assert check_consistency(container).ok
    before = index_snapshot(container)
    empty_index(container)
    assert reindex_all(container).errors == []
    assert index_snapshot(container) == before


def test_holds_set_during_an_archival_run_leave_git_and_the_index_agreeing(container: Container) -> None:
    """Both take each workflow's lock and move refs/wfv/state from where the index left it,
    so neither loses the other's state, whichever gets a workflow first."""
    container.settings.keep_versions = 2
    container.settings.archival_batch_workflows = 1  # a transaction per workflow: more overlap
    flows: list[uuid.UUID] = [published_history(container, 5)[0] for _ in range(4)]
    _clock(container, datetime.now(UTC).replace(microsecond=0) + 200 * DAY)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def archive() -> None:
        barrier.wait()
        try:
            run_archival(container, "acme", trigger="scheduled", actor="system:archival")
        except BaseException as exc:
            errors.append(exc)

    def hold() -> None:
        barrier.wait()
        try:
            for wid in reversed(flows):
                for number in (1, 2):
                    _act(container, _hold(wid, number, f"hold of v{number}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=archive), threading.Thread(target=hold)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert check_consistency(container).ok  # every row's state is git's
    for wid in flows:
        assert _version(container, wid, 1).legal_hold_reason == "hold of v1"
        assert _version(container, wid, 3).status == "archived"  # never held, so archived


def test_a_workflow_without_its_repository_sits_the_run_out(container: Container) -> None:
    """Archival now writes git; a workflow whose repository is gone cannot record its state,
    so it is skipped (``wfv check`` reports ``repo-missing``), not the tenant's whole run."""
    container.settings.keep_versions = 2
    lost, kept = (published_history(container, 4)[0] for _ in range(2))
    shutil.rmtree(_repo_path(container, lost))
    _clock(container, datetime.now(UTC).replace(microsecond=0) + 200 * DAY)

    run = run_archival(container, "acme", trigger="manual", actor="alice")

    assert (run.status, run.archived) == ("completed", 2)
    assert _version(container, lost, 1).status == "active"
    assert _version(container, kept, 1).status == "archived"


def test_the_reconcile_pass_writes_retention_kept_in_sql_only_into_git(container: Container) -> None:
    """An upgraded index whose holds and archives are in SQL only: the backfill writes each
    such workflow's first state commit, once, and then reindex from an empty database keeps
    them (without it, the next reindex would drop the hold)."""
    wid: uuid.UUID = published_history(container, 3)[0]
    untouched: uuid.UUID = published_history(container, 2)[0]
    moment = datetime.now(UTC).replace(microsecond=0)
    tamper_version(container, wid, 1, status="archived", archived_at=moment)
    tamper_version(
        container, wid, 2, legal_hold_reason="audit 2026\n---", legal_hold_by="carol", legal_hold_at=moment
    )
    assert "state-mismatch" in {p.kind for p in check_consistency(container).problems}

    assert backfill_states(container) == 1
    assert backfill_states(container) == 0  # once
    assert container.store.read_ref("acme", untouched, STATE_REF) is None
    assert "state-mismatch" not in {p.kind for p in check_consistency(container).problems}
    before = index_snapshot(container, workflow_id=wid)
    empty_index(container)
    assert reindex_all(container).errors == []
    assert index_snapshot(container, workflow_id=wid) == before
    assert (before["versions"][0]["status"], before["versions"][1]["legal_hold_by"]) == ("archived", "carol")


def test_the_backfill_of_one_tenant_never_takes_another_tenants_workflows(container: Container) -> None:
    """Each tenant's pass reads and locks its own workflows only, on SQLite too (no
    row-level security there): two tenants each waiting for a backfill both get theirs."""
    moment = datetime.now(UTC).replace(microsecond=0)
    waiting = {}
    for org in ("acme", "globex"):
        wid: uuid.UUID = published_history(container, 2, org=org)[0]
        tamper_version(container, wid, 1, org=org, status="archived", archived_at=moment)
        waiting[org] = wid

    assert backfill_states(container) == 2
    for org, wid in waiting.items():
        assert container.store.read_ref(org, wid, STATE_REF) is not None
    assert backfill_states(container) == 0
