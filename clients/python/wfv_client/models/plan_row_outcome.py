from enum import StrEnum


class PlanRowOutcome(StrEnum):
    EXIT = "exit"
    FAIL = "fail"
    MIGRATE = "migrate"

    def __str__(self) -> str:
        return str(self.value)
