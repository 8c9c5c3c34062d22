from enum import StrEnum


class RevertOtherReason(StrEnum):
    BLOCKED = "blocked"
    MOVED_SINCE = "moved_since"
    PINNED = "pinned"
    RESTORABLE = "restorable"

    def __str__(self) -> str:
        return str(self.value)
