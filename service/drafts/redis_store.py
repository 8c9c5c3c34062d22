"""Drafts in Redis: the fast store auto-saves land in, with the database as backup.

One hash per draft (``wfv:draft:<digest>``): ``meta`` (whose draft, in the clear, for the
write-behind), ``rev``, ``at`` and one sealed document per kept revision (``r:<n>``). A
save is one Lua script: compare the revision, add the new one, drop the oldest, refresh the
TTL, mark the draft dirty for the write-behind, and tell the caller whether a flush must be
scheduled (a flag with a TTL deduplicates that). Dirty drafts wait in a sorted set; each
version has a set of its drafts' keys, so publishing can remove every user's.

When Redis fails the cache says so (``CacheUnavailable``) and stays out of the way for
``WFV_DRAFT_REDIS_RETRY_SECONDS``; drafts saved to the database meanwhile are remembered,
and their older Redis copies are evicted as soon as Redis answers again.
"""

import asyncio
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import redis
import redis.asyncio as aioredis

from indexer.drafts import DraftKey, VersionTarget
from service.drafts.records import DraftRecord
from service.settings import Settings

log = logging.getLogger("wfv.drafts")
T = TypeVar("T")

DIRTY = "wfv:drafts:dirty"
FLUSH_FLAG = "wfv:drafts:flush-pending"
_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.exceptions.ReadOnlyError)

_PRUNE = """
local function prune(key, keep)
  local revs = {}
  for _, name in ipairs(redis.call('HKEYS', key)) do
    if string.sub(name, 1, 2) == 'r:' then table.insert(revs, tonumber(string.sub(name, 3))) end
  end
  if #revs <= keep then return end
  table.sort(revs)
  for i = 1, #revs - keep do redis.call('HDEL', key, 'r:' .. revs[i]) end
end
"""
# KEYS: draft, dirty, version index, flush flag, the version's closed mark.
# ARGV: expected rev ('' = no record), new rev, at, keep, ttl, replace, dirty score ('' = clean),
#       meta, then field/value pairs to set.
_PUT = (
    _PRUNE
    + """
if redis.call('EXISTS', KEYS[5]) == 1 then return {2, 0} end
local cur = redis.call('HGET', KEYS[1], 'rev')
if (cur or '') ~= ARGV[1] then return {0, tonumber(cur or '-1')} end
if ARGV[6] == '1' then redis.call('DEL', KEYS[1]) end
if not cur or ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'meta', ARGV[8]) end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'at', ARGV[3])
for i = 9, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
prune(KEYS[1], tonumber(ARGV[4]))
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('SADD', KEYS[3], KEYS[1])
redis.call('EXPIRE', KEYS[3], ARGV[5])
if ARGV[7] == '' then return {1, 0} end
redis.call('ZADD', KEYS[2], 'NX', ARGV[7], KEYS[1])
-- 30 s: a flush schedule lost with a crashed node delays the next one that long at most.
local fresh = redis.call('SET', KEYS[4], '1', 'NX', 'EX', 30)
return {1, fresh and 1 or 0}
"""
)
# Delete a draft if it is not newer than ARGV[1]. KEYS: draft, dirty, version index.
_FORGET = """
local cur = redis.call('HGET', KEYS[1], 'rev')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
redis.call('SREM', KEYS[3], KEYS[1])
return 1
"""
# The write-behind wrote revision ARGV[1]: clean, unless a newer save came meanwhile.
_CLEAN = """
local cur = redis.call('HGET', KEYS[1], 'rev')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
return redis.call('ZREM', KEYS[2], KEYS[1])
"""
# Close a version for drafts (ARGV[1]: how long to keep the mark) and remove its drafts.
# KEYS: version index, dirty, closed mark.
_CLOSE_VERSION = """
redis.call('SET', KEYS[3], '1', 'EX', ARGV[1])
local keys = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(keys) do
  redis.call('DEL', key)
  redis.call('ZREM', KEYS[2], key)
end
redis.call('DEL', KEYS[1])
return #keys
"""


class CacheUnavailable(Exception):
    """Redis did not answer; the caller uses the database instead."""


@dataclass(frozen=True)
class PutResult:
    ok: bool
    revision: int  # the new revision, or the record's when the compare failed (-1: none)
    schedule_flush: bool = False
    closed: bool = False  # the version was published or deleted: no draft saves


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _moment(micros: bytes | str | int) -> datetime:
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)


def version_index(version_id: uuid.UUID) -> str:
    return f"wfv:drafts:of:{version_id}"


