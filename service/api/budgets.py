"""A fair share per tenant: request budgets, so one organisation's burst cannot starve the rest.

Three budgets per tenant, each a number of requests per window: **reads** (GET and HEAD,
and git fetch and clone), **writes** (every other method, and git push) and **draft saves**
(the auto-save route, which an editor calls every few seconds and would otherwise eat the
writes budget). A request is charged after its token is verified (``deps.current_principal``
and the git routes' caller): a request that fails authentication is charged to nobody, and
the probes (``/healthz``, ``/readyz``, ``/metrics``), the web UI's files and ``/docs`` are
never charged. Over budget: a 429 problem with ``Retry-After`` and the IETF RateLimit fields,
sent after ``WFV_TENANT_BUDGET_REFUSAL_DELAY_SECONDS`` (a second; never past Retry-After).
The delay is what makes a budget protect the other tenants: a refusal costs little CPU but
not none, and a client that retries at once would otherwise turn its burst into a flood
of 429s as heavy as the requests it replaced (``bench/fairness.py``: B's p99 10x its quiet
p99 with instant refusals); delayed, each of its connections sends one request a second.

The counting is the `limits` library's sliding window counter (two counters per budget:
the window now and the one before, weighted; O(1) memory, one Lua script in Redis). With
``WFV_REDIS_URL`` every API process shares the counts through Redis; without, each process
counts its own (so N processes allow up to N times a budget).

Redis is kept off the hot path by **leases**: a process reserves a block of a budget in one
call (``hit`` with a cost) and spends it locally; the block doubles while a tenant uses
each one up within ``LEASE_SECONDS`` (up to 1% of the budget) and halves when one expires
unused, so a quiet tenant reserves one request at a time and a busy one calls Redis once
every few hundred requests. A reservation counts at once in every process, so a lease can
only make a budget stricter (by the unused rest of live leases), never looser. Once a
tenant is refused, this process answers its 429s without asking Redis again until the
window frees a request (at most ``REFUSAL_MEMORY_SECONDS``).

Redis away: requests are served unchecked (fail open: a lost budget must not take the
service down with it), counted in ``wfv_tenant_budget_unchecked``, logged once per outage;
Redis is tried again after ``REDIS_RETRY_SECONDS``.
"""

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

import redis
import redis.asyncio as aioredis
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from starlette.requests import Request

from service.auth import Principal
from service.errors import Problem
from service.ops import metrics
from service.settings import Settings

log = logging.getLogger("wfv.budgets")

LEASE_SECONDS = 1.0
REFUSAL_MEMORY_SECONDS = 1.0
REDIS_RETRY_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.25
KEY_PREFIX = "wfv:budget"
_MAX_TRACKED = 10_000  # (tenant, budget) pairs remembered per process before starting afresh
_ATTRIBUTE = "_wfv_budget"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REDIS_DOWN = (StorageError, redis.RedisError, OSError)

F = TypeVar("F", bound=Callable[..., Any])


class Budget(StrEnum):
    READS = "reads"
    WRITES = "writes"
    DRAFT_SAVES = "draft-saves"


