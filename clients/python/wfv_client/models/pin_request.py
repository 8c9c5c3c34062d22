from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="PinRequest")


@_attrs_define
class PinRequest:
    """The contacts to pin (``POST …/pins``) or to unpin (``POST …/pins/delete``).

    Attributes:
        contact_ids (list[str]):
    """

    contact_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        contact_ids = self.contact_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "contact_ids": contact_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact_ids = cast(list[str], d.pop("contact_ids"))

        pin_request = cls(
            contact_ids=contact_ids,
        )

        return pin_request
