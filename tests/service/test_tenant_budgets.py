"""Tenant budgets (service/api/budgets.py) against a real Redis of ours and in memory: leases
keep Redis off the hot path without letting a budget be exceeded, two processes' worth of
counters share one budget, a Redis that does not answer lets requests through (logged
once), and the budgets can be turned off. The HTTP behaviour on real servers is in
tests/e2e/test_tenant_budgets.py."""

import asyncio
import logging
import time

import pytest
from fastapi.testclient import TestClient

from indexer.revisions import upgrade
from service.api.app import create_app
from service.api.budgets import Budget, OverBudget, TenantBudgets, _tenant_key
from service.container import build_container
from service.settings import Settings
from tests.e2e.helpers import free_port
from tests.factories import within_one_window
from tests.redis_support import RedisProcess


def _budgets(quota: int, redis_url: str | None, *, seconds: int = 60, delay: float = 0) -> TenantBudgets:
    settings = Settings(
        tenant_budget_refusal_delay_seconds=delay,
        redis_url=redis_url,
        tenant_budget_reads=quota,
        tenant_budget_reads_seconds=seconds,
        tenant_budget_writes=quota,
        tenant_budget_draft_saves=quota,
        _env_file=None,
    )
    budgets = TenantBudgets.from_settings(settings)
    assert budgets is not None
    return budgets


async def _granted(budgets: TenantBudgets, tenant: str, budget: Budget, times: int) -> int:
    granted = 0
    for _ in range(times):
        try:
            await budgets.charge(tenant, budget)
            granted += 1
        except OverBudget:
            pass
    return granted


def _script_calls(server: RedisProcess) -> int:
    stats = server.client().info("commandstats")
    return sum(int(stats.get(name, {}).get("calls", 0)) for name in ("cmdstat_evalsha", "cmdstat_eval"))


@pytest.fixture
def redis_url(session_redis: RedisProcess) -> str:
    session_redis.client().flushall()
    return session_redis.url


@pytest.mark.parametrize("shared", [False, True], ids=["memory", "redis"])
def test_a_budget_is_per_tenant_and_per_class(shared: bool, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_url") if shared else None
    budgets = _budgets(5, url)
    within_one_window(60, needed=2)  # in process, the 60 s windows start on the minute

    async def run() -> None:
        assert await _granted(budgets, "acme", Budget.READS, 8) == 5
        with pytest.raises(OverBudget) as refused:
            await budgets.charge("acme", Budget.READS)
        assert refused.value.status_code == 429
        assert refused.value.extra["budget"] == "reads"
        headers = refused.value.headers or {}
        assert headers["RateLimit-Policy"] == '"reads";q=5;w=60'
        assert headers["RateLimit"] == f'"reads";r=0;t={headers["Retry-After"]}'
        assert await _granted(budgets, "acme", Budget.WRITES, 5) == 5
        assert await _granted(budgets, "acme", Budget.DRAFT_SAVES, 5) == 5
        assert await _granted(budgets, "globex", Budget.READS, 5) == 5
        await budgets.close()

    asyncio.run(run())


def test_leases_spare_redis_and_never_loosen_a_budget(redis_url: str, session_redis: RedisProcess) -> None:
    budgets = _budgets(100_000, redis_url)  # leases of up to 1,000 requests

    async def run() -> None:
        before = _script_calls(session_redis)
        assert await _granted(budgets, "busy", Budget.READS, 3000) == 3000
        calls = _script_calls(session_redis) - before
        assert calls <= 20, f"{calls} Redis scripts for 3,000 requests"
        # What Redis counted covers every request served, plus at most one lease unspent.
        limiter = budgets._current_limiter()
        item = budgets.policies[Budget.READS].item
        stats = await limiter.get_window_stats(item, _tenant_key("busy"))
        assert 3000 <= 100_000 - stats.remaining <= 3000 + 1000
        assert (await limiter.get_window_stats(item, _tenant_key("other"))).remaining == 100_000
        await budgets.close()

    asyncio.run(run())


def test_two_processes_share_a_budget_exactly(redis_url: str) -> None:
    first, second = _budgets(50, redis_url), _budgets(50, redis_url)

    async def run() -> int:
        granted = 0
        for _ in range(60):
            granted += await _granted(first, "shared", Budget.WRITES, 1)
            granted += await _granted(second, "shared", Budget.WRITES, 1)
        await first.close()
        await second.close()
        return granted

    assert asyncio.run(run()) == 50


def test_near_the_end_of_a_budget_a_lease_shrinks_to_what_is_left(redis_url: str) -> None:
    """A busy tenant holding large leases still gets every request of its budget."""
    first, second = _budgets(1_000, redis_url), _budgets(1_000, redis_url)

    async def run() -> int:
        granted = 0
        for _ in range(600):
            granted += await _granted(first, "shared", Budget.READS, 1)
            granted += await _granted(second, "shared", Budget.READS, 1)
        await first.close()
        await second.close()
        return granted

    granted = asyncio.run(run())
    # Each process may hold an unspent lease (at most 1% of the budget) when the budget ends.
    assert 1_000 - 2 * 10 <= granted <= 1_000


def test_a_refusal_waits_before_it_is_answered() -> None:
    """A client retrying at once is slowed to one request per connection per delay; the
    Retry-After it then reads counts from the answer, not from the refusal."""
    budgets = _budgets(1, None, seconds=30, delay=0.3)
    within_one_window(30, needed=2)  # the second charge in the first one's window

    async def run() -> tuple[float, OverBudget]:
        await budgets.charge("acme", Budget.READS)
        started = time.monotonic()
        with pytest.raises(OverBudget) as refused:
            await budgets.charge("acme", Budget.READS)
        return time.monotonic() - started, refused.value

    waited, refusal = asyncio.run(run())
    assert 0.3 <= waited < 1.0
    assert 1 <= int((refusal.headers or {})["Retry-After"]) <= 30


def test_redis_that_does_not_answer_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    budgets = _budgets(3, f"redis://127.0.0.1:{free_port()}/0")
    caplog.set_level(logging.WARNING, logger="wfv.budgets")

    async def run() -> int:
        return await _granted(budgets, "acme", Budget.READS, 20)

    assert asyncio.run(run()) == 20
    warnings = [r for r in caplog.records if r.name == "wfv.budgets"]
    assert len(warnings) == 1
    assert "Redis did not answer" in warnings[0].getMessage()


@pytest.mark.parametrize("enabled", [True, False])
def test_budgets_over_http_and_turned_off(settings: Settings, enabled: bool, auth) -> None:
    """Through the app, on both databases: the third read of a budget of two is refused,
    unless budgets are turned off."""
    limited = Settings(
        **{
            **settings.model_dump(),
            "tenant_budget_reads": 2,
            "tenant_budgets_enabled": enabled,
            "tenant_budget_refusal_delay_seconds": 0,
        },
        _env_file=None,
    )
    built = build_container(limited)
    if limited.resolved_database_url.startswith("sqlite"):
        upgrade(built.engine)
    try:
        with TestClient(create_app(container=built)) as client:
            headers = auth("workflows:read")
            within_one_window(60, needed=2)  # counted in process: the four reads in one window
            statuses = [client.get("/api/v1/workflows", headers=headers).status_code for _ in range(4)]
    finally:
        built.close()
    assert statuses == ([200, 200, 429, 429] if enabled else [200] * 4)
