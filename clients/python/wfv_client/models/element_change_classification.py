from enum import StrEnum


class ElementChangeClassification(StrEnum):
    BEHAVIOURAL = "behavioural"
    BREAKING = "breaking"
    COSMETIC = "cosmetic"

    def __str__(self) -> str:
        return str(self.value)
