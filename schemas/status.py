"""The version life cycle: a small explicit state machine.

draft --publish--> active --archive--> archived --unarchive--> active; a draft can also be
deleted (soft). Any other move is refused with the name of the transition that was attempted.
"""

from enum import StrEnum


class VersionStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class Transition(StrEnum):
    PUBLISH = "publish"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    DELETE = "delete"
    EDIT = "edit"


_ALLOWED: dict[Transition, tuple[VersionStatus, VersionStatus]] = {
    Transition.PUBLISH: (VersionStatus.DRAFT, VersionStatus.ACTIVE),
    Transition.ARCHIVE: (VersionStatus.ACTIVE, VersionStatus.ARCHIVED),
    Transition.UNARCHIVE: (VersionStatus.ARCHIVED, VersionStatus.ACTIVE),
    Transition.DELETE: (VersionStatus.DRAFT, VersionStatus.DRAFT),
    Transition.EDIT: (VersionStatus.DRAFT, VersionStatus.DRAFT),
}


class InvalidTransition(Exception):
    """A version cannot make the requested move from its current status."""

    status_code = 409

    def __init__(self, transition: Transition, status: VersionStatus) -> None:
        self.transition = transition
        self.status = status
        required = _ALLOWED[transition][0].value
        article = "an" if required[0] in "aeiou" else "a"
        super().__init__(
            f"cannot {transition.value} a version that is {status.value} "
            f"(only {article} {required} version can be {_PAST[transition]})"
        )


_PAST = {
    Transition.PUBLISH: "published",
    Transition.ARCHIVE: "archived",
    Transition.UNARCHIVE: "unarchived",
    Transition.DELETE: "deleted",
    Transition.EDIT: "edited",
}


def apply_transition(transition: Transition, status: VersionStatus) -> VersionStatus:
    """The status after ``transition``; raises :class:`InvalidTransition` if not allowed."""
    source, target = _ALLOWED[transition]
    if status != source:
        raise InvalidTransition(transition, status)
    return target
