"""How many event streams each user holds open in this process, and the cap on it.

A stream holds a connection and polls the database twice a second for as long as it
lasts, so one caller opening hundreds of them could starve everyone else. The count is
per process (no shared store): each server process protects its own connections and
threads, which is what a stream costs. With P processes a user can hold up to P times the
cap in all, still bounded, and a crashed process cannot leave slots taken elsewhere.
"""

import threading
from collections import Counter
from dataclasses import dataclass, field

from service.errors import Problem


class TooManyStreams(Problem):
    status_code, title, slug = 429, "Too many streams", "too-many-streams"


@dataclass
class StreamSlot:
    """One taken slot; releasing it twice is harmless (a response may end more than one way)."""

    owner: "StreamSlots"
    key: tuple[str, str]
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.owner.give_back(self.key)


@dataclass
class StreamSlots:
    """Open streams by (tenant, user): the same ``sub`` in two tenants is two callers, so
    one tenant's user can never use up another tenant's slots."""

    _open: Counter[tuple[str, str]] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, tenant_id: str, user_id: str, *, limit: int) -> StreamSlot:
        key = (tenant_id, user_id)
        with self._lock:
            if self._open[key] >= limit:
                raise TooManyStreams(
                    f"at most {limit} event streams per user are open at once; close one first",
                    limit=limit,
                )
            self._open[key] += 1
        return StreamSlot(self, key)

    def give_back(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._open[key] -= 1
            if self._open[key] <= 0:
                del self._open[key]

    def open_count(self, tenant_id: str, user_id: str) -> int:
        with self._lock:
            return self._open[(tenant_id, user_id)]
