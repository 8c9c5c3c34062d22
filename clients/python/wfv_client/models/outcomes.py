from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Outcomes")


@_attrs_define
class Outcomes:
    """One version's executions enrolled in a window, by where they are now.

    The rates are shares of the *enrolled* executions (``failed / enrolled``), not of the
    finished ones: see ``service.rollouts.guards`` for why.

        Attributes:
            enrolled (int):
            finished (int):
            failure_rate (float): The share of the window's enrolled executions that failed (0 with none).
            exit_rate (float): The share of the window's enrolled executions that exited (0 with none).
            completed (int | Unset):  Default: 0.
            exited (int | Unset):  Default: 0.
            failed (int | Unset):  Default: 0.
            live (int | Unset): still active or waiting Default: 0.
    """

    enrolled: int
    finished: int
    failure_rate: float
    exit_rate: float
    completed: int | Unset = 0
    exited: int | Unset = 0
    failed: int | Unset = 0
    live: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enrolled = self.enrolled

        finished = self.finished

        failure_rate = self.failure_rate

        exit_rate = self.exit_rate

        completed = self.completed

        exited = self.exited

        failed = self.failed

        live = self.live

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enrolled": enrolled,
                "finished": finished,
                "failure_rate": failure_rate,
                "exit_rate": exit_rate,
            }
        )
        if completed is not UNSET:
            field_dict["completed"] = completed
        if exited is not UNSET:
            field_dict["exited"] = exited
        if failed is not UNSET:
            field_dict["failed"] = failed
        if live is not UNSET:
            field_dict["live"] = live

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enrolled = d.pop("enrolled")

        finished = d.pop("finished")

        failure_rate = d.pop("failure_rate")

        exit_rate = d.pop("exit_rate")

        completed = d.pop("completed", UNSET)

        exited = d.pop("exited", UNSET)

        failed = d.pop("failed", UNSET)

        live = d.pop("live", UNSET)

        outcomes = cls(
            enrolled=enrolled,
            finished=finished,
            failure_rate=failure_rate,
            exit_rate=exit_rate,
            completed=completed,
            exited=exited,
            failed=failed,
            live=live,
        )

        outcomes.additional_properties = d
        return outcomes

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
