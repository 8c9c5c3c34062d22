"""Blame through its cache of ``main`` gives exactly the plain walk's answer (and today's),
reads no document once the cache holds the line, survives a new container and ``wfv
reindex`` into an empty database, and fills safely from two readers at once; both
databases."""

import copy
import json
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from indexer.models import BlameChange, BlameCommit, WorkflowVersion
from repo_store.history import published_line
from repo_store.store import WorkflowRepo
from schemas.blame import ActionHistory, ActionHistoryEntry
from schemas.compare import field_changes
from schemas.history import Trailer
from schemas.workflow import WorkflowDefinition
from service.compare.blame import action_history
from service.compare.blame_walk import walk_history
from service.container import Container, build_container
from service.healing.scan import reindex_all
from service.versions import editing as versions
from service.versions import publishing
from tests.factories import empty_index, example, principal, published_history, renamed

ALICE = principal()
ACTIONS = ["welcome", "wait-1d", "opened?", "tips", "reminder", "extra", "never-there"]


def _with_extra(document: dict[str, Any], subject: str) -> dict[str, Any]:
    """``document`` with one more step after ``tips``."""
    changed = copy.deepcopy(document)
    for action in changed["actions"]:
        if action["id"] == "tips":
            action["next"] = "extra"
    changed["actions"].append(
        {"id": "extra", "type": "send_email", "config": {"template": subject}, "next": None}
    )
    return changed


def _documents() -> list[dict[str, Any]]:
    """Adds, modifies, removes, re-adds, and a republish of identical content (v8 = v7)."""
    small, other = example("welcome-small"), example("welcome-small-b")
    readded = copy.deepcopy(small)
    readded["actions"][-1]["config"]["text"] = "Back again"
    return [
        small,  # v1: every action added
        renamed(small, "v2"),  # v2: welcome modified
        other,  # v3: reminder removed, wait and if/else changed
        readded,  # v4: reminder added again (changed), the rest back
        _with_extra(readded, "first"),  # v5: extra added, tips modified
        _with_extra(readded, "second"),  # v6: extra modified
        readded,  # v7: extra removed
        readded,  # v8: republished, same tree
    ]


def _step(container: Container, action: Any) -> None:
    with container.uow("acme", write=True) as uow:
        action(uow)
        uow.commit()


def _rollback(container: Container, workflow_id: uuid.UUID, number: int) -> None:
    _step(
        container,
        lambda uow: publishing.rollback_version(
            uow=uow, principal=ALICE, workflow_id=workflow_id, ref=number
        ),
    )


def _republish_current(container: Container, workflow_id: uuid.UUID, number: int) -> None:
    """A new version with the current content, published (a second commit, same tree)."""
    _step(container, lambda uow: versions.create_version(uow=uow, principal=ALICE, workflow_id=workflow_id))
    _step(
        container,
        lambda uow: publishing.publish_version(
            uow=uow,
            principal=ALICE,
            workflow_id=workflow_id,
            ref=number,
            expected_lock=None,
        ),
    )


def _todays_walk(repo: WorkflowRepo, action_id: str) -> ActionHistory:
    """The walk as it was before the cache (main at f12207f), kept here as the oracle."""
    entries: list[ActionHistoryEntry] = []
    previous: dict[str, Any] | None = None
    previous_tree: str | None = None
    for info, data in published_line(repo):
        if info.tree_sha == previous_tree:
            continue
        previous_tree = info.tree_sha
        current = next((a for a in json.loads(data)["actions"] if a.get("id") == action_id), None)
        if current == previous:
            continue
        change = "added" if previous is None else "removed" if current is None else "modified"
        entries.append(
            ActionHistoryEntry(
                version_number=int(info.trailers.get(Trailer.VERSION, "0")),
                version_id=uuid.UUID(info.trailers[Trailer.VERSION_ID]),
                commit_sha=info.sha,
                change=change,
                author_id=info.trailers.get(Trailer.AUTHOR_ID, info.author_name),
                published_at=info.committed_at,
                message=info.summary,
                rollback_of=int(info.trailers[Trailer.ROLLBACK_OF])
                if Trailer.ROLLBACK_OF in info.trailers
                else None,
                fields=field_changes(previous, current) if change == "modified" else [],
                action=current,
            )
        )
        previous = current
    return ActionHistory(action_id=action_id, entries=entries)


def blame(container: Container, workflow_id: uuid.UUID, action_id: str) -> ActionHistory:
    with container.uow("acme") as uow:
        return action_history(uow=uow, principal=ALICE, workflow_id=workflow_id, action_id=action_id)


def walked(
    container: Container, workflow_id: uuid.UUID, action_id: str
) -> tuple[ActionHistory, ActionHistory]:
    """(the plain walk, today's walk) of one action."""
    with container.uow("acme") as uow:
        repo = uow.repo(workflow_id)
        return walk_history(repo, action_id), _todays_walk(repo, action_id)


