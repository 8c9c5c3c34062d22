"""Journeys: every change of an execution's position, as the API answers them
(``GET …/executions/{id}/journey``, ``GET …/contacts/{contact_id}/as-of``)."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from schemas.executions import ExecutionStatus
from schemas.timestamps import Timestamp

Cause = Literal["enrolment", "engine", "migration", "revert"]
# An execution in one of these is over: its contact left the workflow (until it re-enters).
TERMINAL: tuple[ExecutionStatus, ...] = ("completed", "exited", "failed")


class JourneyEvent(BaseModel):
    """One change of position: where the execution went (``version_*``, ``action_id``,
    ``status``; ``revision``: the execution's revision after it), where it was
    (``from_*``, null for an enrolment), when, and why (``cause``; ``cause_id``: the
    migration or revert that moved it). ``seq`` orders events of the same instant."""

    seq: int
    at: Timestamp
    execution_id: UUID
    version_id: UUID
    version_number: int
    commit_sha: str
    action_id: str | None
    status: ExecutionStatus
    revision: int
    cause: Cause
    cause_id: UUID | None
    from_version_id: UUID | None
    from_version_number: int | None
    from_action_id: str | None
    from_status: ExecutionStatus | None


class JourneyPage(BaseModel):
    items: list[JourneyEvent]
    next_cursor: str | None


class AsOf(BaseModel):
    """Where a contact was at ``at`` (the instant asked): the version, action and status
    its newest event at or before then left it in, ``since`` then (the event's time), and
    that ``event``. ``left``: its execution had ended then (completed, exited, failed),
    ``left_at`` when; a contact enrolled again later has a newer execution."""

    contact_id: str
    at: Timestamp
    execution_id: UUID
    version_id: UUID
    version_number: int
    commit_sha: str
    action_id: str | None
    status: ExecutionStatus
    left: bool
    left_at: Timestamp | None
    since: Timestamp
    event: JourneyEvent


MovedBy = Literal["migration", "revert"]


class ExecutionChange(BaseModel):
    """One change of position wfv itself made (a migration's move or exit, a revert's
    restore; never the engine's own reports nor an enrolment): the execution, its contact,
    where it was (``from_*``) and where it is now, its ``revision`` after the change, why
    (``cause``, ``cause_id``: the migration or revert) and when. ``cursor``: ask the feed
    ``after`` it to go on just past this change."""

    execution_id: UUID
    workflow_id: UUID
    contact_id: str
    from_version_id: UUID | None
    from_version_number: int | None
    version_id: UUID
    version_number: int
    from_action_id: str | None
    action_id: str | None
    from_status: ExecutionStatus | None
    status: ExecutionStatus
    revision: int
    cause: MovedBy
    cause_id: UUID | None
    at: Timestamp
    cursor: str


class ChangePage(BaseModel):
    """Changes in commit order after the cursor asked (none: the feed is caught up), and
    ``next_cursor``, to ask for the next ones: the last change's cursor, or the cursor
    asked when there was nothing new (null only when nothing was ever there to see)."""

    items: list[ExecutionChange]
    next_cursor: str | None
