from enum import StrEnum


class BreakingImpactBucketType0(StrEnum):
    CHANGED_IN_PLACE = "changed_in_place"
    EXITS = "exits"
    FAILS = "fails"
    PINNED = "pinned"
    REMAPPED = "remapped"
    TIMER_EARLIER = "timer_earlier"
    TIMER_LATER = "timer_later"
    UNCHANGED = "unchanged"

    def __str__(self) -> str:
        return str(self.value)