def assert_same_as_walks(container: Container, workflow_id: uuid.UUID) -> list[ActionHistory]:
    answers = []
    for action_id in ACTIONS:
        fast = blame(container, workflow_id, action_id)
        plain, today = walked(container, workflow_id, action_id)
        assert fast.model_dump() == plain.model_dump(), action_id
        assert fast.model_dump() == {**today.model_dump(), "skipped": []}, action_id
        answers.append(fast)
    return answers


@pytest.fixture
def history(container: Container) -> uuid.UUID:
    """v1..v8 published, blamed once after v8 (the cache holds v1..v8), then two
    rollbacks and a republish: v9 = rollback to v5, v10 = rollback to v3, v11 = v10."""
    workflow_id: uuid.UUID = published_history(container, 8, documents=_documents())[0]
    assert_same_as_walks(container, workflow_id)
    _rollback(container, workflow_id, 5)
    _rollback(container, workflow_id, 3)
    _republish_current(container, workflow_id, 11)
    return workflow_id


def test_the_cached_blame_equals_the_plain_walk_and_todays(container: Container, history: uuid.UUID) -> None:
    answers = dict(zip(ACTIONS, assert_same_as_walks(container, history), strict=True))
    extra = [(e.version_number, e.change, e.rollback_of) for e in answers["extra"].entries]
    assert extra == [
        (5, "added", None),
        (6, "modified", None),
        (7, "removed", None),
        (9, "added", 5),
        (10, "removed", 3),
    ]
    assert [(e.version_number, e.change) for e in answers["reminder"].entries] == [
        (1, "added"),
        (3, "removed"),
        (4, "added"),
        (10, "removed"),
    ]
    assert answers["extra"].entries[1].fields[0].model_dump() == {
        "path": "config.template",
        "change": "changed",
        "old": "first",
        "new": "second",
    }
    assert answers["never-there"].entries == []


def test_a_warm_blame_reads_no_document(
    container: Container, history: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The linear walk read every version's document; the cache reads none once it holds
    the line, and only the new commit (and its base) after another publish."""
    blame(container, history, "welcome")
    reads: list[str] = []
    real = WorkflowRepo.read_document

    def counted(self: WorkflowRepo, commit_sha: str) -> bytes:
        reads.append(commit_sha)
        return real(self, commit_sha)

    monkeypatch.setattr(WorkflowRepo, "read_document", counted)
    for action_id in ACTIONS:
        blame(container, history, action_id)
    assert reads == []

    other = build_container(container.settings)  # a new process's container: same rows
    try:
        assert blame(other, history, "extra") == blame(container, history, "extra")
    finally:
        other.close()
    assert reads == []

    _rollback(container, history, 6)
    reads.clear()
    entries = blame(container, history, "extra").entries
    assert [(e.version_number, e.change) for e in entries][-1] == (12, "added")
    assert len(reads) == 2  # the base (v11) and the new commit (v12)


def _cache_rows(container: Container) -> int:
    with container.uow("acme") as uow:
        commits = uow.session.scalar(select(func.count()).select_from(BlameCommit))
        changes = uow.session.scalar(select(func.count()).select_from(BlameChange))
        return int(commits or 0) + int(changes or 0)


def test_reindex_into_an_empty_index_gives_the_same_blame(container: Container, history: uuid.UUID) -> None:
    before = [blame(container, history, action_id) for action_id in ACTIONS]
    empty_index(container)
    assert _cache_rows(container) == 0  # the cache went with its workflow
    assert reindex_all(container).errors == []
    assert [blame(container, history, action_id) for action_id in ACTIONS] == before
    assert _cache_rows(container) > 0


def test_two_readers_filling_the_cache_at_once_agree(container: Container) -> None:
    workflow_id = published_history(container, 6, documents=_documents())[0]
    expected = walked(container, workflow_id, "extra")[0]
    answers: list[ActionHistory] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def reader() -> None:
        try:
            start.wait()
            answers.append(blame(container, workflow_id, "extra"))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == [expected, expected]
    with container.uow("acme") as uow:
        assert uow.session.scalar(select(func.count()).select_from(BlameCommit)) == 6


def test_definitions_are_the_published_ones(container: Container, history: uuid.UUID) -> None:
    """The fixture's history is what it says: v11 republished v10's content."""
    with container.uow("acme") as uow:
        rows = {
            v.version_number: v
            for v in uow.session.scalars(
                select(WorkflowVersion).where(WorkflowVersion.workflow_id == history)
            )
        }
    assert rows[11].tree_sha == rows[10].tree_sha
    assert WorkflowDefinition.model_validate(rows[9].definition) == WorkflowDefinition.model_validate(
        rows[5].definition
    )
