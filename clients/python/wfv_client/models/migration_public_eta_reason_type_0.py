from enum import StrEnum


class MigrationPublicEtaReasonType0(StrEnum):
    HALTED = "halted"
    MEASURING = "measuring"
    PAUSED = "paused"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
