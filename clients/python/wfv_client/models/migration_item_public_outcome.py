from enum import StrEnum


class MigrationItemPublicOutcome(StrEnum):
    EXITED = "exited"
    FAILED = "failed"
    PINNED = "pinned"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
