"""The comparison cache: the two costly parts of a compare, each kept with the rule that
makes it safe (service/compare/comparison.py puts them together).

- The document diff, by the two tree ids: a tree id is its content, so a diff can never
  describe content that changed (an edited draft has a new tree). Kept in process (the
  1,024 most recently used), since every process computing it gets the same diff.
- The live counts (contacts in flight per position on the ``from`` version, pinned
  apart), which change with every enrolment, position report, migration or revert batch,
  pin and unpin. They are kept under the
  workflow's *generation*, a counter every such write bumps once it has committed: the
  next compare asks under the new generation and counts again. A compare reads the
  generation before it opens its transaction, so counts read from a snapshot older than a
  write can only be kept under a generation that write already left behind. Entries also
  expire after ``WFV_COMPARE_LIVE_TTL_SECONDS``: the bound on staleness should a bump be
  lost (a writer killed between its commit and the bump, Redis failing just then, or
  several processes without Redis, each with a cache of its own).

Keys hold the tenant and the workflow, so one tenant's entry is never another's answer.
Generations and live counts are in Redis when configured (shared by every API process
and worker: a bump in one is seen by all), else in process. A cache failure costs a
recomputation, never a failed request.
"""

import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

import redis

from schemas.compare import DocumentDiff

log = logging.getLogger("wfv.compare_cache")
# Generations outlive any live entry by far; a generation that expired restarts at 0,
# and every entry of the old 0 expired long before.
GENERATION_TTL_SECONDS = 7 * 86_400
T = TypeVar("T")


@dataclass(frozen=True)
class LiveCounts:
    """Contacts in flight on the ``from`` version per position (an action id, or None for
    none), as (not pinned, pinned), the way the database had them at ``as_of``."""

    positions: dict[str | None, tuple[int, int]]
    as_of: datetime

    def to_json(self) -> str:
        rows = [[action, free, pinned] for action, (free, pinned) in self.positions.items()]
        return json.dumps({"positions": rows, "as_of": self.as_of.isoformat()})

    @classmethod
    def from_json(cls, raw: bytes | str) -> "LiveCounts":
        data = json.loads(raw)
        positions = {
            None if action is None else str(action): (int(free), int(pinned))
            for action, free, pinned in data["positions"]
        }
        return cls(positions, datetime.fromisoformat(data["as_of"]))


def diff_key(tenant_id: str, workflow_id: uuid.UUID, old_tree: str, new_tree: str) -> str:
    return f"wfv:compare:diff:{tenant_id}:{workflow_id}:{old_tree}:{new_tree}"


def generation_key(tenant_id: str, workflow_id: uuid.UUID) -> str:
    return f"wfv:compare:gen:{tenant_id}:{workflow_id}"


def live_key(tenant_id: str, workflow_id: uuid.UUID, version_id: uuid.UUID, generation: int) -> str:
    # "live2": entries of the earlier shape (one count per action) are never read.
    return f"wfv:compare:live2:{tenant_id}:{workflow_id}:{version_id}:{generation}"


class CompareCache(Protocol):
    def generation(self, tenant_id: str, workflow_id: uuid.UUID) -> int | None:
        """The workflow's live-count generation; None when the cache cannot say (then no
        live counts are read from it or kept in it)."""

    def lookup(self, diff: str, live: str | None) -> tuple[DocumentDiff | None, LiveCounts | None]:
        """Both entries in one round trip (``live`` None: not wanted)."""

    def keep_diff(self, key: str, diff: DocumentDiff) -> None: ...

    def keep_live(self, key: str, counts: LiveCounts) -> None: ...

    def executions_changed(self, tenant_id: str, workflow_id: uuid.UUID) -> None:
        """Start a new generation: live counts kept so far are never read again."""


