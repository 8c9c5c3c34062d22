"""Queue messages as JSON with explicit types, never pickle.

Huey's default serializer pickles every message and result; ``pickle.loads`` of bytes
from Redis runs whatever they say, so anyone able to write to the queue (a leaked Redis
password, a shared instance) ran code in every worker. Here a message is JSON, and the
few values JSON lacks (tuples, times, Huey's own records) are written as tagged objects
``{"__wfv__": "<type>", "v": ...}`` from a closed list: reading can only ever build those
types. Anything else refuses to be enqueued, so a task argument nobody declared here
cannot slip through; and bytes that are not such JSON (a pickle) are refused as they are
read: the consumer logs them and drops them.

A queue holding pickled messages from before this change has them refused the same way:
drain it (``wfv worker`` until empty) before upgrading.
"""

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from huey.registry import Message
from huey.serializer import Serializer
from huey.utils import ChordConfig, Error

TAG = "__wfv__"


class UnsafeQueueMessage(ValueError):
    """Bytes in the queue that are not a message this serializer wrote."""


def _records() -> dict[str, type[Any]]:
    return {"message": Message, "error": Error, "chord": ChordConfig}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Message | Error | ChordConfig):
        kind = next(name for name, record in _records().items() if isinstance(value, record))
        return {TAG: kind, "v": {field: _encode(item) for field, item in value._asdict().items()}}
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        if TAG in value or not all(isinstance(key, str) for key in value):
            raise TypeError(f"queue dicts have string keys other than {TAG!r}")
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {TAG: "timedelta", "v": value.total_seconds()}
    if isinstance(value, uuid.UUID):
        return {TAG: "uuid", "v": str(value)}
    raise TypeError(f"{type(value).__name__} cannot go on the queue (tasks/serializer.py lists what can)")


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "timedelta": lambda seconds: timedelta(seconds=float(seconds)),
    "uuid": uuid.UUID,
}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if TAG not in value:
        return {key: _decode(item) for key, item in value.items()}
    kind, inner = value[TAG], value.get("v")
    if kind == "tuple" and isinstance(inner, list):
        return tuple(_decode(item) for item in inner)
    if kind in _SCALARS and isinstance(inner, str | int | float):
        return _SCALARS[kind](inner)
    record = _records().get(kind)
    if record is not None and isinstance(inner, dict) and set(inner) <= set(record._fields):
        return record(**{field: _decode(item) for field, item in inner.items()})
    raise UnsafeQueueMessage(f"unknown or malformed queue value of type {kind!r}")


class JsonSerializer(Serializer):  # type: ignore[misc]
    """Huey's serializer for messages, results and revocations, as typed JSON."""

    def _serialize(self, data: Any) -> bytes:
        return json.dumps(_encode(data), separators=(",", ":"), allow_nan=False).encode("utf-8")

    def _deserialize(self, data: bytes) -> Any:
        try:
            parsed = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise UnsafeQueueMessage(
                f"refused a queue entry that is not JSON ({len(data)} bytes starting {data[:8]!r}): "
                "only messages wfv wrote are read, never pickles"
            ) from exc
        return _decode(parsed)
