from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.archival_run_public_status import ArchivalRunPublicStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.archival_run_public_skipped import ArchivalRunPublicSkipped


T = TypeVar("T", bound="ArchivalRunPublic")


@_attrs_define
class ArchivalRunPublic:
    """A run (``id`` is null for a dry run, which records nothing).

    Attributes:
        id (None | UUID):
        status (ArchivalRunPublicStatus):
        trigger (str):
        triggered_by (str):
        workflow_id (None | UUID):
        started_at (str):
        finished_at (None | str):
        cutoff (str):
        keep_versions (int):
        batches (int):
        examined (int):
        archived (int):
        skipped (ArchivalRunPublicSkipped):
        error (None | str | Unset):
    """

    id: None | UUID
    status: ArchivalRunPublicStatus
    trigger: str
    triggered_by: str
    workflow_id: None | UUID
    started_at: str
    finished_at: None | str
    cutoff: str
    keep_versions: int
    batches: int
    examined: int
    archived: int
    skipped: ArchivalRunPublicSkipped
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str
        if isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        status = self.status.value

        trigger = self.trigger

        triggered_by = self.triggered_by

        workflow_id: None | str
        if isinstance(self.workflow_id, UUID):
            workflow_id = str(self.workflow_id)
        else:
            workflow_id = self.workflow_id

        started_at = self.started_at

        finished_at: None | str
        finished_at = self.finished_at

        cutoff = self.cutoff

        keep_versions = self.keep_versions

        batches = self.batches

        examined = self.examined

        archived = self.archived

        skipped = self.skipped.to_dict()

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "trigger": trigger,
                "triggered_by": triggered_by,
                "workflow_id": workflow_id,
                "started_at": started_at,
                "finished_at": finished_at,
                "cutoff": cutoff,
                "keep_versions": keep_versions,
                "batches": batches,
                "examined": examined,
                "archived": archived,
                "skipped": skipped,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.archival_run_public_skipped import ArchivalRunPublicSkipped  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        id = _parse_id(d.pop("id"))

        status = ArchivalRunPublicStatus(d.pop("status"))

        trigger = d.pop("trigger")

        triggered_by = d.pop("triggered_by")

        def _parse_workflow_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workflow_id_type_0 = UUID(data)

                return workflow_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        started_at = d.pop("started_at")

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        cutoff = d.pop("cutoff")

        keep_versions = d.pop("keep_versions")

        batches = d.pop("batches")

        examined = d.pop("examined")

        archived = d.pop("archived")

        skipped = ArchivalRunPublicSkipped.from_dict(d.pop("skipped"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        archival_run_public = cls(
            id=id,
            status=status,
            trigger=trigger,
            triggered_by=triggered_by,
            workflow_id=workflow_id,
            started_at=started_at,
            finished_at=finished_at,
            cutoff=cutoff,
            keep_versions=keep_versions,
            batches=batches,
            examined=examined,
            archived=archived,
            skipped=skipped,
            error=error,
        )

        archival_run_public.additional_properties = d
        return archival_run_public

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
