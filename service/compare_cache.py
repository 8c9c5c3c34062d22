"""Comparisons of published content never change (a tree id is its content), so a
comparison is cached by the two tree ids: in Redis when configured, else in process.
A cache failure costs a recomputation, never a failed request."""

import logging
import threading
from collections import OrderedDict
from typing import Protocol

import redis

from schemas.compare import DocumentDiff

log = logging.getLogger("wfv.compare_cache")


class ComparisonCache(Protocol):
    def get(self, old_tree: str, new_tree: str) -> DocumentDiff | None: ...

    def put(self, old_tree: str, new_tree: str, diff: DocumentDiff) -> None: ...


class InProcessComparisonCache:
    """A small LRU, shared by the threads of one process."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], DocumentDiff] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, old_tree: str, new_tree: str) -> DocumentDiff | None:
        with self._lock:
            found = self._items.get((old_tree, new_tree))
            if found is not None:
                self._items.move_to_end((old_tree, new_tree))
            return found

    def put(self, old_tree: str, new_tree: str, diff: DocumentDiff) -> None:
        with self._lock:
            self._items[(old_tree, new_tree)] = diff
            self._items.move_to_end((old_tree, new_tree))
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class RedisComparisonCache:
    """Shared by every API node; entries expire after a day of not being asked for."""

    def __init__(self, client: redis.Redis, ttl_seconds: int = 86_400) -> None:
        self.client = client
        self.ttl = ttl_seconds

    @staticmethod
    def _key(old_tree: str, new_tree: str) -> str:
        return f"wfv:compare:{old_tree}:{new_tree}"

    def get(self, old_tree: str, new_tree: str) -> DocumentDiff | None:
        try:
            raw = self.client.getex(self._key(old_tree, new_tree), ex=self.ttl)
        except redis.RedisError as exc:
            log.warning("comparison cache unavailable, computing: %s", exc)
            return None
        return DocumentDiff.model_validate_json(raw) if raw else None

    def put(self, old_tree: str, new_tree: str, diff: DocumentDiff) -> None:
        try:
            self.client.set(self._key(old_tree, new_tree), diff.model_dump_json(), ex=self.ttl)
        except redis.RedisError as exc:
            log.warning("comparison not cached: %s", exc)


def build_comparison_cache(redis_url: str | None) -> ComparisonCache:
    if redis_url:
        return RedisComparisonCache(
            redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        )
    return InProcessComparisonCache()
