"""The text rule (schemas/text.py) for what is not a body: query and path parameters and
headers, checked once per request by an app-wide dependency, before authentication or any
parameter is parsed, so no use case ever sees a NUL or a control character in them.

Headers are held to RFC 9110's field-value grammar instead (no C0 control but tab, no
DEL): Starlette decodes them as Latin-1, so the UTF-8 some clients send in them shows up
as U+0080-U+00FF, which is not a control character there.
"""

import re
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from schemas.text import TEXT_ERROR, describe, text_problem

_HEADER_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _refused(location: tuple[str, ...], reason: str, value: str) -> RequestValidationError:
    error: dict[str, Any] = {"type": TEXT_ERROR, "loc": location, "msg": reason, "input": value}
    return RequestValidationError([error])


def _check_parameters(request: Request) -> None:
    for where, items in (
        ("query", request.query_params.multi_items()),
        ("path", request.path_params.items()),
    ):
        for name, value in items:
            for text in (name, value):
                reason = text_problem(text) if isinstance(text, str) else None
                if reason is not None:
                    raise _refused((where, name), reason, value)


def _check_headers(request: Request) -> None:
    for raw_name, raw_value in request.headers.raw:
        value = raw_value.decode("latin-1")
        found = _HEADER_FORBIDDEN.search(value)
        if found is not None:
            reason = (
                f"contains {describe(found.group())} at character {found.start()}, which no header may hold"
            )
            raise _refused(("header", raw_name.decode("latin-1")), reason, value)


async def check_request_text(request: Request) -> None:
    """Refuse a request whose parameters or headers hold text no string may hold (422)."""
    _check_parameters(request)
    _check_headers(request)
