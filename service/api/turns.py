"""Turns: under load, tenants take turns at the work of one API process.

Budgets (``budgets.py``) bound how much a tenant may ask for over a minute; they do not
stop a tenant's burst, inside its budget, from filling every worker thread at once, so
that another tenant's request waits behind all of it (the GIL runs one of them at a time).
So at most ``WFV_REQUEST_SLOTS`` authenticated requests do their work at once in a
process; when every slot is taken, the waiting requests are admitted **tenant by tenant in
turn** (round robin over the tenants waiting, first come first served within a tenant). A
tenant with thirty requests waiting and one with a single request: the single one gets the
next free slot. Without contention nobody waits.

A turn begins once the request is authenticated and charged to its budget, and ends when
its answer starts (``http.response.start``): the work is done by then, and a stream (server
sent events) or a big download does not hold a slot while it trickles out. git's smart
HTTP routes take no turn (a push holds its request for as long as the pack takes; its work
is in ``git`` processes, not in the interpreter), nor do draft saves (they mostly wait for
their group commit, which needs many saves in flight to batch them: with four slots a
process saved a quarter fewer; their CPU has its own bounds, and their own budget).
"""

import asyncio
from collections import OrderedDict, deque
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Turns:
    """The slots of one process and the tenants waiting for them. Event loop only."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.free = slots
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    @property
    def waiting(self) -> int:
        return sum(len(queue) for queue in self._waiting.values())

    async def enter(self, tenant_id: str) -> None:
        """Take a slot, waiting for this tenant's turn when none is free."""
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(tenant_id, deque()).append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.leave()  # given the slot as the client went away: pass it on
            else:
                self._forget(tenant_id, turn)
            raise

    def leave(self) -> None:
        """Give the slot to the next tenant in turn (that tenant then goes to the back)."""
        while self._waiting:
            tenant_id, queue = next(iter(self._waiting.items()))
            turn = queue.popleft()
            if queue:
                self._waiting.move_to_end(tenant_id)
            else:
                del self._waiting[tenant_id]
            if not turn.done():
                turn.set_result(None)
                return
        self.free += 1

    def _forget(self, tenant_id: str, turn: asyncio.Future[None]) -> None:
        queue = self._waiting.get(tenant_id)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._waiting[tenant_id]


@dataclass
class _Turn:
    """What one request holds: handed from the middleware to the dependency that enters."""

    turns: Turns
    held: bool = False

    def end(self) -> None:
        if self.held:
            self.held = False
            self.turns.leave()


_current: ContextVar[_Turn | None] = ContextVar("wfv_turn", default=None)


async def take_turn(tenant_id: str) -> None:
    """Wait for this tenant's turn (a no-op outside a request the middleware watches)."""
    turn = _current.get()
    if turn is not None and not turn.held:
        await turn.turns.enter(tenant_id)
        turn.held = True


def end_turn() -> None:
    """Give back this request's turn before it is done: a request that waits (a long-poll
    between its reads) holds no slot while it sleeps, and takes a turn again, with
    :func:`take_turn`, for each read."""
    turn = _current.get()
    if turn is not None:
        turn.end()


class TurnsMiddleware:
    """Ends each request's turn when its answer starts, or when it ends without one."""

    def __init__(self, app: ASGIApp, *, turns: Turns) -> None:
        self.app = app
        self.turns = turns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/git/"):
            await self.app(scope, receive, send)
            return
        turn = _Turn(self.turns)
        token = _current.set(turn)

        async def send_ending_turn(message: Message) -> None:
            if message["type"] == "http.response.start":
                turn.end()
            await send(message)

        try:
            await self.app(scope, receive, send_ending_turn)
        finally:
            turn.end()
            _current.reset(token)
