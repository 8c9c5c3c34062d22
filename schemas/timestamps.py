"""One form for every time the API answers with: RFC 3339 in UTC, ``Z`` and always six
fractional digits, ``2026-11-26T10:00:00.123456Z``.

Left to itself pydantic writes a time as it finds it: ``…T10:00:00Z`` for the whole seconds
of the clock of record (git's timestamps have no fraction), ``…T10:00:00.123456Z`` for a
draft's save, nothing at all for a zone when the database gave a naive time back; so a
client that parsed one answer with a fixed format failed on the next. Microseconds, because
the finest times the API has (draft saves, the wall clock) carry them and a client ordering
two saves must not see them rounded together.

:data:`Timestamp` is the type every datetime field of an answer model uses;
:func:`rfc3339` is the same form for the few times written outside a model (the archival
report's lines, audit details).
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import PlainSerializer

# What every timestamp the API writes matches (the tests walk real answers with it).
TIMESTAMP_FORM = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"


def rfc3339(moment: datetime) -> str:
    """``moment`` in the API's one form; a naive time is UTC (the index stores UTC, and
    SQLite gives it back without a zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


Timestamp = Annotated[datetime, PlainSerializer(rfc3339, return_type=str, when_used="json")]
