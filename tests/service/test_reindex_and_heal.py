"""Git is the truth: the index can be rebuilt from it, and a crash that leaves git ahead
of the index is healed on the next access or by the reconcile pass."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from indexer.models import AuditEntry, Workflow, WorkflowVersion
from indexer.rebuild import GitState
from schemas.history import WATERMARK_REF, VersionRecord, draft_ref
from schemas.workflow import WorkflowDefinition
from service.container import Container
from service.healing import reconcile as reconcile_module
from service.healing.scan import reconcile_all, reindex_all
from service.uow import UnitOfWork
from service.versions import editing as versions
from service.versions import publishing, workflows
from tests.factories import empty_index, example, index_snapshot, principal, renamed

ALICE = principal()


def _history(container: Container) -> Workflow:
    """v1 published, v2 published, v3 rollback to v1, v4 edited draft, v5 deleted draft."""
    doc = example("welcome-small")
    with container.uow("acme", write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow, principal=ALICE, name="Welcome", definition=WorkflowDefinition.model_validate(doc)
        )
        uow.commit()
    steps: list[Callable[[UnitOfWork], object]] = [
        lambda uow: publishing.publish_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=1,
            expected_lock=None,
        ),
        lambda uow: versions.create_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            definition=WorkflowDefinition.model_validate(example("welcome-small-b")),
        ),
        lambda uow: publishing.publish_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=2,
            expected_lock=None,
        ),
        lambda uow: publishing.rollback_version(uow=uow, principal=ALICE, workflow_id=workflow.id, ref=1),
        lambda uow: versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id),
        lambda uow: versions.update_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=4,
            definition=WorkflowDefinition.model_validate(renamed(doc, "edited")),
            expected_lock=1,
        ),
        lambda uow: versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id),
        lambda uow: versions.delete_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=5,
            expected_lock=None,
        ),
    ]
    for step in steps:
        with container.uow("acme", write=True) as uow:
            step(uow)
            uow.commit()
    return workflow


def test_reindex_rebuilds_the_same_rows_from_git_alone(container: Container) -> None:
    _history(container)
    before = index_snapshot(container)
    assert [v["status"] for v in before["versions"]] == ["active", "active", "active", "draft", "draft"]
    empty_index(container)
    assert index_snapshot(container) == {"versions": [], "workflows": []}

    summary = reindex_all(container)

    assert summary.errors == []
    assert summary.workflows_created == 1
    assert summary.versions_changed == 5
    assert index_snapshot(container) == before


def test_reindex_of_an_indexed_workflow_changes_nothing(container: Container) -> None:
    _history(container)
    before = index_snapshot(container)
    summary = reindex_all(container)
    assert summary.versions_changed == 0
    assert index_snapshot(container) == before


def _crash_after_ref_move(container: Container, workflow: Workflow) -> str:
    """Publish v2's creation in git, then die before the SQL commit (no undo runs)."""
    with container.uow("acme", write=True) as uow:
        version = versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        uow._undo.clear()  # what a killed process leaves: refs moved, transaction lost
    return str(version.id)


def test_a_read_heals_a_workflow_whose_needs_healing(container: Container) -> None:
    workflow = _history(container)
    lost_id = _crash_after_ref_move(container, workflow)
    repo = container.store.open(workflow.tenant_id, workflow.id)
    assert repo.ref_target(draft_ref(6)) is not None
    with container.uow("acme") as uow:
        assert uow.session.get(WorkflowVersion, uuid.UUID(lost_id)) is None

    with container.uow("acme") as uow:
        rows, _ = versions.list_versions(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            status=None,
            include_deleted=False,
            limit=50,
            cursor=None,
        )
        assert [row.version_number for row in rows][:1] == [6]
        assert str(rows[0].id) == lost_id
        assert rows[0].commit_sha == repo.ref_target(draft_ref(6))

    with container.uow("acme") as uow:
        healed = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "reconcile")).one()
        assert healed.details["versions"] == [6]
        # The creation's own entry was lost with its transaction; git says who made it.
        (record,) = healed.details["records"]
        assert (record["version_number"], record["created_by"], record["published_by"]) == (
            6,
            ALICE.user_id,
            None,
        )
        assert record["commit"] == repo.ref_target(draft_ref(6))
        assert healed.details["records_truncated"] is False
        stored = uow.session.get(Workflow, workflow.id)
        assert stored is not None
        assert stored.git_head == repo.ref_target(WATERMARK_REF)
        assert stored.last_version_number == 6


