"""How the executions a rollout's versions enrolled in a window are doing now: one
GROUP BY over the executions, for the guards (``service.rollouts.guards``)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.models import Execution
from schemas.rollout_guards import Outcomes

# Each status to the field of ``Outcomes`` it counts in (the two live ones in one).
_FIELD = {
    "completed": "completed",
    "exited": "exited",
    "failed": "failed",
    "active": "live",
    "waiting": "live",
}


def outcomes(
    session: Session,
    tenant_id: str,
    workflow_id: uuid.UUID,
    version_ids: Sequence[uuid.UUID],
    *,
    since: datetime,
    until: datetime | None = None,
) -> dict[uuid.UUID, Outcomes]:
    """Per version, the executions enrolled in ``[since, until)`` by their status now.

    One statement for every version (``GROUP BY version_id, status``), whatever their
    number; a version with no execution in the window is in the answer with zeros, so the
    caller never mistakes "nothing enrolled" for "not asked". The window is on
    ``enrolled_at``: the guards compare cohorts of the same age."""
    if not version_ids:
        return {}
    found: dict[uuid.UUID, dict[str, int]] = {v: {} for v in version_ids}
    conditions = [
        Execution.tenant_id == tenant_id,
        Execution.workflow_id == workflow_id,
        Execution.version_id.in_(list(dict.fromkeys(version_ids))),
        Execution.enrolled_at >= since,
    ]
    if until is not None:
        conditions.append(Execution.enrolled_at < until)
    rows = session.execute(
        select(Execution.version_id, Execution.status, func.count())
        .where(*conditions)
        .group_by(Execution.version_id, Execution.status)
    )
    for version_id, status, count in rows:
        counts = found[version_id]
        field = _FIELD[status]
        counts[field] = counts.get(field, 0) + int(count)
    return {version_id: Outcomes(**counts) for version_id, counts in found.items()}
