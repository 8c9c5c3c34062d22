from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.position_move import PositionMove


T = TypeVar("T", bound="PositionsRequest")


@_attrs_define
class PositionsRequest:
    """
    Attributes:
        moves (list[PositionMove]):
    """

    moves: list[PositionMove]

    def to_dict(self) -> dict[str, Any]:
        moves = []
        for moves_item_data in self.moves:
            moves_item = moves_item_data.to_dict()
            moves.append(moves_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "moves": moves,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.position_move import PositionMove  # noqa: PLC0415

        d = dict(src_dict)
        moves = []
        _moves = d.pop("moves")
        for moves_item_data in _moves:
            moves_item = PositionMove.from_dict(moves_item_data)

            moves.append(moves_item)

        positions_request = cls(
            moves=moves,
        )

        return positions_request
