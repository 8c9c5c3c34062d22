"""Concurrent writers on one workflow, on SQLite and PostgreSQL, through the real use cases.

Each thread opens its own unit of work (its own session and its own pygit2 Repository), as
a request would. A barrier starts them together so they really contend.
"""

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any, TypeVar

from indexer import queries
from indexer.models import WorkflowVersion
from repo_store import WorkflowRepo
from schemas.history import MAIN_REF, Trailer
from schemas.workflow import WorkflowDefinition
from service.container import Container
from service.errors import StaleLock
from service.versions import editing as versions
from service.versions import publishing
from service.versions.workflows import create_workflow
from tests.factories import example, principal, renamed

T = TypeVar("T")
WHO = principal()


def in_parallel(count: int, work: Callable[[int], T]) -> list[T | BaseException]:
    """Run ``work(0..count-1)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count, timeout=30)

    def start(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(start, index) for index in range(count)]
        outcomes: list[T | BaseException] = []
        for future in futures:
            error = future.exception(timeout=120)
            outcomes.append(error if error is not None else future.result())
    return outcomes


def new_workflow(container: Container, document: dict[str, Any] | None = None) -> uuid.UUID:
    definition = WorkflowDefinition.model_validate(document or example("welcome-small"))
    with container.uow("acme", write=True) as uow:
        workflow, _ = create_workflow(uow=uow, principal=WHO, name="Busy", definition=definition)
        uow.commit()
    return workflow.id


def all_versions(container: Container, workflow_id: uuid.UUID) -> list[SimpleNamespace]:
    """Every version row, oldest first, copied out of the session (which expires them on exit)."""
    columns = [column.key for column in WorkflowVersion.__table__.columns]
    with container.uow("acme") as uow:
        rows, _ = versions.list_versions(
            uow=uow,
            principal=WHO,
            workflow_id=workflow_id,
            status=None,
            include_deleted=True,
            limit=200,
            cursor=None,
        )
        copies = [SimpleNamespace(**{key: getattr(row, key) for key in columns}) for row in rows]
    return sorted(copies, key=lambda row: row.version_number)


def open_repo(container: Container, workflow_id: uuid.UUID) -> WorkflowRepo:
    return container.store.open(WHO.tenant_id, workflow_id)


def assert_index_matches_watermark(container: Container, workflow_id: uuid.UUID) -> None:
    with container.uow("acme") as uow:
        workflow = queries.get_workflow(uow.session, WHO.tenant_id, workflow_id)
        assert workflow is not None
        git_head = workflow.git_head
    assert open_repo(container, workflow_id).ref_target("refs/wfv/head") == git_head


def test_concurrent_create_version_numbers_have_no_gap(container: Container) -> None:
    workflow_id = new_workflow(container)

    def create(_: int) -> int:
        with container.uow("acme", write=True) as uow:
            version = versions.create_version(uow=uow, principal=WHO, workflow_id=workflow_id)
            number = version.version_number
            uow.commit()
        return number

    outcomes = in_parallel(20, create)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert errors == []
    assert sorted(outcomes) == list(range(2, 22))  # type: ignore[type-var]
    rows = all_versions(container, workflow_id)
    assert [row.version_number for row in rows] == list(range(1, 22))
    assert len({row.id for row in rows}) == 21
    repo = open_repo(container, workflow_id)
    drafts = repo.refs("refs/heads/drafts/")
    assert set(drafts) == {f"refs/heads/drafts/v{n}" for n in range(1, 22)}
    for row in rows:
        tip = repo.commit_info(drafts[f"refs/heads/drafts/v{row.version_number}"])
        assert tip.sha == row.commit_sha
        assert tip.trailers[Trailer.VERSION_ID] == str(row.id)
        assert tip.trailers[Trailer.VERSION] == str(row.version_number)
    assert repo.ref_target(MAIN_REF) is None
    assert_index_matches_watermark(container, workflow_id)


def test_concurrent_publishes_leave_exactly_one_current(container: Container) -> None:
    workflow_id = new_workflow(container)
    for index in range(9):
        with container.uow("acme", write=True) as uow:
            document = renamed(example("welcome-small"), f"draft {index}")
            versions.create_version(
                uow=uow,
                principal=WHO,
                workflow_id=workflow_id,
                definition=WorkflowDefinition.model_validate(document),
            )
            uow.commit()

    def publish(index: int) -> int:
        with container.uow("acme", write=True) as uow:
            version = publishing.publish_version(
                uow=uow,
                principal=WHO,
                workflow_id=workflow_id,
                ref=index + 1,
                expected_lock=None,
            )
            number = version.version_number
            uow.commit()
        return number

    outcomes = in_parallel(10, publish)
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    rows = all_versions(container, workflow_id)
    assert [row.status for row in rows] == ["active"] * 10
    current = [row for row in rows if row.is_current]
    assert len(current) == 1
    repo = open_repo(container, workflow_id)
    main = repo.ref_target(MAIN_REF)
    assert main is not None
    assert repo.commit_info(main).trailers[Trailer.VERSION_ID] == str(current[0].id)
    assert current[0].commit_sha == main
    history = list(repo.first_parent_walk(main))
    assert len(history) == 10  # one commit on main per publish, none lost
    assert sorted(info.trailers[Trailer.VERSION_ID] for info in history) == sorted(str(r.id) for r in rows)
    assert set(repo.refs("refs/tags/")) == {f"refs/tags/v{n}" for n in range(1, 11)}
    for row in rows:
        assert (
            repo.peel_to_commit(repo.ref_target(f"refs/tags/v{row.version_number}") or "") == row.commit_sha
        )
    with container.uow("acme") as uow:
        workflow = queries.get_workflow(uow.session, WHO.tenant_id, workflow_id)
        assert workflow is not None
        assert workflow.current_version_id == current[0].id
    assert_index_matches_watermark(container, workflow_id)


def test_concurrent_patches_with_one_lock_version_one_wins(container: Container) -> None:
    workflow_id = new_workflow(container)
    edits = [renamed(example("welcome-small"), f"writer {index}") for index in range(10)]

    def patch(index: int) -> dict[str, Any]:
        with container.uow("acme", write=True) as uow:
            version = versions.update_version(
                uow=uow,
                principal=WHO,
                workflow_id=workflow_id,
                ref=1,
                definition=WorkflowDefinition.model_validate(edits[index]),
                expected_lock=1,
            )
            saved = {"index": index, "lock": version.lock_version, "commit": version.commit_sha}
            uow.commit()
        return saved

    outcomes = in_parallel(10, patch)
    wins = [o for o in outcomes if isinstance(o, dict)]
    stale = [o for o in outcomes if isinstance(o, StaleLock)]
    assert len(wins) == 1
    assert len(stale) == 9  # and nothing else: no "database is locked", no deadlock
    assert all(error.extra["lock_version"] == 2 for error in stale)
    (row,) = all_versions(container, workflow_id)
    winner = wins[0]
    assert row.lock_version == winner["lock"] == 2
    assert row.definition == edits[winner["index"]]
    assert row.commit_sha == winner["commit"]
    repo = open_repo(container, workflow_id)
    branch = list(repo.first_parent_walk(repo.ref_target("refs/heads/drafts/v1") or ""))
    assert [info.trailers[Trailer.EVENT] for info in branch] == ["edit", "create"]
    assert branch[0].sha == row.commit_sha
    assert_index_matches_watermark(container, workflow_id)
