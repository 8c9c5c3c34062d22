from enum import StrEnum


class ReviewEventPublicKind(StrEnum):
    APPROVE = "approve"
    COMMENT = "comment"
    REQUEST_CHANGES = "request_changes"

    def __str__(self) -> str:
        return str(self.value)
