from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.position_move_status import PositionMoveStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="PositionMove")


@_attrs_define
class PositionMove:
    """Where one contact is now; named by ``execution_id`` or by ``contact_id``.

    The base is what the engine computed the move from: ``base_revision`` (the execution's
    revision it read), or ``base_version_id`` with ``base_action_id`` (the version and the
    action it was on). A move whose base is no longer the execution's (wfv migrated or
    reverted it meanwhile, or another report moved it) is refused alone and answered with
    where the execution is now; the rest of the batch applies. A move without a base is
    applied to whatever version the execution is on: unsafe while migrations run
    (docs/engine-contract.md).

        Attributes:
            status (PositionMoveStatus):
            execution_id (None | Unset | UUID):
            contact_id (None | str | Unset):
            action_id (None | str | Unset):
            base_revision (int | None | Unset):
            base_version_id (None | Unset | UUID):
            base_action_id (None | str | Unset):
    """

    status: PositionMoveStatus
    execution_id: None | Unset | UUID = UNSET
    contact_id: None | str | Unset = UNSET
    action_id: None | str | Unset = UNSET
    base_revision: int | None | Unset = UNSET
    base_version_id: None | Unset | UUID = UNSET
    base_action_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        execution_id: None | str | Unset
        if isinstance(self.execution_id, Unset):
            execution_id = UNSET
        elif isinstance(self.execution_id, UUID):
            execution_id = str(self.execution_id)
        else:
            execution_id = self.execution_id

        contact_id: None | str | Unset
        if isinstance(self.contact_id, Unset):
            contact_id = UNSET
        else:
            contact_id = self.contact_id

        action_id: None | str | Unset
        if isinstance(self.action_id, Unset):
            action_id = UNSET
        else:
            action_id = self.action_id

        base_revision: int | None | Unset
        if isinstance(self.base_revision, Unset):
            base_revision = UNSET
        else:
            base_revision = self.base_revision

        base_version_id: None | str | Unset
        if isinstance(self.base_version_id, Unset):
            base_version_id = UNSET
        elif isinstance(self.base_version_id, UUID):
            base_version_id = str(self.base_version_id)
        else:
            base_version_id = self.base_version_id

        base_action_id: None | str | Unset
        if isinstance(self.base_action_id, Unset):
            base_action_id = UNSET
        else:
            base_action_id = self.base_action_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )
        if execution_id is not UNSET:
            field_dict["execution_id"] = execution_id
        if contact_id is not UNSET:
            field_dict["contact_id"] = contact_id
        if action_id is not UNSET:
            field_dict["action_id"] = action_id
        if base_revision is not UNSET:
            field_dict["base_revision"] = base_revision
        if base_version_id is not UNSET:
            field_dict["base_version_id"] = base_version_id
        if base_action_id is not UNSET:
            field_dict["base_action_id"] = base_action_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = PositionMoveStatus(d.pop("status"))

        def _parse_execution_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                execution_id_type_0 = UUID(data)

                return execution_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        execution_id = _parse_execution_id(d.pop("execution_id", UNSET))

        def _parse_contact_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_id = _parse_contact_id(d.pop("contact_id", UNSET))

        def _parse_action_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action_id = _parse_action_id(d.pop("action_id", UNSET))

        def _parse_base_revision(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        base_revision = _parse_base_revision(d.pop("base_revision", UNSET))

        def _parse_base_version_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                base_version_id_type_0 = UUID(data)

                return base_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        base_version_id = _parse_base_version_id(d.pop("base_version_id", UNSET))

        def _parse_base_action_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_action_id = _parse_base_action_id(d.pop("base_action_id", UNSET))

        position_move = cls(
            status=status,
            execution_id=execution_id,
            contact_id=contact_id,
            action_id=action_id,
            base_revision=base_revision,
            base_version_id=base_version_id,
            base_action_id=base_action_id,
        )

        return position_move
