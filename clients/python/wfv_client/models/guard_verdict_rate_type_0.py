from enum import StrEnum


class GuardVerdictRateType0(StrEnum):
    EXIT = "exit"
    FAILURE = "failure"

    def __str__(self) -> str:
        return str(self.value)
