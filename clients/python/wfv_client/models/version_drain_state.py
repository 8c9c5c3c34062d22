from enum import StrEnum


class VersionDrainState(StrEnum):
    CURRENT = "current"
    DRAINING = "draining"
    EMPTY = "empty"
    NOT_DRAINING = "not_draining"

    def __str__(self) -> str:
        return str(self.value)
