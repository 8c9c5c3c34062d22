from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.version_status import VersionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.change_summary import ChangeSummary
    from ..models.version_drain import VersionDrain


T = TypeVar("T", bound="VersionPublic")


@_attrs_define
class VersionPublic:
    """
    Attributes:
        id (UUID):
        workflow_id (UUID):
        version_number (int):
        status (VersionStatus):
        is_current (bool):
        lock_version (int):
        commit_sha (str):
        parent_version_id (None | UUID):
        rollback_of_version_id (None | UUID):
        created_by (str):
        created_at (str):
        published_by (None | str):
        published_at (None | str):
        deleted_at (None | str):
        archived_at (None | str | Unset):
        legal_hold_reason (None | str | Unset):
        legal_hold_by (None | str | Unset):
        legal_hold_at (None | str | Unset):
        active_executions (int | Unset): active and waiting executions of this version, in every answer that shows it (a
            draft, and so a version just published or rolled back to, has none) Default: 0.
        drain (None | Unset | VersionDrain): how fast the version empties (the last 24 hours, and when it will be empty
            at that pace): read by the versions list and a version's GET; null in the answers of changes (create, edit,
            publish, delete, holds)
        change_summary (ChangeSummary | None | Unset): what changed against the version this one was made from
            (parent_version_id), computed once when the version's document is written. Read by the versions list and a
            version's GET; null there only when that parent is gone from the index, and in the answers of changes to a
            version written before wfv kept summaries
    """

    id: UUID
    workflow_id: UUID
    version_number: int
    status: VersionStatus
    is_current: bool
    lock_version: int
    commit_sha: str
    parent_version_id: None | UUID
    rollback_of_version_id: None | UUID
    created_by: str
    created_at: str
    published_by: None | str
    published_at: None | str
    deleted_at: None | str
    archived_at: None | str | Unset = UNSET
    legal_hold_reason: None | str | Unset = UNSET
    legal_hold_by: None | str | Unset = UNSET
    legal_hold_at: None | str | Unset = UNSET
    active_executions: int | Unset = 0
    drain: None | Unset | VersionDrain = UNSET
    change_summary: ChangeSummary | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.change_summary import ChangeSummary  # noqa: PLC0415
        from ..models.version_drain import VersionDrain  # noqa: PLC0415

        id = str(self.id)

        workflow_id = str(self.workflow_id)

        version_number = self.version_number

        status = self.status.value

        is_current = self.is_current

        lock_version = self.lock_version

        commit_sha = self.commit_sha

        parent_version_id: None | str
        if isinstance(self.parent_version_id, UUID):
            parent_version_id = str(self.parent_version_id)
        else:
            parent_version_id = self.parent_version_id

        rollback_of_version_id: None | str
        if isinstance(self.rollback_of_version_id, UUID):
            rollback_of_version_id = str(self.rollback_of_version_id)
        else:
            rollback_of_version_id = self.rollback_of_version_id

        created_by = self.created_by

        created_at = self.created_at

        published_by: None | str
        published_by = self.published_by

        published_at: None | str
        published_at = self.published_at

        deleted_at: None | str
        deleted_at = self.deleted_at

        archived_at: None | str | Unset
        if isinstance(self.archived_at, Unset):
            archived_at = UNSET
        else:
            archived_at = self.archived_at

        legal_hold_reason: None | str | Unset
        if isinstance(self.legal_hold_reason, Unset):
            legal_hold_reason = UNSET
        else:
            legal_hold_reason = self.legal_hold_reason

        legal_hold_by: None | str | Unset
        if isinstance(self.legal_hold_by, Unset):
            legal_hold_by = UNSET
        else:
            legal_hold_by = self.legal_hold_by

        legal_hold_at: None | str | Unset
        if isinstance(self.legal_hold_at, Unset):
            legal_hold_at = UNSET
        else:
            legal_hold_at = self.legal_hold_at

        active_executions = self.active_executions

        drain: dict[str, Any] | None | Unset
        if isinstance(self.drain, Unset):
            drain = UNSET
        elif isinstance(self.drain, VersionDrain):
            drain = self.drain.to_dict()
        else:
            drain = self.drain

        change_summary: dict[str, Any] | None | Unset
        if isinstance(self.change_summary, Unset):
            change_summary = UNSET
        elif isinstance(self.change_summary, ChangeSummary):
            change_summary = self.change_summary.to_dict()
        else:
            change_summary = self.change_summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "version_number": version_number,
                "status": status,
                "is_current": is_current,
                "lock_version": lock_version,
                "commit_sha": commit_sha,
                "parent_version_id": parent_version_id,
                "rollback_of_version_id": rollback_of_version_id,
                "created_by": created_by,
                "created_at": created_at,
                "published_by": published_by,
                "published_at": published_at,
                "deleted_at": deleted_at,
            }
        )
        if archived_at is not UNSET:
            field_dict["archived_at"] = archived_at
        if legal_hold_reason is not UNSET:
            field_dict["legal_hold_reason"] = legal_hold_reason
        if legal_hold_by is not UNSET:
            field_dict["legal_hold_by"] = legal_hold_by
        if legal_hold_at is not UNSET:
            field_dict["legal_hold_at"] = legal_hold_at
        if active_executions is not UNSET:
            field_dict["active_executions"] = active_executions
        if drain is not UNSET:
            field_dict["drain"] = drain
        if change_summary is not UNSET:
            field_dict["change_summary"] = change_summary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.change_summary import ChangeSummary  # noqa: PLC0415
        from ..models.version_drain import VersionDrain  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        workflow_id = UUID(d.pop("workflow_id"))

        version_number = d.pop("version_number")

        status = VersionStatus(d.pop("status"))

        is_current = d.pop("is_current")

        lock_version = d.pop("lock_version")

        commit_sha = d.pop("commit_sha")

        def _parse_parent_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_version_id_type_0 = UUID(data)

                return parent_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_version_id = _parse_parent_version_id(d.pop("parent_version_id"))

        def _parse_rollback_of_version_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rollback_of_version_id_type_0 = UUID(data)

                return rollback_of_version_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        rollback_of_version_id = _parse_rollback_of_version_id(d.pop("rollback_of_version_id"))

        created_by = d.pop("created_by")

        created_at = d.pop("created_at")

        def _parse_published_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        published_by = _parse_published_by(d.pop("published_by"))

        def _parse_published_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        published_at = _parse_published_at(d.pop("published_at"))

        def _parse_deleted_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        def _parse_archived_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        archived_at = _parse_archived_at(d.pop("archived_at", UNSET))

        def _parse_legal_hold_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        legal_hold_reason = _parse_legal_hold_reason(d.pop("legal_hold_reason", UNSET))

        def _parse_legal_hold_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        legal_hold_by = _parse_legal_hold_by(d.pop("legal_hold_by", UNSET))

        def _parse_legal_hold_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        legal_hold_at = _parse_legal_hold_at(d.pop("legal_hold_at", UNSET))

        active_executions = d.pop("active_executions", UNSET)

        def _parse_drain(data: object) -> None | Unset | VersionDrain:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                drain_type_0 = VersionDrain.from_dict(data)

                return drain_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VersionDrain, data)

        drain = _parse_drain(d.pop("drain", UNSET))

        def _parse_change_summary(data: object) -> ChangeSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                change_summary_type_0 = ChangeSummary.from_dict(data)

                return change_summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChangeSummary | None | Unset, data)

        change_summary = _parse_change_summary(d.pop("change_summary", UNSET))

        version_public = cls(
            id=id,
            workflow_id=workflow_id,
            version_number=version_number,
            status=status,
            is_current=is_current,
            lock_version=lock_version,
            commit_sha=commit_sha,
            parent_version_id=parent_version_id,
            rollback_of_version_id=rollback_of_version_id,
            created_by=created_by,
            created_at=created_at,
            published_by=published_by,
            published_at=published_at,
            deleted_at=deleted_at,
            archived_at=archived_at,
            legal_hold_reason=legal_hold_reason,
            legal_hold_by=legal_hold_by,
            legal_hold_at=legal_hold_at,
            active_executions=active_executions,
            drain=drain,
            change_summary=change_summary,
        )

        version_public.additional_properties = d
        return version_public

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
