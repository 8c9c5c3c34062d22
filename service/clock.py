"""The one clock. Seconds only: git timestamps have no fraction, and the index must
carry the same instant as the commit so a rebuild reproduces it exactly."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
