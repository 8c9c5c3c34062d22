"""The request id of the request being served, for log lines and problem documents.

A contextvar, so code far from the route (a use case, the unit of work, a thread the
route's sync function runs in) logs the id without being handed it.
"""

import re
import secrets
from contextvars import ContextVar, Token

REQUEST_ID_HEADER = "x-request-id"
# What a caller (a proxy, another service) may hand us as its id: short, and nothing a log
# viewer or a header could misread (no spaces, quotes, control characters or newlines).
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

_request_id: ContextVar[str | None] = ContextVar("wfv_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this code serves, or None outside a request."""
    return _request_id.get()


def new_request_id() -> str:
    """A fresh id: 128 random bits as 32 lowercase hex digits."""
    return secrets.token_hex(16)


def accept_request_id(incoming: bytes | None) -> str:
    """The caller's id when it is safe to repeat, else a fresh one."""
    if incoming is not None and len(incoming) <= 128:
        candidate = incoming.decode("latin-1")
        if _SAFE_ID.fullmatch(candidate):
            return candidate
    return new_request_id()


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make ``request_id`` current; returns the token :func:`unbind_request_id` takes."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)
