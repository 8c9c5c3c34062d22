"""One version's document read as a graph an engine walks: where a contact goes after an
action (an ``if_else`` decided by the contact's attributes), and when a wait is over.

A published version never changes, so a graph is built once per version and kept."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

# wfv's reading of a wait's ISO 8601 duration, the one its impact preview uses to say
# whether a migration makes a timer earlier or later: an engine that reads it otherwise
# would wake contacts at times the preview did not show.
from schemas.buckets import duration

WAITS = ("wait", "wait_until")


@dataclass(frozen=True)
class Graph:
    """A version's actions and conditions, by id."""

    version_id: UUID
    version_number: int
    first: str
    actions: Mapping[str, Mapping[str, Any]]
    conditions: Mapping[str, Mapping[str, Any]]
    timezone: ZoneInfo

    @classmethod
    def of(cls, version_id: UUID, version_number: int, document: Mapping[str, Any]) -> "Graph":
        settings = document.get("settings") or {}
        return cls(
            version_id=version_id,
            version_number=version_number,
            first=document["trigger"]["next"],
            actions={action["id"]: action for action in document.get("actions", [])},
            conditions={condition["id"]: condition for condition in document.get("conditions", [])},
            timezone=ZoneInfo(settings.get("timezone") or "UTC"),
        )

    def has(self, action_id: str | None) -> bool:
        return action_id in self.actions

    def waits(self, action_id: str) -> bool:
        """Whether a contact arriving at the action waits there (status ``waiting``)."""
        return self.actions[action_id]["type"] in WAITS

    def after(self, action_id: str, attributes: Mapping[str, Any]) -> str | None:
        """The action that follows ``action_id`` for a contact with these attributes; None
        at the end of the workflow."""
        action = self.actions[action_id]
        if action["type"] == "if_else":
            config = action["config"]
            met = self.holds(config["condition"], attributes)
            return str(config["then"] if met else config["else"])
        following = action.get("next")
        return following if isinstance(following, str) else None

    def wakes(self, action_id: str, since: datetime) -> datetime:
        """When a contact that began waiting on ``action_id`` at ``since`` goes on."""
        action = self.actions[action_id]
        config = action.get("config") or {}
        if action["type"] == "wait":
            return since + (duration(config.get("duration")) or timedelta())
        local = since.astimezone(self.timezone)
        wake = datetime.combine(local.date(), time.fromisoformat(config["until"]), self.timezone)
        return wake if wake > local else wake + timedelta(days=1)

    def holds(self, condition_id: str, attributes: Mapping[str, Any]) -> bool:
        """A condition's rules on the contact's attributes (``match`` all or any)."""
        condition = self.conditions[condition_id]
        results = (_rule(rule, attributes) for rule in condition.get("rules", []))
        return any(results) if condition.get("match") == "any" else all(results)


def _rule(rule: Mapping[str, Any], attributes: Mapping[str, Any]) -> bool:
    field, op, wanted = rule["field"], rule["op"], rule.get("value")
    if op == "exists":
        return field in attributes
    if field not in attributes:
        return False
    value = attributes[field]
    if op == "eq":
        return bool(value == wanted)
    if op == "neq":
        return bool(value != wanted)
    if op == "contains":
        return wanted in value if isinstance(value, (str, list, tuple)) else False
    try:
        return bool(value > wanted) if op == "gt" else bool(value < wanted) if op == "lt" else False
    except TypeError:  # a number compared with text: the rule does not hold
        return False
