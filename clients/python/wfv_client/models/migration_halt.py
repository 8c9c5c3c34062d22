from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MigrationHalt")


@_attrs_define
class MigrationHalt:
    """Why a gradual migration paused itself: in ``step``, ``failed`` of the ``processed``
    executions since ``window_started_at`` (the step's start, or the last resume) failed,
    a ``share`` above ``threshold``.

        Attributes:
            step (int):
            failed (int):
            processed (int):
            share (float):
            threshold (float):
            window_started_at (str):
            halted_at (str):
    """

    step: int
    failed: int
    processed: int
    share: float
    threshold: float
    window_started_at: str
    halted_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        step = self.step

        failed = self.failed

        processed = self.processed

        share = self.share

        threshold = self.threshold

        window_started_at = self.window_started_at

        halted_at = self.halted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "step": step,
                "failed": failed,
                "processed": processed,
                "share": share,
                "threshold": threshold,
                "window_started_at": window_started_at,
                "halted_at": halted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        step = d.pop("step")

        failed = d.pop("failed")

        processed = d.pop("processed")

        share = d.pop("share")

        threshold = d.pop("threshold")

        window_started_at = d.pop("window_started_at")

        halted_at = d.pop("halted_at")

        migration_halt = cls(
            step=step,
            failed=failed,
            processed=processed,
            share=share,
            threshold=threshold,
            window_started_at=window_started_at,
            halted_at=halted_at,
        )

        migration_halt.additional_properties = d
        return migration_halt

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
