from enum import StrEnum


class KeptBy(StrEnum):
    CURRENT = "current"
    DRAFT = "draft"
    KEEP_NEWEST = "keep_newest"
    LEGAL_HOLD = "legal_hold"
    LIVE_EXECUTIONS = "live_executions"
    RECENTLY_PUBLISHED = "recently_published"
    RECENT_EXECUTIONS = "recent_executions"

    def __str__(self) -> str:
        return str(self.value)
