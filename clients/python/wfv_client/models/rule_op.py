from enum import StrEnum


class RuleOp(StrEnum):
    CONTAINS = "contains"
    EQ = "eq"
    EXISTS = "exists"
    GT = "gt"
    LT = "lt"
    NEQ = "neq"

    def __str__(self) -> str:
        return str(self.value)
