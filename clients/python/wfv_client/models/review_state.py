from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_problem import DocumentProblem


T = TypeVar("T", bound="ReviewState")


@_attrs_define
class ReviewState:
    """
    Attributes:
        required_approvals (int):
        approved_by (list[str]):
        stale_approvals (list[str]):
        changes_requested_by (list[str]):
        publishable (bool):
        missing (list[str]):
        problems (list[DocumentProblem] | Unset):
        problems_truncated (bool | Unset):  Default: False.
    """

    required_approvals: int
    approved_by: list[str]
    stale_approvals: list[str]
    changes_requested_by: list[str]
    publishable: bool
    missing: list[str]
    problems: list[DocumentProblem] | Unset = UNSET
    problems_truncated: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        required_approvals = self.required_approvals

        approved_by = self.approved_by

        stale_approvals = self.stale_approvals

        changes_requested_by = self.changes_requested_by

        publishable = self.publishable

        missing = self.missing

        problems: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.problems, Unset):
            problems = []
            for problems_item_data in self.problems:
                problems_item = problems_item_data.to_dict()
                problems.append(problems_item)

        problems_truncated = self.problems_truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "required_approvals": required_approvals,
                "approved_by": approved_by,
                "stale_approvals": stale_approvals,
                "changes_requested_by": changes_requested_by,
                "publishable": publishable,
                "missing": missing,
            }
        )
        if problems is not UNSET:
            field_dict["problems"] = problems
        if problems_truncated is not UNSET:
            field_dict["problems_truncated"] = problems_truncated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_problem import DocumentProblem  # noqa: PLC0415

        d = dict(src_dict)
        required_approvals = d.pop("required_approvals")

        approved_by = cast(list[str], d.pop("approved_by"))

        stale_approvals = cast(list[str], d.pop("stale_approvals"))

        changes_requested_by = cast(list[str], d.pop("changes_requested_by"))

        publishable = d.pop("publishable")

        missing = cast(list[str], d.pop("missing"))

        _problems = d.pop("problems", UNSET)
        problems: list[DocumentProblem] | Unset = UNSET
        if _problems is not UNSET:
            problems = []
            for problems_item_data in _problems:
                problems_item = DocumentProblem.from_dict(problems_item_data)

                problems.append(problems_item)

        problems_truncated = d.pop("problems_truncated", UNSET)

        review_state = cls(
            required_approvals=required_approvals,
            approved_by=approved_by,
            stale_approvals=stale_approvals,
            changes_requested_by=changes_requested_by,
            publishable=publishable,
            missing=missing,
            problems=problems,
            problems_truncated=problems_truncated,
        )

        review_state.additional_properties = d
        return review_state

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
