"""Turns (service/api/turns.py): when every slot of a process is taken, waiting requests
are admitted tenant by tenant in turn; without contention nobody waits; a turn ends when
the answer starts, so a stream does not hold a slot; a client gone while waiting gives up
its place (or passes on the slot it was just given). The fairness this buys under a real
burst is measured by bench/fairness.py."""

import asyncio
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from service.api.turns import Turns, TurnsMiddleware, take_turn


async def _admitted_order(turns: Turns, arrivals: list[str]) -> list[str]:
    """Each arrival enters (in order) while every slot is held; then the holders leave one
    by one: the order in which the waiting tenants got in."""
    order: list[str] = []

    async def one(tenant: str, index: int) -> None:
        await turns.enter(tenant)
        order.append(f"{tenant}{index}")

    tasks = []
    for index, tenant in enumerate(arrivals):
        tasks.append(asyncio.create_task(one(tenant, index)))
        await asyncio.sleep(0)  # queued in arrival order
    for _ in arrivals:
        turns.leave()
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    return order


def test_waiting_tenants_are_admitted_in_turn() -> None:
    async def scenario() -> list[str]:
        turns = Turns(1)
        await turns.enter("holder")
        return await _admitted_order(turns, ["a", "a", "a", "a", "b", "c", "b"])

    # a's crowd arrived first, yet b and c each wait behind one of a's requests at most
    assert asyncio.run(scenario()) == ["a0", "b4", "c5", "a1", "b6", "a2", "a3"]


def test_nobody_waits_without_contention_and_slots_come_back() -> None:
    async def scenario() -> tuple[int, int]:
        turns = Turns(3)
        for tenant in ("a", "a", "b"):
            await asyncio.wait_for(turns.enter(tenant), 0.1)
        full = turns.free
        for _ in range(3):
            turns.leave()
        return full, turns.free

    assert asyncio.run(scenario()) == (0, 3)


def test_a_client_gone_while_waiting_gives_up_its_place() -> None:
    async def scenario() -> tuple[int, int, list[str]]:
        turns = Turns(1)
        await turns.enter("holder")
        got: list[str] = []

        async def wait(tenant: str) -> None:
            await turns.enter(tenant)
            got.append(tenant)

        gone = asyncio.create_task(wait("a"))
        stays = asyncio.create_task(wait("b"))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
        waiting_after_cancel = turns.waiting
        turns.leave()  # the holder leaves: b gets the slot, not the cancelled a
        await stays
        turns.leave()
        return waiting_after_cancel, turns.free, got

    assert asyncio.run(scenario()) == (1, 1, ["b"])


def test_a_slot_given_to_a_cancelled_waiter_is_passed_on() -> None:
    async def scenario() -> tuple[int, list[str]]:
        turns = Turns(1)
        await turns.enter("holder")
        got: list[str] = []

        async def wait(tenant: str) -> None:
            await turns.enter(tenant)
            got.append(tenant)

        first = asyncio.create_task(wait("a"))
        second = asyncio.create_task(wait("b"))
        await asyncio.sleep(0)
        turns.leave()  # a is given the slot...
        first.cancel()  # ...and goes away before it runs: b must not starve
        await asyncio.gather(first, return_exceptions=True)
        await asyncio.wait_for(second, 1)
        turns.leave()
        return turns.free, got

    assert asyncio.run(scenario()) == (1, ["b"])


def _app(turns: Turns, *, stream: bool = False) -> TurnsMiddleware:
    """An ASGI app that takes a turn as an authenticated route does, then answers (or
    streams two chunks, recording whether its slot was free again between them)."""
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await take_turn("acme")
        seen["free while working"] = turns.free
        await send({"type": "http.response.start", "status": 200, "headers": []})
        seen["free once answering"] = turns.free
        await send({"type": "http.response.body", "body": b"x", "more_body": stream})
        if stream:
            await send({"type": "http.response.body", "body": b"y"})

    middleware = TurnsMiddleware(app, turns=turns)
    middleware.seen = seen  # type: ignore[attr-defined]
    return middleware


@pytest.mark.parametrize("stream", [False, True])
def test_a_turn_ends_when_the_answer_starts(stream: bool) -> None:
    turns = Turns(2)
    app = _app(turns, stream=stream)

    async def call(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wfv") as client:
            return await client.get(path)

    assert asyncio.run(call("/api/v1/workflows")).status_code == 200
    assert app.seen == {"free while working": 1, "free once answering": 2}  # type: ignore[attr-defined]
    assert turns.free == 2
    asyncio.run(call("/git/x.git/info/refs"))  # git takes no turn
    assert app.seen["free while working"] == 2  # type: ignore[attr-defined]
