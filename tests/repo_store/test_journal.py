"""The ref journal (``repo_store/journal.py``): an update whose process is SIGKILLed while
its refs move one by one is finished by the next holder of the workflow's lock, never left
torn. The kill is real: a forked child runs the update with ``cut`` and dies in it."""

import multiprocessing
import os
import signal
import uuid
from pathlib import Path

import pytest

from repo_store import PygitRepoStore, RefUpdate
from repo_store.errors import RefLocked
from repo_store.journal import JOURNAL_NAME
from repo_store.store import WorkflowRepo
from tests.repo_store.test_store import ALICE, WHEN, commit

MAIN, TAG, MARK = "refs/heads/main", "refs/tags/v2", "refs/wfv/head"


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _cut_in_child(path: Path, updates: list[RefUpdate]) -> None:
    def child() -> None:
        repo = PygitRepoStore(path.parent.parent).open_path(path)
        repo.update_refs(updates, reflog="publish", cut=_kill_self)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=30)
    assert process.exitcode == -signal.SIGKILL


@pytest.fixture
def published(tmp_path: Path) -> tuple[WorkflowRepo, list[RefUpdate]]:
    """v1 published (main, tag v1, watermark), then a publish of v2 to be cut."""
    repo = PygitRepoStore(tmp_path / "repos").create("acme", uuid.uuid4(), {})
    first = commit(repo, "one")
    tag1 = repo.write_tag(name="v1", target=first, tagger=ALICE, when=WHEN, message="v1")
    repo.update_refs(
        [RefUpdate(MAIN, None, first), RefUpdate("refs/tags/v1", None, tag1), RefUpdate(MARK, None, first)],
        reflog="publish",
    )
    second = commit(repo, "two", (first,))
    tag2 = repo.write_tag(name="v2", target=second, tagger=ALICE, when=WHEN, message="v2")
    return repo, [RefUpdate(MAIN, first, second), RefUpdate(TAG, None, tag2), RefUpdate(MARK, first, second)]


def test_a_finished_update_leaves_no_journal(published: tuple[WorkflowRepo, list[RefUpdate]]) -> None:
    repo, updates = published
    repo.update_refs(updates, reflog="publish")
    assert (repo.path / JOURNAL_NAME).stat().st_size == 0  # kept, empty: no inode per write
    assert not repo.interrupted_update()
    assert repo.finish_interrupted_update() is None


def test_an_update_killed_half_way_is_finished(published: tuple[WorkflowRepo, list[RefUpdate]]) -> None:
    repo, updates = published
    _cut_in_child(repo.path, updates)
    # torn: main moved, its tag and the watermark not, their lock files left behind
    assert repo.ref_target(MAIN) == updates[0].new
    assert (repo.ref_target(TAG), repo.ref_target(MARK)) == (None, updates[2].old)
    assert (repo.path / f"{TAG}.lock").exists()
    assert (repo.path / f"{MARK}.lock").exists()
    assert repo.interrupted_update()
    with pytest.raises(RefLocked):  # what every later write met until the lock files aged
        repo.update_refs([RefUpdate(MARK, updates[2].old, updates[2].new)], reflog="x")

    assert repo.finish_interrupted_update() == [TAG, MARK]
    assert [repo.ref_target(u.name) for u in updates] == [u.new for u in updates]
    assert not repo.interrupted_update()
    assert not list(repo.path.rglob("*.lock"))


def test_a_ref_moved_since_is_not_overwritten(published: tuple[WorkflowRepo, list[RefUpdate]]) -> None:
    repo, updates = published
    _cut_in_child(repo.path, updates)
    elsewhere = commit(repo, "by hand")
    (repo.path / f"{MARK}.lock").unlink()
    repo.update_refs([RefUpdate(MARK, updates[2].old, elsewhere)], reflog="by hand")

    assert repo.finish_interrupted_update() is None  # the ref checks report it instead
    assert (repo.ref_target(TAG), repo.ref_target(MARK)) == (None, elsewhere)
    assert not repo.interrupted_update()


def test_a_cut_deletion_is_finished(published: tuple[WorkflowRepo, list[RefUpdate]]) -> None:
    repo, updates = published
    repo.update_refs(updates, reflog="publish")
    back = [RefUpdate(TAG, updates[1].new, None), RefUpdate(MAIN, updates[0].new, updates[0].old)]
    _cut_in_child(repo.path, back)
    assert repo.ref_target(TAG) is None
    assert repo.ref_target(MAIN) == updates[0].new
    assert repo.finish_interrupted_update() == [MAIN]
    assert (repo.ref_target(TAG), repo.ref_target(MAIN)) == (None, updates[0].old)


def test_a_journal_not_ours_is_dropped(published: tuple[WorkflowRepo, list[RefUpdate]]) -> None:
    repo, updates = published
    (repo.path / JOURNAL_NAME).write_text("not json {")
    assert repo.interrupted_update()
    assert repo.finish_interrupted_update() is None
    assert not repo.interrupted_update()
    assert repo.ref_target(MAIN) == updates[0].old


def test_an_update_made_while_an_error_is_handled_empties_its_journal(
    published: tuple[WorkflowRepo, list[RefUpdate]],
) -> None:
    """A unit of work moves its refs back inside an ``except`` (its commit failed): that
    update succeeded, so its journal is emptied, not left for healing to find."""
    repo, updates = published
    try:
        raise ConnectionError("the database went away")
    except ConnectionError:
        repo.update_refs(updates, reflog="publish")
    assert (repo.path / JOURNAL_NAME).stat().st_size == 0
    assert not repo.interrupted_update()