class _Lru(Generic[T]):
    """A bounded map, least recently used out first; entries may carry a deadline."""

    def __init__(self, size: int, now: Callable[[], float]) -> None:
        self.size, self.now = size, now
        self._items: OrderedDict[str, tuple[float | None, T]] = OrderedDict()

    def get(self, key: str) -> T | None:
        found = self._items.get(key)
        if found is None:
            return None
        deadline, value = found
        if deadline is not None and self.now() >= deadline:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: str, value: T, ttl: float | None = None) -> None:
        self._items[key] = (None if ttl is None else self.now() + ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class InProcessCompareCache:
    """One process's cache, shared by its threads (API and embedded workers alike)."""

    def __init__(self, live_ttl: float, size: int = 1024, now: Callable[[], float] = time.monotonic) -> None:
        self.live_ttl = live_ttl
        self._diffs: _Lru[DocumentDiff] = _Lru(size, now)
        self._live: _Lru[LiveCounts] = _Lru(size, now)
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()

    def generation(self, tenant_id: str, workflow_id: uuid.UUID) -> int | None:
        with self._lock:
            return self._generations.get(generation_key(tenant_id, workflow_id), 0)

    def lookup(self, diff: str, live: str | None) -> tuple[DocumentDiff | None, LiveCounts | None]:
        with self._lock:
            return self._diffs.get(diff), None if live is None else self._live.get(live)

    def keep_diff(self, key: str, diff: DocumentDiff) -> None:
        with self._lock:
            self._diffs.put(key, diff)

    def keep_live(self, key: str, counts: LiveCounts) -> None:
        if self.live_ttl > 0:
            with self._lock:
                self._live.put(key, counts, self.live_ttl)

    def executions_changed(self, tenant_id: str, workflow_id: uuid.UUID) -> None:
        key = generation_key(tenant_id, workflow_id)
        with self._lock:
            self._generations[key] = self._generations.get(key, 0) + 1


class RedisCompareCache:
    """Generations and live counts in Redis, shared by every process: a bump in one is
    seen by all. Diffs stay in process: a diff is a fact about two contents, the same in
    every process that computes it, so sharing it would only add a round trip and a parse."""

    def __init__(self, client: redis.Redis, live_ttl: float, size: int = 1024) -> None:
        self.client = client
        self.live_ttl = live_ttl
        self._diffs: _Lru[DocumentDiff] = _Lru(size, time.monotonic)
        self._lock = threading.Lock()

    def generation(self, tenant_id: str, workflow_id: uuid.UUID) -> int | None:
        try:
            raw = self.client.get(generation_key(tenant_id, workflow_id))
        except redis.RedisError as exc:
            log.warning("comparison cache unavailable, counting live contacts afresh: %s", exc)
            return None
        return int(raw) if raw else 0

    def lookup(self, diff: str, live: str | None) -> tuple[DocumentDiff | None, LiveCounts | None]:
        with self._lock:
            found = self._diffs.get(diff)
        if live is None:
            return found, None
        try:
            raw = self.client.get(live)
        except redis.RedisError as exc:
            log.warning("comparison cache unavailable, counting live contacts afresh: %s", exc)
            return found, None
        return found, LiveCounts.from_json(raw) if raw else None

    def keep_diff(self, key: str, diff: DocumentDiff) -> None:
        with self._lock:
            self._diffs.put(key, diff)

    def keep_live(self, key: str, counts: LiveCounts) -> None:
        if self.live_ttl <= 0:
            return
        try:
            self.client.set(key, counts.to_json(), px=max(1, int(self.live_ttl * 1000)))
        except redis.RedisError as exc:
            log.warning("live counts not cached: %s", exc)

    def executions_changed(self, tenant_id: str, workflow_id: uuid.UUID) -> None:
        key = generation_key(tenant_id, workflow_id)
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, GENERATION_TTL_SECONDS)
            pipe.execute()
        except redis.RedisError as exc:
            # The counts kept for this workflow stay until they expire (the stated bound).
            log.warning("compare live counts of workflow %s not invalidated: %s", workflow_id, exc)


def build_compare_cache(redis_url: str | None, live_ttl: float) -> CompareCache:
    if redis_url:
        return RedisCompareCache(
            redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5), live_ttl
        )
    return InProcessCompareCache(live_ttl)
