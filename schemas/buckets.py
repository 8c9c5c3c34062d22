"""The pure rule of the impact preview: the bucket of a source position, from the
migration's effective map (``schemas.migrations.position_map``) and the two action
objects, so the preview, the migration's dry run and the compare view's counts cannot
disagree with what the runner then does."""

import re
from datetime import timedelta
from typing import Any

from schemas.impact import Bucket
from schemas.migrations import EXIT, position_map

WAIT = "wait"

# The wait action's duration (schemas/action_types/wait.json): ISO 8601, no fractions but
# of seconds. A year counts 365 days and a month 30 (the engine's own reading of a wait is
# its business; the preview needs one fixed length to say earlier or later).
_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
_UNIT_SECONDS = {"Y": 365 * 86400, "Mo": 30 * 86400, "W": 7 * 86400, "D": 86400, "H": 3600, "Mi": 60, "S": 1}


def duration(text: Any) -> timedelta | None:
    """An ISO 8601 duration (P1D, PT18H, P1DT30M) as a fixed length; None when not one."""
    if not isinstance(text, str) or text in ("P", "PT") or text.endswith("T"):
        return None
    match = _DURATION.match(text)
    if match is None:
        return None
    seconds = sum(
        float(value.replace(",", ".")) * _UNIT_SECONDS[unit]
        for unit, value in match.groupdict().items()
        if value is not None
    )
    return timedelta(seconds=seconds)


def _without_duration(action: dict[str, Any]) -> dict[str, Any]:
    config = dict(action.get("config") or {})
    config.pop("duration", None)
    return {**action, "config": config}


def timer_change(source: dict[str, Any], target: dict[str, Any]) -> tuple[str, str] | None:
    """(old, new) when both are waits that differ in ``config.duration`` alone, by a
    length that tells earlier from later; None otherwise."""
    if source.get("type") != WAIT or target.get("type") != WAIT:
        return None
    if _without_duration(source) != _without_duration(target):
        return None
    old, new = (source.get("config") or {}).get("duration"), (target.get("config") or {}).get("duration")
    old_length, new_length = duration(old), duration(new)
    if old_length is None or new_length is None or old_length == new_length:
        return None
    return str(old), str(new)


def position_bucket(
    action_id: str, source: dict[str, Any] | None, to: str | None, target: dict[str, Any] | None
) -> Bucket:
    """The bucket of the contacts at ``action_id`` (``source``: its action object, None
    when the source version has no such action), which the effective map sends ``to``
    (``target``: that action's object in the target version)."""
    if to is None:
        return "fails"
    if to == EXIT:
        return "exits"
    if to != action_id:
        return "remapped"
    if source == target:
        return "unchanged"
    change = None if source is None or target is None else timer_change(source, target)
    if change is not None:
        old, new = (duration(part) for part in change)
        assert old is not None
        assert new is not None
        return "timer_earlier" if new < old else "timer_later"
    return "changed_in_place"


def off_document_bucket(unmapped: str) -> Bucket:
    """The bucket of contacts at no action (a null position) or at an id their version
    lacks: no mapping names them, so the runner treats them as unmapped: exited under
    the ``exit`` policy, reported failed under any other (``to:<action>`` included)."""
    return "exits" if unmapped == EXIT else "fails"


def document_actions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A document's actions by id: the positions a migration maps."""
    actions = definition.get("actions", [])
    return {a["id"]: a for a in actions if isinstance(a, dict) and isinstance(a.get("id"), str)}


DEFAULT_UNMAPPED = "fail"


def default_buckets(source: dict[str, Any], target: dict[str, Any]) -> dict[str, Bucket]:
    """The bucket of each action of ``source`` under a *default* migration to ``target``:
    by id, no mapping, ``unmapped=fail`` (the compare view's breaking warnings). Any other
    position (none, or an id ``source`` lacks) is ``off_document_bucket(DEFAULT_UNMAPPED)``.
    The same two steps as the preview's rules (``service.executions.buckets.Rules``): the
    effective map, then ``position_bucket`` per action."""
    source_actions, target_actions = document_actions(source), document_actions(target)
    effective = position_map(set(source_actions), set(target_actions), {}, DEFAULT_UNMAPPED)
    found: dict[str, Bucket] = {}
    for action_id, action in source_actions.items():
        to = effective.get(action_id)
        found[action_id] = position_bucket(
            action_id, action, to, target_actions.get(to) if to is not None else None
        )
    return found
