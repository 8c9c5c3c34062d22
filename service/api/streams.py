"""Server-sent event streams that end: when the caller's token expires, after a time
limit, and never more than ``WFV_STREAM_MAX_PER_USER`` open per user in a process.

A token is checked once, when the stream opens; without an end of its own a stream would
go on answering for as long as the connection lasts, after the token stopped being
accepted anywhere else. So each stream knows its token's ``exp`` and ends there with a
last ``end`` event saying why, and the client opens a new one with a fresh token.
"""

import json
import math
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from service.api.deps import ContainerDep, Reader, bearer_token
from service.api.stream_slots import StreamSlot, StreamSlots

MAX_SECONDS = 3600  # a stream of a long migration is reopened hourly, token or not


def token_expiry(claims: dict[str, Any]) -> float:
    """The token's ``exp`` as a Unix time; anything that is not a finite number ends the
    stream at once (a NaN would compare false with every time and never end it)."""
    value = claims.get("exp")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if math.isfinite(value) else 0.0


@dataclass
class StreamBounds:
    """When a stream must end, and why."""

    token_expires_at: float
    until: float
    clock: Callable[[], float] = field(default=time.time)

    def ended(self) -> str | None:
        now = self.clock()
        if now >= self.token_expires_at:
            return "token-expired"
        if now >= self.until:
            return "time-limit"
        return None

    def pause(self, interval: float) -> float:
        """Sleep no longer than ``interval`` nor past the stream's end, so an expired
        token is noticed on time, not a poll later."""
        return max(0.0, min(interval, min(self.token_expires_at, self.until) - self.clock()))


def end_event(reason: str) -> str:
    return f"event: end\ndata: {json.dumps({'reason': reason})}\n\n"


class EventStreamResponse(StreamingResponse):
    """An event stream that gives its slot back however it ends: finished, failed, or
    cancelled because the client went away."""

    def __init__(self, content: AsyncIterator[str], slot: StreamSlot) -> None:
        super().__init__(content, media_type="text/event-stream", headers={"Cache-Control": "no-store"})
        self.slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.slot.release()


@dataclass
class StreamGrant:
    """A reader's right to open one stream: its bounds, and the slot it takes once the
    route knows the stream exists (a 404 holds no slot)."""

    bounds: StreamBounds
    slots: StreamSlots
    tenant_id: str
    user_id: str
    limit: int

    def take(self) -> StreamSlot:
        return self.slots.take(self.tenant_id, self.user_id, limit=self.limit)


async def stream_grant(
    request: Request,
    principal: Reader,
    container: ContainerDep,
    authorization: Annotated[str | None, Header()] = None,
) -> StreamGrant:
    """The token was verified by ``Reader`` a moment ago (and kept a minute), so its
    claims are read back from that cache; verified again only if it just fell out."""
    token = bearer_token(authorization)
    claims = container.verifier.verified.get(token)
    if claims is None:
        claims = await run_in_threadpool(container.verifier.claims, token)
    bounds = StreamBounds(token_expiry(claims), time.time() + MAX_SECONDS)
    limit = container.settings.stream_max_per_user
    return StreamGrant(bounds, request.app.state.streams, principal.tenant_id, principal.user_id, limit)


StreamGrantDep = Annotated[StreamGrant, Depends(stream_grant)]