def closed_mark(version_id: uuid.UUID) -> str:
    return f"wfv:drafts:closed:{version_id}"


def key_name(key: DraftKey) -> str:
    """Hashed: tenant and user ids are free text, a Redis key must not be."""
    raw = f"{key.tenant_id}\0{key.workflow_id}\0{key.version_id}\0{key.user_id}".encode()
    return f"wfv:draft:{hashlib.sha256(raw).hexdigest()[:40]}"


def _meta(key: DraftKey, created_at: datetime) -> str:
    return json.dumps(
        {
            "t": key.tenant_id,
            "w": str(key.workflow_id),
            "v": str(key.version_id),
            "u": key.user_id,
            "c": _micros(created_at),
        }
    )


def _record(fields: Mapping[Any, Any]) -> tuple[DraftKey, DraftRecord] | None:
    if b"meta" not in fields or b"rev" not in fields:
        return None
    meta = json.loads(fields[b"meta"])
    key = DraftKey(meta["t"], uuid.UUID(meta["w"]), uuid.UUID(meta["v"]), meta["u"])
    history = {int(name[2:]): value for name, value in fields.items() if name.startswith(b"r:")}
    record = DraftRecord(int(fields[b"rev"]), _moment(fields[b"at"]), _moment(meta["c"]), history)
    return key, record


class RecentTargets:
    """The version lookups of recent Redis saves, kept a minute: an editor saves the same
    draft every few seconds, and this spares those saves a database round trip. What is
    remembered cannot go stale but for the version's status, and a version that stops
    being a draft is marked closed in Redis (``service.drafts.endings``), which every save
    checks in its own script: a process that still remembers the version refuses the
    save all the same."""

    def __init__(self, seconds: float = 60.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, uuid.UUID, object], tuple[float, VersionTarget]] = {}

    def get(self, tenant_id: str, workflow_id: uuid.UUID, ref: object) -> VersionTarget | None:
        found = self._entries.get((tenant_id, workflow_id, ref))
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, tenant_id: str, workflow_id: uuid.UUID, ref: object, target: VersionTarget) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[(tenant_id, workflow_id, ref)] = (time.monotonic() + self.seconds, target)

    def forget_version(self, version_id: uuid.UUID) -> None:
        with self._lock:
            for name in [
                name for name, (_, target) in self._entries.items() if target.version_id == version_id
            ]:
                del self._entries[name]


