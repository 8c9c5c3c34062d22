from enum import StrEnum


class ArchivalRunPublicStatus(StrEnum):
    COMPLETED = "completed"
    DRY_RUN = "dry_run"
    FAILED = "failed"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
