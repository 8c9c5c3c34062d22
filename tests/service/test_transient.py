"""What counts as an outage (worth trying again) and what is a fault (never retried), and
the backoff a migration runner waits through an outage with."""

import itertools
import time

import psycopg
import pytest
import redis
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from service.errors import CommitOutcomeUnknown
from service.transient import is_transient
from tasks.migrations import patiently


def _lost_commit() -> CommitOutcomeUnknown:
    try:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))
    except OperationalError as exc:
        try:
            raise CommitOutcomeUnknown("lost while saving") from exc
        except CommitOutcomeUnknown as outer:
            return outer


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, Exception("connection refused")),
        DBAPIError("SELECT 1", {}, Exception("closed"), connection_invalidated=True),
        psycopg.OperationalError("the begin hook's connection died"),
        redis.ConnectionError("Connection refused"),
        redis.TimeoutError("Timeout reading from socket"),
        _lost_commit(),
    ],
)
def test_outages_are_transient(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT", {}, Exception("duplicate key")),
        DBAPIError("SELECT 1", {}, Exception("syntax"), connection_invalidated=False),
        ValueError("a bug"),
        redis.ResponseError("WRONGTYPE"),
    ],
)
def test_faults_are_not(error: BaseException) -> None:
    assert not is_transient(error)


def test_an_outage_is_waited_out_quickly() -> None:
    tries: list[float] = []

    def action() -> str:
        tries.append(time.monotonic())
        if len(tries) < 4:
            raise redis.ConnectionError("Connection refused")
        return "moved"

    assert patiently("a batch", action, 30) == "moved"
    assert len(tries) == 4
    assert tries[-1] - tries[0] < 2  # backoff starts at 50 ms


def test_backoff_is_capped_at_a_second() -> None:
    tries: list[float] = []

    def action() -> None:
        tries.append(time.monotonic())
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with pytest.raises(OperationalError):
        patiently("a batch", action, 4)
    gaps = [b - a for a, b in itertools.pairwise(tries)]
    assert max(gaps) < 1.2, gaps  # a returning database is seen within about a second
    assert tries[-1] - tries[0] >= 3  # tried for the whole window


def test_a_fault_is_not_retried() -> None:
    tries: list[int] = []

    def action() -> None:
        tries.append(1)
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(IntegrityError):
        patiently("a batch", action, 30)
    assert tries == [1]
