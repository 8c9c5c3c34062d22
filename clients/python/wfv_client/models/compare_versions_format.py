from enum import StrEnum


class CompareVersionsFormat(StrEnum):
    JSON = "json"
    PATCH = "patch"

    def __str__(self) -> str:
        return str(self.value)
