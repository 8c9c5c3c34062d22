"""The operator's controls of a rollout not over (``POST …/rollout/pause|resume|promote|
abort``): each a use case in the caller's unit, the workflow locked, the change a
compare-and-set (``transitions``)."""

import uuid
from collections.abc import Callable
from datetime import datetime

from indexer.models import Rollout, Workflow
from service.auth import Principal
from service.clock import utcnow
from service.ops import tracing
from service.rollouts import transitions
from service.rollouts.transitions import load_active
from service.uow import UnitOfWork

Control = Callable[[UnitOfWork, Workflow, Rollout, Principal, datetime], object]
CONTROLS: dict[str, Control] = {
    "pause": transitions.pause,
    "resume": transitions.resume,
    "promote": transitions.promote,
    "abort": transitions.abort,
}


@tracing.use_case("rollout.control")
def control_rollout(*, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, action: str) -> Rollout:
    """Pause, resume, promote or abort the workflow's rollout; returns it as changed."""
    workflow, rollout = load_active(uow, principal, workflow_id)
    CONTROLS[action](uow, workflow, rollout, principal, utcnow())
    return rollout