def charged_as(budget: Budget) -> Callable[[F], F]:
    """Mark a route whose budget is not its method's: draft saves (a POST with a budget of
    its own), git's fetch (a POST that reads)."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _ATTRIBUTE, budget)
        return endpoint

    return mark


def budget_of(request: Request) -> Budget:
    marked = getattr(getattr(request.scope.get("route"), "endpoint", None), _ATTRIBUTE, None)
    if isinstance(marked, Budget):
        return marked
    return Budget.READS if request.method in _READ_METHODS else Budget.WRITES


@dataclass(frozen=True)
class Policy:
    budget: Budget
    quota: int
    seconds: int

    @property
    def item(self) -> RateLimitItem:
        return RateLimitItemPerSecond(self.quota, self.seconds, namespace=self.budget.value)

    @property
    def field(self) -> str:
        """This policy as a member of ``RateLimit-Policy`` (draft-ietf-httpapi-ratelimit-headers-10)."""
        return f'"{self.budget.value}";q={self.quota};w={self.seconds}'

    @property
    def lease_cap(self) -> int:
        return max(1, self.quota // 100)


class OverBudget(Problem):
    status_code, title, slug = 429, "Too many requests", "rate-limited"

    def __init__(self, policy: Policy, retry_after: int) -> None:
        super().__init__(
            f"this tenant's {policy.budget.value} budget ({policy.quota} requests every "
            f"{policy.seconds} s) is spent; retry in {retry_after} s",
            budget=policy.budget.value,
            quota=policy.quota,
            window_seconds=policy.seconds,
            retry_after=retry_after,
        )
        self.headers = {
            "Retry-After": str(retry_after),
            "RateLimit-Policy": policy.field,
            "RateLimit": f'"{policy.budget.value}";r=0;t={retry_after}',
        }


@dataclass
class _Lease:
    """What this process holds of one tenant's budget."""

    left: int = 0
    size: int = 1
    expires: float = 0.0
    refused_until: float = 0.0
    retry_after: int = 1


def _async_url(url: str) -> str:
    if url.startswith("unix://"):
        return "async+redis+unix://" + url.removeprefix("unix://")
    return "async+" + url


def _tenant_key(tenant_id: str) -> str:
    """Hashed: a tenant id is the identity provider's text, a Redis key must not be."""
    return hashlib.sha256(tenant_id.encode()).hexdigest()[:32]


