from enum import StrEnum


class GuardVerdictState(StrEnum):
    HALT = "halt"
    WAITING_FOR_SAMPLE = "waiting_for_sample"
    WITHIN_MARGIN = "within_margin"

    def __str__(self) -> str:
        return str(self.value)
