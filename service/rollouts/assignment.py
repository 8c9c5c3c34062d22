"""Which version a new contact gets while a rollout is not over: a stable hash of the
workflow and the contact, so the same contact lands on the same side on every enrolment
(re-entry too) and in every API process, with no state to share.

bucket = the first 8 bytes of sha256(workflow id bytes + NUL + contact id in UTF-8), as a
big-endian integer, mod 10,000; the contact goes to the target when bucket < share x 100 (or
it is in the cohort). Raising the share only adds buckets, so a contact never moves from the
target back to the baseline as the ramp climbs; a halt (share 0) sends every new contact,
the cohort too, to the baseline.
"""

import hashlib
import uuid
from collections.abc import Collection

from indexer.models import Rollout

BUCKETS = 10_000


def bucket(workflow_id: uuid.UUID, contact_id: str) -> int:
    digest = hashlib.sha256(workflow_id.bytes + b"\0" + contact_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def share(rollout: Rollout) -> int:
    """Percent of new enrolments the target gets now: the current step's while running or
    paused (a pause holds the share, it stops the clock), 0 when halted or over."""
    if rollout.state in ("running", "paused"):
        return int(rollout.steps[rollout.step_index]["percent"])
    return 0


def to_target(workflow_id: uuid.UUID, contact_id: str, percent: int, cohort: Collection[str]) -> bool:
    if percent <= 0:
        return False
    return contact_id in cohort or bucket(workflow_id, contact_id) < percent * (BUCKETS // 100)