class TenantBudgets:
    """The budgets of every tenant as one process sees them. Async only: called on the
    event loop, whose Redis client it keeps (one per loop, as ``put_quickly`` does)."""

    def __init__(
        self, policies: dict[Budget, Policy], redis_url: str | None, *, refusal_delay: float = 0.0
    ) -> None:
        self.policies = policies
        self.refusal_delay = refusal_delay
        self.redis_url = redis_url
        self.shared = redis_url is not None
        self._items = {budget: policy.item for budget, policy in policies.items()}
        self._leases: dict[tuple[str, Budget], _Lease] = {}
        self._limiter: tuple[asyncio.AbstractEventLoop, SlidingWindowCounterRateLimiter, Any] | None = None
        self._down_until = 0.0
        self._failing = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "TenantBudgets | None":
        if not settings.tenant_budgets_enabled:
            return None
        policies = {
            Budget.READS: Policy(
                Budget.READS, settings.tenant_budget_reads, settings.tenant_budget_reads_seconds
            ),
            Budget.WRITES: Policy(
                Budget.WRITES, settings.tenant_budget_writes, settings.tenant_budget_writes_seconds
            ),
            Budget.DRAFT_SAVES: Policy(
                Budget.DRAFT_SAVES,
                settings.tenant_budget_draft_saves,
                settings.tenant_budget_draft_saves_seconds,
            ),
        }
        return cls(policies, settings.redis_url, refusal_delay=settings.tenant_budget_refusal_delay_seconds)

    def _current_limiter(self) -> SlidingWindowCounterRateLimiter:
        loop = asyncio.get_running_loop()
        if self._limiter is not None and self._limiter[0] is loop:
            return self._limiter[1]
        pool = None
        if self.redis_url is None:
            storage: MemoryStorage | RedisStorage = MemoryStorage()
        else:
            pool = aioredis.ConnectionPool.from_url(
                self.redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            # Our own pool, so ``close`` can disconnect it (the library's options are typed
            # as scalars: the pool passes through to redis-py's client as it is).
            own_pool: dict[str, Any] = {"connection_pool": pool}
            storage = RedisStorage(
                _async_url(self.redis_url),
                implementation="redispy",
                wrap_exceptions=True,
                key_prefix=KEY_PREFIX,
                **own_pool,
            )
        limiter = SlidingWindowCounterRateLimiter(storage)
        self._limiter = (loop, limiter, pool)
        return limiter

    def _lease(self, tenant_id: str, budget: Budget) -> _Lease:
        key = (tenant_id, budget)
        lease = self._leases.get(key)
        if lease is None:
            if len(self._leases) >= _MAX_TRACKED:
                self._leases.clear()
            lease = self._leases[key] = _Lease()
        return lease

    async def charge(self, tenant_id: str, budget: Budget) -> None:
        """Count one request of ``tenant_id`` against ``budget``, or raise ``OverBudget``."""
        policy = self.policies[budget]
        lease = self._lease(tenant_id, budget)
        now = time.monotonic()
        if lease.refused_until > now:
            await self._refuse(policy, max(1, math.ceil(lease.refused_until - now)))
        if lease.left > 0 and lease.expires > now:
            lease.left -= 1
            return
        if self._down_until > now:
            metrics.BUDGET_UNCHECKED.inc()
            return
        size = self._next_size(lease, policy, now)
        lease.left = 0
        try:
            granted, retry_after = await self._reserve(tenant_id, budget, size)
        except _REDIS_DOWN as exc:
            self._fail_open(exc)
            return
        if self._failing:
            self._failing = False
            log.warning("tenant budgets: Redis answers again; budgets are enforced again")
        now = time.monotonic()
        if granted:
            lease.left += granted - 1
            lease.expires = now + LEASE_SECONDS
            return
        lease.size = 1
        lease.refused_until = now + min(retry_after, REFUSAL_MEMORY_SECONDS)
        await self._refuse(policy, retry_after)

    async def _refuse(self, policy: Policy, retry_after: int) -> NoReturn:
        """Count the refusal and answer it after the refusal delay (at most Retry-After):
        a client retrying at once is slowed to one request per connection per delay, so
        its 429s cannot take the CPU the other tenants need (a 429 is cheap, not free)."""
        metrics.BUDGET_REFUSALS.labels(policy.budget.value).inc()
        delay = min(self.refusal_delay, retry_after)
        if delay > 0:
            await asyncio.sleep(delay)
        raise OverBudget(policy, max(1, retry_after - int(delay)))

    def _next_size(self, lease: _Lease, policy: Policy, now: float) -> int:
        """Double the block while each is spent before it expires, halve it when one lapsed.
        Also when counting in process: the library's async memory storage costs ~8 µs and
        an event-loop task per call, which a draft save (a millisecond of work, most of it
        on the event loop) felt as 5% fewer saves a second."""
        if lease.expires > now:
            lease.size = min(policy.lease_cap, lease.size * 2)
        elif lease.left > 0:
            lease.size = max(1, lease.size // 2)
        return lease.size

    async def _reserve(self, tenant_id: str, budget: Budget, size: int) -> tuple[int, int]:
        """(requests granted, 0) or (0, seconds until the window frees one)."""
        limiter = self._current_limiter()
        item = self._items[budget]
        key = _tenant_key(tenant_id)
        if await limiter.hit(item, key, cost=size):
            return size, 0
        if size > 1 and await limiter.hit(item, key):
            return 1, 0
        stats = await limiter.get_window_stats(item, key)
        # The library's estimate can overshoot (its counters live two windows): within one
        # window a sliding window always frees some of its count.
        wait = math.ceil(stats.reset_time - time.time())
        return 0, min(self.policies[budget].seconds, max(1, wait))

    def _fail_open(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + REDIS_RETRY_SECONDS
        metrics.BUDGET_UNCHECKED.inc()
        if not self._failing:
            self._failing = True
            log.warning(
                "tenant budgets: Redis did not answer (%s); requests are served unchecked "
                "until it does (tried again every %.0f s)",
                type(exc).__name__,
                REDIS_RETRY_SECONDS,
            )

    async def close(self) -> None:
        if self._limiter is not None and self._limiter[2] is not None:
            await self._limiter[2].disconnect()
        self._limiter = None


async def charge_request(request: Request, principal: Principal) -> None:
    """Charge an authenticated request to its tenant (a no-op with budgets turned off)."""
    budgets: TenantBudgets | None = getattr(request.app.state, "budgets", None)
    if budgets is not None:
        await budgets.charge(principal.tenant_id, budget_of(request))
