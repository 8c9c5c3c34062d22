from enum import StrEnum


class VersionDrainState(StrEnum):
    DRAINING = "draining"
    EMPTY = "empty"
    ENROLLING = "enrolling"
    NOT_DRAINING = "not_draining"

    def __str__(self) -> str:
        return str(self.value)
