from enum import StrEnum


class ElementChangeKind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    MOVED = "moved"
    REMOVED = "removed"

    def __str__(self) -> str:
        return str(self.value)
