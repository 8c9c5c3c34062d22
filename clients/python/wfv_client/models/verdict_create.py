from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.verdict_create_verdict import VerdictCreateVerdict
from ..types import UNSET, Unset

T = TypeVar("T", bound="VerdictCreate")


@_attrs_define
class VerdictCreate:
    """
    Attributes:
        verdict (VerdictCreateVerdict):
        body (None | str | Unset):
    """

    verdict: VerdictCreateVerdict
    body: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        verdict = self.verdict.value

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "verdict": verdict,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        verdict = VerdictCreateVerdict(d.pop("verdict"))

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        verdict_create = cls(
            verdict=verdict,
            body=body,
        )

        return verdict_create
