from enum import StrEnum


class ListItemsOutcomeType0(StrEnum):
    EXITED = "exited"
    FAILED = "failed"
    PINNED = "pinned"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
