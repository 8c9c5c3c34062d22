"""Crash points: test-only places in the write path where the process kills itself.

A crash between the ref move and the database commit (git ahead of the index) and one
between the commit and the answer (the change saved, the client never told) are the two
windows healing exists for; no fault run hits them reliably by timing. A test names the
points in ``WFV_TEST_CRASH_POINTS`` for the ``wfv serve`` it starts, and the first write
that reaches one is SIGKILLed there: no ``finally``, no rollback, no undo of the refs, as a
power cut would leave it. Production refuses the setting (``service.settings``), and with
no point named the check is one test of an empty frozenset.
"""

import logging
import os
import signal
from typing import Literal

log = logging.getLogger("wfv.crashpoints")

# Inside the ref update (only its first ref moved: ``repo_store.journal``); the refs have
# moved and the database has not committed; committed, not yet answered (nor the
# repository config written that a rename or deletion writes after its commit).
CrashPoint = Literal["refs-cut", "refs-moved", "committed"]


def crash_at(armed: frozenset[str], point: CrashPoint) -> None:
    """SIGKILL this process if ``point`` is armed; otherwise do nothing at all."""
    if point in armed:
        # Logged first, so the test can tell this crash from any other death.
        log.critical("crash point %s reached: killing process %d", point, os.getpid())
        for handler in logging.getLogger().handlers:
            handler.flush()
        os.kill(os.getpid(), signal.SIGKILL)
