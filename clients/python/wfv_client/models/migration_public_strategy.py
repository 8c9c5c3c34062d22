from enum import StrEnum


class MigrationPublicStrategy(StrEnum):
    GRADUAL = "gradual"
    IMMEDIATE = "immediate"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
