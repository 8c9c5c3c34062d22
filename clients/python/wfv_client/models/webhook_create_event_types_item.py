from enum import StrEnum


class WebhookCreateEventTypesItem(StrEnum):
    EXECUTIONS_MOVED = "executions.moved"
    MIGRATION_COMPLETED = "migration.completed"
    MIGRATION_FAILED = "migration.failed"
    MIGRATION_HALTED = "migration.halted"
    MIGRATION_REVERTED = "migration.reverted"
    MIGRATION_STARTED = "migration.started"
    REVIEW_APPROVED = "review.approved"
    REVIEW_CHANGES_REQUESTED = "review.changes_requested"
    VERSION_ARCHIVED = "version.archived"
    VERSION_PUBLISHED = "version.published"
    VERSION_ROLLED_BACK = "version.rolled_back"
    VERSION_UNARCHIVED = "version.unarchived"

    def __str__(self) -> str:
        return str(self.value)
