"""Opaque cursors: base64url JSON of the last row's sort key, so clients cannot depend
on what is inside and a tampered cursor is a clean 400 rather than a SQL error."""

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any


class InvalidCursor(ValueError):
    status_code = 400


def encode_cursor(*key: Any) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, *parsers: Callable[[Any], Any]) -> list[Any]:
    """The key a cursor holds, each part passed through its parser (``int``, ``UUID``...)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(key, list) or len(key) != len(parsers):
            raise ValueError("wrong shape")
        return [parse(part) for parse, part in zip(parsers, key, strict=True)]
    except (binascii.Error, ValueError, TypeError, UnicodeError) as exc:
        raise InvalidCursor("the cursor is not one this service issued") from exc