class RedisDraftCache:
    def __init__(
        self,
        client: "redis.Redis",
        *,
        ttl_seconds: int,
        keep: int,
        retry_seconds: float,
        async_client: Callable[[], "aioredis.Redis"] | None = None,
    ) -> None:
        self.client = client
        self._async_factory = async_client
        self._async: tuple[asyncio.AbstractEventLoop, Any] | None = None
        self.ttl = ttl_seconds
        self.keep = keep
        self.retry_seconds = retry_seconds
        self._put = client.register_script(_PUT)
        self._forget = client.register_script(_FORGET)
        self._clean = client.register_script(_CLEAN)
        self._close_version = client.register_script(_CLOSE_VERSION)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._stale: dict[DraftKey, int] = {}
        self.targets = RecentTargets()

    @classmethod
    def from_settings(cls, settings: Settings) -> "RedisDraftCache | None":
        if not settings.redis_url:
            return None
        timeout = settings.draft_redis_timeout_seconds
        url = settings.redis_url
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(
            client,
            ttl_seconds=settings.draft_retention_days * 86_400,
            keep=settings.draft_history,
            retry_seconds=settings.draft_redis_retry_seconds,
            async_client=lambda: aioredis.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout
            ),
        )

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def takes_quick_saves(self) -> bool:
        """Whether a save may go the event loop's way (``put_quickly``): not while the
        breaker is open or copies overtaken by the database wait for their eviction."""
        return self._async_factory is not None and self.available() and not self._stale

    def _trip(self, exc: Exception) -> CacheUnavailable:
        with self._lock:
            self._down_until = time.monotonic() + self.retry_seconds
        return CacheUnavailable(str(exc))

    def _run(self, call: Callable[[], T]) -> T:
        """Every Redis call: a failure opens the breaker, the first success after it
        evicts the copies that the database has since overtaken."""
        try:
            result = call()
        except _DOWN as exc:
            raise self._trip(exc) from exc
        if self._stale:
            self._evict_stale()
        return result

    def _evict_stale(self) -> None:
        with self._lock:
            stale, self._stale = self._stale, {}
        try:
            for key, revision in stale.items():
                self._forget(keys=self._keys(key)[:3], args=[revision])
        except _DOWN:
            with self._lock:
                self._stale = {**stale, **self._stale}
            return
        log.info("evicted %d draft(s) from Redis that the database overtook during an outage", len(stale))

    def remember_stale(self, key: DraftKey, revision: int) -> None:
        """``key`` was saved to the database at ``revision`` while Redis was unreachable."""
        with self._lock:
            self._stale[key] = max(revision, self._stale.get(key, revision))

    @staticmethod
    def _keys(key: DraftKey) -> list[str]:
        return [key_name(key), DIRTY, version_index(key.version_id), FLUSH_FLAG, closed_mark(key.version_id)]

    def _put_args(
        self,
        key: DraftKey,
        expected: int | None,
        record: DraftRecord,
        fields: Mapping[int, bytes],
        replace: bool,
        dirty: bool,
    ) -> list[Any]:
        args: list[Any] = [
            "" if expected is None else expected,
            record.revision,
            _micros(record.saved_at),
            self.keep,
            self.ttl,
            "1" if replace else "0",
            time.time() if dirty else "",
            _meta(key, record.created_at),
        ]
        for number, token in fields.items():
            args += [f"r:{number}", token]
        return args

    @staticmethod
    def _outcome(answer: list[int], record: DraftRecord) -> PutResult:
        status, value = answer
        if status == 2:
            return PutResult(False, -1, closed=True)
        if not status:
            return PutResult(False, int(value))
        return PutResult(True, record.revision, schedule_flush=bool(value))

    def put(
        self,
        key: DraftKey,
        *,
        expected: int | None,
        record: DraftRecord,
        fields: Mapping[int, bytes],
        replace: bool = False,
        dirty: bool = True,
    ) -> PutResult:
        """Write ``record``'s revision (setting ``fields``) if the stored revision is still
        ``expected`` (None: no record)."""
        args = self._put_args(key, expected, record, fields, replace, dirty)
        return self._outcome(self._run(lambda: self._put(keys=self._keys(key), args=args)), record)

    async def put_quickly(self, key: DraftKey, *, expected: int, record: DraftRecord) -> PutResult:
        """``put`` of one new revision from the event loop, with no worker thread: the
        usual auto-save. Its client belongs to the loop it was made in (one per process
        under uvicorn)."""
        if self._async is None or self._async[0] is not asyncio.get_running_loop():
            assert self._async_factory is not None, "quick saves need an async client"
            client = self._async_factory()
            self._async = (asyncio.get_running_loop(), client.register_script(_PUT))
        args = self._put_args(key, expected, record, record.history, replace=False, dirty=True)
        try:
            answer = await self._async[1](keys=self._keys(key), args=args)
        except _DOWN as exc:
            raise self._trip(exc) from exc
        return self._outcome(answer, record)

    def load(self, key: DraftKey) -> DraftRecord | None:
        found = _record(self._run(lambda: self.client.hgetall(key_name(key))))
        return found[1] if found else None

    def load_many(self, names: list[str]) -> dict[str, tuple[DraftKey, DraftRecord] | None]:
        def fetch() -> list[Any]:
            pipe = self.client.pipeline(transaction=False)
            for name in names:
                pipe.hgetall(name)
            return pipe.execute()

        return {name: _record(fields) for name, fields in zip(names, self._run(fetch), strict=True)}

    def dirty(self, limit: int) -> list[str]:
        names: list[bytes] = self._run(lambda: self.client.zrange(DIRTY, 0, limit - 1))  # type: ignore[arg-type,return-value]
        return [name.decode() for name in names]

    def mark_clean(self, name: str, revision: int) -> None:
        self._run(lambda: self._clean(keys=[name, DIRTY], args=[revision]))

    def forget(self, key: DraftKey, revision: int) -> None:
        """Remove the draft unless a save newer than ``revision`` arrived; if Redis is down,
        remember it so the removal happens when Redis is back."""
        try:
            self._run(lambda: self._forget(keys=self._keys(key)[:3], args=[revision]))
        except CacheUnavailable:
            self.remember_stale(key, revision)
            log.warning("Redis unavailable: draft %s will be evicted when it is back", key_name(key))

    def close_version(self, version_id: uuid.UUID) -> int:
        """No more saves for this version (published or deleted); its drafts go."""
        keys = [version_index(version_id), DIRTY, closed_mark(version_id)]
        removed: int = self._run(lambda: self._close_version(keys=keys, args=[self.ttl]))
        return removed

    def clear_flush_flag(self) -> None:
        self._run(lambda: self.client.delete(FLUSH_FLAG))

    def close(self) -> None:
        self.client.close()
