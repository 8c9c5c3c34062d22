from enum import StrEnum


class ElementChangePart(StrEnum):
    ACTIONS = "actions"
    CONDITIONS = "conditions"
    SETTINGS = "settings"
    TRIGGER = "trigger"

    def __str__(self) -> str:
        return str(self.value)
