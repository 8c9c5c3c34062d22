from enum import StrEnum


class MigrationCreateStrategy(StrEnum):
    GRADUAL = "gradual"
    IMMEDIATE = "immediate"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
