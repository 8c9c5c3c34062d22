"""Periodic tasks run once per tick, however many consumers run the scheduler.

Huey's scheduler enqueues every due periodic task on every consumer started with
``periodic=True``: two ``wfv worker`` (or two ``wfv serve``) processes would reconcile,
sweep drafts and archive twice each tick (``lock_task`` only stops runs from overlapping).
Here a consumer enqueues a due task only if it *claims the tick* first: one
``put_if_empty`` of ``wfv:periodic:<task>:<YYYYmmddHHMM>`` in the queue's own storage (an
``HSETNX`` on Redis, an ``INSERT OR ABORT`` on the SQLite queue), atomic on every backend,
so every periodic task, present and future, gets it without a decorator of its own.

A claim is kept until the same task claims its tick after next: a consumer whose clock
lags another's by up to one tick still finds the claim. So at most two claims per task
stay in the storage. Ticks are named by the scheduler's own (UTC) minute, so consumers on
clocks less than one tick apart agree on them.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from huey import Huey, crontab
from huey.constants import EmptyData
from huey.consumer import Consumer, Scheduler

from service.settings import Settings
from tasks import runtime

log = logging.getLogger("wfv.tasks.periodic")
_PREFIX = "wfv:periodic:"
MAX_POLL_DELAY_SECONDS = 1.0


def cron_from_settings(cron_of: Callable[[Settings], str]) -> Callable[[datetime], bool]:
    """A periodic task's schedule, read from the running process's settings at each tick
    (not at import: ``wfv serve``/``wfv worker`` configure ``tasks.runtime`` at start-up).
    ``cron_of`` gives the five cron fields; ``Settings`` validated them already."""

    def due(moment: datetime) -> bool:
        return bool(crontab(*cron_of(runtime.settings()).split())(moment))

    return due


def claim_tick(huey: Huey, task_name: str, tick: datetime) -> bool:
    """True for exactly one caller per (task, minute) across every consumer of the queue."""
    minute = tick.strftime("%Y%m%d%H%M")
    if not huey.storage.put_if_empty(f"{_PREFIX}{task_name}:{minute}", minute.encode()):
        return False
    _forget_old_claims(huey, task_name, minute)
    return True


def _forget_old_claims(huey: Huey, task_name: str, minute: str) -> None:
    """Keep this claim and the previous one; delete the one before (it can no longer race)."""
    history_key = f"{_PREFIX}{task_name}"
    stored = huey.storage.peek_data(history_key)
    recent: list[str] = [] if stored is EmptyData else json.loads(stored)
    recent.append(minute)
    for old in recent[:-2]:
        huey.storage.delete_data(f"{_PREFIX}{task_name}:{old}")
    huey.storage.put_data(history_key, json.dumps(recent[-2:]).encode())


class ClaimingScheduler(Scheduler):  # type: ignore[misc]
    """Huey's scheduler, enqueueing a periodic task only when this consumer claimed the tick."""

    def enqueue_periodic_tasks(self, now: datetime | None) -> None:
        # Huey's loop passes None: "now" by the queue's clock (UTC), which names the tick.
        now = now or self.huey._get_timestamp()
        for task in self.huey.read_periodic(now):
            try:
                if not claim_tick(self.huey, task.name, now):
                    log.debug("periodic task %s at %s: claimed by another consumer", task.name, now)
                    continue
                # Every tick, every periodic task: chatter at INFO (WFV_LOG_LEVEL=DEBUG shows it).
                log.debug("enqueueing periodic task %s for %s", task.name, now.strftime("%H:%M"))
                self.huey.enqueue(task)
            except Exception:
                # The scheduler thread must live on; the next tick tries again.
                log.exception("could not claim or enqueue periodic task %s", task.name)


class ClaimingConsumer(Consumer):  # type: ignore[misc]
    scheduler_class = ClaimingScheduler


def create_consumer(huey: Huey, **options: Any) -> Consumer:
    """What ``wfv serve`` and ``wfv worker`` run: Huey's consumer with tick claims.

    It starts by clearing the ``lock_task`` locks: a worker killed inside a locked task
    leaves its lock behind for good (Huey's locks never expire), and the scheduled archival
    would never run again. Clearing one a live consumer holds is harmless: those locks only
    spare overlapping runs, and what each task changes is guarded in the database (archival
    and migration rows, workflow row locks).

    A worker that cannot read the queue backs off, by Huey's default up to 10 s between
    tries; capped at a second here, work resumes within a second of the queue's return
    (an idle SQLite queue is polled at most once a second, too: a cheap read)."""
    options.setdefault("flush_locks", True)
    options.setdefault("max_delay", MAX_POLL_DELAY_SECONDS)
    return ClaimingConsumer(huey, **options)
