from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MigrationResume")


@_attrs_define
class MigrationResume:
    """The optional body of ``POST …/resume``: a new ``failure_threshold`` from now on.

    Attributes:
        failure_threshold (float | None | Unset):
    """

    failure_threshold: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        failure_threshold: float | None | Unset
        if isinstance(self.failure_threshold, Unset):
            failure_threshold = UNSET
        else:
            failure_threshold = self.failure_threshold

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if failure_threshold is not UNSET:
            field_dict["failure_threshold"] = failure_threshold

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_failure_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        failure_threshold = _parse_failure_threshold(d.pop("failure_threshold", UNSET))

        migration_resume = cls(
            failure_threshold=failure_threshold,
        )

        return migration_resume
