from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stale_move import StaleMove


T = TypeVar("T", bound="PositionsResult")


@_attrs_define
class PositionsResult:
    """``updated``: moves applied. ``stale``: moves refused alone because their base was no
    longer the execution's, listed in ``stale_moves`` with where each execution is now
    (re-base and send again).

        Attributes:
            updated (int):
            stale (int | Unset):  Default: 0.
            stale_moves (list[StaleMove] | Unset):
    """

    updated: int
    stale: int | Unset = 0
    stale_moves: list[StaleMove] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        updated = self.updated

        stale = self.stale

        stale_moves: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.stale_moves, Unset):
            stale_moves = []
            for stale_moves_item_data in self.stale_moves:
                stale_moves_item = stale_moves_item_data.to_dict()
                stale_moves.append(stale_moves_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "updated": updated,
            }
        )
        if stale is not UNSET:
            field_dict["stale"] = stale
        if stale_moves is not UNSET:
            field_dict["stale_moves"] = stale_moves

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stale_move import StaleMove  # noqa: PLC0415

        d = dict(src_dict)
        updated = d.pop("updated")

        stale = d.pop("stale", UNSET)

        _stale_moves = d.pop("stale_moves", UNSET)
        stale_moves: list[StaleMove] | Unset = UNSET
        if _stale_moves is not UNSET:
            stale_moves = []
            for stale_moves_item_data in _stale_moves:
                stale_moves_item = StaleMove.from_dict(stale_moves_item_data)

                stale_moves.append(stale_moves_item)

        positions_result = cls(
            updated=updated,
            stale=stale,
            stale_moves=stale_moves,
        )

        positions_result.additional_properties = d
        return positions_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
