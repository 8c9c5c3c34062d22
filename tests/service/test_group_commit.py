"""Group commit: items submitted together are handled a batch at a time by one thread,
and each submitter gets its own item's outcome."""

import threading
import time
from concurrent.futures import CancelledError, Future

import pytest

from service.drafts.group_commit import Closed, GroupCommit


class Recorder:
    """A handler that records its batches; the first batch waits for ``release``."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.threads: set[int] = set()
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, items: list[str]) -> list[str | Exception]:
        self.threads.add(threading.get_ident())
        self.batches.append(items)
        self.started.set()
        assert self.release.wait(10)
        if "explode" in items:
            raise RuntimeError("the whole batch failed")
        return [ValueError(item) if item.startswith("bad") else item.upper() for item in items]


def test_items_queued_behind_a_batch_are_written_together_in_order() -> None:
    handler = Recorder()
    writer: GroupCommit[str, str] = GroupCommit(handler, name="test", max_batch=8)
    first = writer.submit("a")
    assert handler.started.wait(5)
    queued = [writer.submit(f"item-{n}") for n in range(10)]
    handler.release.set()
    assert first.result(5) == "A"
    assert [future.result(5) for future in queued] == [f"ITEM-{n}" for n in range(10)]
    writer.close()
    # One batch for the first, then the ten waiting: eight (the bound) and two.
    assert handler.batches == [["a"], [f"item-{n}" for n in range(8)], ["item-8", "item-9"]]
    assert len(handler.threads) == 1
    assert threading.get_ident() not in handler.threads
    assert (writer.batches_written, writer.items_written) == (3, 11)


def test_each_item_gets_its_own_outcome_and_a_failed_batch_fails_only_its_items() -> None:
    handler = Recorder()
    handler.release.set()
    writer: GroupCommit[str, str] = GroupCommit(handler, name="test")
    good, bad = writer.submit("good"), writer.submit("bad one")
    assert good.result(5) == "GOOD"
    with pytest.raises(ValueError, match="bad one"):
        bad.result(5)
    with pytest.raises(RuntimeError, match="the whole batch failed"):
        writer.submit("explode").result(5)
    assert writer.submit("after").result(5) == "AFTER"  # the writer lives on
    writer.close()


def test_an_item_given_up_before_its_turn_is_not_written() -> None:
    handler = Recorder()
    writer: GroupCommit[str, str] = GroupCommit(handler, name="test")
    writer.submit("first")
    assert handler.started.wait(5)
    abandoned, kept = writer.submit("abandoned"), writer.submit("kept")
    assert abandoned.cancel()
    handler.release.set()
    assert kept.result(5) == "KEPT"
    with pytest.raises(CancelledError):
        abandoned.result(0)
    writer.close()
    assert ["abandoned"] not in handler.batches
    assert ["kept"] in handler.batches


def test_close_writes_what_is_queued_then_refuses_more() -> None:
    handler = Recorder()
    writer: GroupCommit[str, str] = GroupCommit(handler, name="test")
    writer.submit("first")
    assert handler.started.wait(5)
    queued: Future[str] = writer.submit("queued")
    closing = threading.Thread(target=writer.close)
    closing.start()
    time.sleep(0.05)
    handler.release.set()
    closing.join(5)
    assert queued.result(0) == "QUEUED"
    with pytest.raises(Closed):
        writer.submit("late")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_writer_thread_that_died_answers_its_batch_and_is_started_again() -> None:
    def handler(items: list[str]) -> list[str | Exception]:
        if "die" in items:
            raise SystemExit("the thread goes down")
        return [item.upper() for item in items]

    writer: GroupCommit[str, str] = GroupCommit(handler, name="dying-writer")
    with pytest.raises(Closed, match="stopped"):
        writer.submit("die").result(5)
    # Let it finish dying inside this test, where its exception is expected.
    for thread in [thread for thread in threading.enumerate() if thread.name == "dying-writer"]:
        thread.join(5)
    assert writer.submit("again").result(5) == "AGAIN"
    writer.close()
