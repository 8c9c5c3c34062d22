from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RolloutStep")


@_attrs_define
class RolloutStep:
    """
    Attributes:
        percent (int): share of new enrolments on the target
        seconds (int): how long the step lasts
    """

    percent: int
    seconds: int

    def to_dict(self) -> dict[str, Any]:
        percent = self.percent

        seconds = self.seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "percent": percent,
                "seconds": seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        percent = d.pop("percent")

        seconds = d.pop("seconds")

        rollout_step = cls(
            percent=percent,
            seconds=seconds,
        )

        return rollout_step
