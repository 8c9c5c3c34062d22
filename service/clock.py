"""The clock of record: the time of every change git and the index both keep. Seconds
only: git timestamps have no fraction, and the index must carry the same instant as the
commit so a rebuild reproduces it exactly. (Times git never sees, such as draft saves,
come from the container's wall clock, ``Container.clock``, which tests move.)"""

from datetime import UTC, datetime, timedelta


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def utcnow_rounded_up() -> datetime:
    """The clock of record rounded up to the next whole second: for a time something must
    not come before (a gradual migration's next step is due an interval after the last
    step ended, not after the whole second it ended in)."""
    now = datetime.now(UTC)
    whole = now.replace(microsecond=0)
    return whole if whole == now else whole + timedelta(seconds=1)
