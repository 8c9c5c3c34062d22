from enum import StrEnum


class ExecutionChangeCause(StrEnum):
    MIGRATION = "migration"
    REVERT = "revert"

    def __str__(self) -> str:
        return str(self.value)
