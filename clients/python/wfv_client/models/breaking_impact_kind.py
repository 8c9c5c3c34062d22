from enum import StrEnum


class BreakingImpactKind(StrEnum):
    ACTION_REMOVED = "action_removed"
    ACTION_TYPE_CHANGED = "action_type_changed"
    BRANCH_REMOVED = "branch_removed"
    TRIGGER_TYPE_CHANGED = "trigger_type_changed"

    def __str__(self) -> str:
        return str(self.value)
