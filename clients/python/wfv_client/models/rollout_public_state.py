from enum import StrEnum


class RolloutPublicState(StrEnum):
    ABORTED = "aborted"
    HALTED = "halted"
    PAUSED = "paused"
    PUBLISHED = "published"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
