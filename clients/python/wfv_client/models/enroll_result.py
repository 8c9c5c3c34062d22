from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_assignment import ContactAssignment
    from ..models.version_enrolled import VersionEnrolled


T = TypeVar("T", bound="EnrollResult")


@_attrs_define
class EnrollResult:
    """``version_id``/``version_number``/``action_id``: the current version's (where every
    contact goes unless a rollout sends it to its target); ``by_version``: how many went to
    each version; ``assignments`` (with ``?assignments=true``): each newly enrolled contact's.

        Attributes:
            enrolled (int):
            already_enrolled (int):
            version_id (UUID):
            version_number (int):
            action_id (str):
            by_version (list[VersionEnrolled] | Unset):
            assignments (list[ContactAssignment] | None | Unset):
    """

    enrolled: int
    already_enrolled: int
    version_id: UUID
    version_number: int
    action_id: str
    by_version: list[VersionEnrolled] | Unset = UNSET
    assignments: list[ContactAssignment] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enrolled = self.enrolled

        already_enrolled = self.already_enrolled

        version_id = str(self.version_id)

        version_number = self.version_number

        action_id = self.action_id

        by_version: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.by_version, Unset):
            by_version = []
            for by_version_item_data in self.by_version:
                by_version_item = by_version_item_data.to_dict()
                by_version.append(by_version_item)

        assignments: list[dict[str, Any]] | None | Unset
        if isinstance(self.assignments, Unset):
            assignments = UNSET
        elif isinstance(self.assignments, list):
            assignments = []
            for assignments_type_0_item_data in self.assignments:
                assignments_type_0_item = assignments_type_0_item_data.to_dict()
                assignments.append(assignments_type_0_item)

        else:
            assignments = self.assignments

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enrolled": enrolled,
                "already_enrolled": already_enrolled,
                "version_id": version_id,
                "version_number": version_number,
                "action_id": action_id,
            }
        )
        if by_version is not UNSET:
            field_dict["by_version"] = by_version
        if assignments is not UNSET:
            field_dict["assignments"] = assignments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_assignment import ContactAssignment  # noqa: PLC0415
        from ..models.version_enrolled import VersionEnrolled  # noqa: PLC0415

        d = dict(src_dict)
        enrolled = d.pop("enrolled")

        already_enrolled = d.pop("already_enrolled")

        version_id = UUID(d.pop("version_id"))

        version_number = d.pop("version_number")

        action_id = d.pop("action_id")

        _by_version = d.pop("by_version", UNSET)
        by_version: list[VersionEnrolled] | Unset = UNSET
        if _by_version is not UNSET:
            by_version = []
            for by_version_item_data in _by_version:
                by_version_item = VersionEnrolled.from_dict(by_version_item_data)

                by_version.append(by_version_item)

        def _parse_assignments(data: object) -> list[ContactAssignment] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                assignments_type_0 = []
                _assignments_type_0 = data
                for assignments_type_0_item_data in _assignments_type_0:
                    assignments_type_0_item = ContactAssignment.from_dict(assignments_type_0_item_data)

                    assignments_type_0.append(assignments_type_0_item)

                return assignments_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ContactAssignment] | None | Unset, data)

        assignments = _parse_assignments(d.pop("assignments", UNSET))

        enroll_result = cls(
            enrolled=enrolled,
            already_enrolled=already_enrolled,
            version_id=version_id,
            version_number=version_number,
            action_id=action_id,
            by_version=by_version,
            assignments=assignments,
        )

        enroll_result.additional_properties = d
        return enroll_result

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
