"""Repository upkeep on both databases: grown repositories are packed (and stay fully
usable), small ones are left alone, stale locks and abandoned quarantines are cleared
while fresh ones are not, and a repository nobody indexed is reported, not touched."""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from indexer.models import Workflow
from indexer.revisions import upgrade
from repo_store.errors import RefLocked
from repo_store.incoming import QUARANTINE_PREFIX
from repo_store.upkeep import count_loose, count_packs
from schemas.workflow import WorkflowDefinition
from service.container import Container, build_container
from service.git.upkeep import upkeep_all
from service.healing.scan import reindex_all
from service.settings import Settings
from service.versions import editing as versions
from service.versions import publishing, workflows
from tests.conftest import JWT_SECRET
from tests.factories import example, principal, renamed

ALICE = principal()


def _workflow(container: Container, drafts: int) -> tuple[Workflow, Path]:
    """A workflow with v1 and ``drafts`` more versions, each a distinct document."""
    with container.uow("acme", write=True) as uow:
        workflow, _ = workflows.create_workflow(
            uow=uow,
            principal=ALICE,
            name="upkeep",
            definition=WorkflowDefinition.model_validate(example("welcome-small")),
        )
        for n in range(drafts):
            document = renamed(example("welcome-small"), f"#{n}")
            versions.create_version(
                uow=uow,
                principal=ALICE,
                workflow_id=workflow.id,
                definition=WorkflowDefinition.model_validate(document),
            )
        uow.commit()
    return workflow, container.store.path_for("acme", workflow.id)


def _git(repo: Path, *args: str) -> str:
    env = {"PATH": os.environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _publish(container: Container, workflow: Workflow, number: int) -> None:
    with container.uow("acme", write=True) as uow:
        publishing.publish_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow.id,
            ref=number,
            expected_lock=None,
        )
        uow.commit()


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_a_grown_repository_is_packed_and_stays_usable(container: Container) -> None:
    container.settings.git_repack_loose_objects = 30
    workflow, repo = _workflow(container, drafts=20)
    refs = _git(repo, "for-each-ref")
    assert count_loose(repo) >= 60

    summary = upkeep_all(container)
    assert (summary.repositories, summary.repacked, summary.errors) == (1, 1, [])
    assert count_loose(repo) == 0
    assert count_packs(repo) == 1
    assert (repo / "packed-refs").is_file()
    assert _git(repo, "for-each-ref") == refs
    _git(repo, "fsck", "--strict", "--no-dangling")

    _publish(container, workflow, 21)  # libgit2 moves packed refs by compare-and-swap as before
    with container.uow("acme", write=True) as uow:
        latest = versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow.id)
        uow.commit()
    assert latest.version_number == 22
    assert reindex_all(container).versions_changed == 0
    assert upkeep_all(container).repacked == 0  # a handful of new loose objects: below the limit


def test_a_small_repository_is_left_alone(container: Container) -> None:
    _, repo = _workflow(container, drafts=2)
    loose = count_loose(repo)
    summary = upkeep_all(container)
    assert (summary.repacked, summary.cleared, summary.errors) == (0, 0, [])
    assert count_loose(repo) == loose
    assert count_packs(repo) == 0


def test_stale_locks_are_cleared_fresh_ones_kept(container: Container) -> None:
    workflow, repo = _workflow(container, drafts=1)
    stale = repo / "refs" / "heads" / "main.lock"
    stale.write_text("left by a killed process\n")
    _age(stale, 3600)
    with pytest.raises(RefLocked):
        _publish(container, workflow, 1)
    fresh = repo / "refs" / "heads" / "drafts" / "v2.lock"
    fresh.write_text("a writer at work\n")
    abandoned = repo / "objects" / f"{QUARANTINE_PREFIX}dead"
    abandoned.mkdir()
    _age(abandoned, 3600)
    running = repo / "objects" / f"{QUARANTINE_PREFIX}live"
    running.mkdir()

    summary = upkeep_all(container)
    assert (summary.cleared, summary.repacked, summary.errors) == (2, 0, [])
    assert not stale.exists()
    assert not abandoned.exists()
    assert fresh.exists()
    assert running.exists()
    _publish(container, workflow, 1)
    assert _git(repo, "log", "--format=%s", "main").splitlines() == ["Publish v1"]


def test_a_repository_without_an_index_row_is_reported_and_untouched(container: Container) -> None:
    orphan = container.store.create("acme", uuid.uuid4(), {"workflowId": str(uuid.uuid4()), "tenant": "acme"})
    lock = orphan.path / "HEAD.lock"
    lock.write_text("x\n")
    _age(lock, 3600)
    summary = upkeep_all(container)
    assert summary.repacked == 0
    assert len(summary.errors) == 1
    assert "not indexed yet" in summary.errors[0]
    assert lock.exists()


def test_upkeep_packs_under_a_relative_data_dir(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make serve`` keeps its data in ``./var``; ``git gc`` runs inside the repository,
    where a relative ``GIT_DIR`` names nothing (every upkeep failed there)."""
    monkeypatch.chdir(tmp_path)
    relative = Settings(
        data_dir=Path("./var"),
        database_url=settings.database_url,
        migration_database_url=settings.migration_database_url,
        jwt_secret=JWT_SECRET,
        queue="memory",
        git_repack_loose_objects=10,
        _env_file=None,
    )
    container = build_container(relative)
    try:
        if relative.resolved_database_url.startswith("sqlite"):
            upgrade(container.engine)
        _, repo = _workflow(container, drafts=5)
        summary = upkeep_all(container)
        assert (summary.repacked, summary.errors) == (1, [])
        assert repo == tmp_path.resolve() / "var" / "repos" / "acme" / repo.name
        assert count_loose(repo) == 0
        assert count_packs(repo) == 1
    finally:
        container.close()
