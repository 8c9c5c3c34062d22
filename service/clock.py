"""The clock of record: the time of every change git and the index both keep. Seconds
only: git timestamps have no fraction, and the index must carry the same instant as the
commit so a rebuild reproduces it exactly. (Times git never sees, such as draft saves,
come from the container's wall clock, ``Container.clock``, which tests move.)"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
