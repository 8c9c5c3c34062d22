from enum import StrEnum


class JourneyEventCause(StrEnum):
    ENGINE = "engine"
    ENROLMENT = "enrolment"
    MIGRATION = "migration"
    REVERT = "revert"

    def __str__(self) -> str:
        return str(self.value)