def test_the_next_version_number_after_a_crash_is_not_reused(container: Container) -> None:
    workflow = _history(container)
    _crash_after_ref_move(container, workflow)
    with container.uow("acme", write=True) as uow:
        version = versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        uow.commit()
    assert version.version_number == 7


def test_reconcile_pass_heals_only_the_workflows_behind(container: Container) -> None:
    behind = _history(container)
    with container.uow("acme", write=True) as uow:
        fine, _ = workflows.create_workflow(
            uow=uow,
            principal=ALICE,
            name="Other",
            definition=WorkflowDefinition.model_validate(example("nurture-50")),
        )
        uow.commit()
    _crash_after_ref_move(container, behind)

    summary = reconcile_all(container)

    assert summary.repositories == 1
    assert summary.versions_changed == 1
    assert reconcile_all(container).repositories == 0
    with container.uow("acme") as uow:
        numbers = uow.session.scalars(
            select(WorkflowVersion.version_number).where(WorkflowVersion.workflow_id == fine.id)
        ).all()
        assert numbers == [1]


def test_a_failed_sql_commit_moves_the_refs_back(container: Container) -> None:
    workflow = _history(container)
    repo = container.store.open(workflow.tenant_id, workflow.id)
    refs_before = repo.refs("refs/")
    with container.uow("acme", write=True) as uow:
        versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        assert repo.refs("refs/") != refs_before  # git moved first
        # leaving without commit is what a failing commit does: roll back everything
    assert repo.refs("refs/") == refs_before
    assert reconcile_all(container).repositories == 0


def test_a_creation_cut_before_its_ref_move_is_not_indexed(container: Container) -> None:
    """A process killed between creating a repository and moving its first ref leaves a
    repository with no refs (and maybe no config): nothing to index, and it must hide
    neither its tenant nor the workflows beside it."""
    import pygit2

    from service.healing.scan import known_tenants

    kept = _history(container)
    cut = uuid.UUID(int=0)  # sorts first in the tenant's folder
    bare = container.store.path_for("acme", cut)
    pygit2.init_repository(str(bare), bare=True, initial_head="main")  # killed before its config
    _crash_after_ref_move(container, kept)

    summary = reconcile_all(container)

    assert (summary.repositories, summary.versions_changed, summary.errors) == (1, 1, [])
    assert known_tenants(container) == {"acme"}
    assert reindex_all(container).errors == []
    with container.uow("acme") as uow:
        assert uow.session.get(Workflow, cut) is None


def test_scans_skip_a_repository_a_creation_is_still_making(container: Container) -> None:
    """A folder with HEAD but not yet the rest (what a scan meets beside a creation in
    flight) is nobody's yet: reconcile, the tenant list, the draft sweep and the
    consistency check pass it by instead of failing on it."""
    from repo_store import RepoNotFound
    from service.drafts.upkeep import tenants
    from service.healing.check import check_consistency
    from service.healing.scan import known_tenants

    _history(container)
    half = container.store.path_for("acme", uuid.UUID(int=0))
    half.mkdir(parents=True)
    (half / "HEAD").write_text("ref: refs/heads/main\n")
    with pytest.raises(RepoNotFound):
        container.store.open_path(half)

    assert reconcile_all(container).errors == []
    assert known_tenants(container) == {"acme"}
    assert tenants(container) == ["acme"]
    assert check_consistency(container).ok


def test_a_reconcile_entry_carries_the_newest_records_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database restored from an old dump may heal thousands of versions: the entry stays
    one readable row, and says it left some out."""
    monkeypatch.setattr(reconcile_module, "MAX_RECORDS", 2)
    at = datetime(2026, 12, 7, tzinfo=UTC)
    records = [
        VersionRecord(
            id=str(uuid.uuid4()),
            number=number,
            lock_version=1,
            commit_sha=f"{number:040x}",
            tree_sha=f"{number:040x}",
            parent_version_id=None,
            rollback_of_version_id=None,
            created_by="alice",
            created_at=at,
            published_by="bob" if number == 4 else None,
            published_at=at if number == 4 else None,
            deleted_at=None,
            is_current=number == 4,
            definition={},
        )
        for number in (1, 2, 3, 4)
    ]
    nothing = GitState(None, {})
    told = reconcile_module.as_git_tells(records, [4, 2, 3], nothing)
    assert [(r["version_number"], r["published_by"]) for r in told["records"]] == [(3, None), (4, "bob")]
    assert told["records"][1]["published_at"] == at.isoformat()
    assert told["records_truncated"] is True
    assert reconcile_module.as_git_tells(records, [1], nothing)["records_truncated"] is False
