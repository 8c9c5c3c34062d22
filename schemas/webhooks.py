"""Event webhooks: the event types a tenant can subscribe to, and the API models of
endpoints and their deliveries (docs/webhooks.md describes each event's payload)."""

from typing import Annotated, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from schemas.text import RequestBody
from schemas.timestamps import Timestamp

EventType = Literal[
    "version.published",
    "version.rolled_back",
    "version.archived",
    "version.unarchived",
    "migration.started",
    "migration.halted",
    "migration.completed",
    "migration.failed",
    "migration.reverted",
    "executions.moved",
    "review.approved",
    "review.changes_requested",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
DeliveryState = Literal["pending", "delivering", "delivered", "failed", "cancelled"]

Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class WebhookCreate(RequestBody):
    """An endpoint to register: an https URL (see docs/webhooks.md for what is refused)
    and the event types it wants, at least one."""

    model_config = ConfigDict(extra="forbid")

    url: Url
    event_types: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES))
    description: Description | None = None

    @field_validator("event_types")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        return sorted(set(value), key=EVENT_TYPES.index)


class WebhookPublic(BaseModel):
    """An endpoint as every GET shows it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    created_by: str
    created_at: Timestamp


class WebhookCreated(WebhookPublic):
    """The answer to a registration, the only one that holds the signing secret."""

    secret: str = Field(description="whsec_<base64>: shown here once, never again")


class WebhookList(BaseModel):
    items: list[WebhookPublic]
    next_cursor: str | None


class AttemptPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: Timestamp
    status_code: int | None
    latency_ms: int
    error: str | None


class DeliveryPublic(BaseModel):
    """One event to one endpoint: ``webhook_id`` is the id every attempt carries (the
    ``webhook-id`` header), the same for a redelivery, so a receiver can drop repeats."""

    id: UUID
    webhook_id: str
    event_id: UUID
    event_type: str
    state: DeliveryState
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: Timestamp | None
    created_at: Timestamp
    finished_at: Timestamp | None
    attempt_log: list[AttemptPublic] = Field(description="the newest attempts, newest first")


class DeliveryList(BaseModel):
    items: list[DeliveryPublic]
    next_cursor: str | None
