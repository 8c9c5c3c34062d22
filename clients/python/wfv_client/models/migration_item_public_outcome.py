from enum import StrEnum


class MigrationItemPublicOutcome(StrEnum):
    EXITED = "exited"
    FAILED = "failed"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
