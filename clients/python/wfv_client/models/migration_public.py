from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.migration_public_eta_reason_type_0 import MigrationPublicEtaReasonType0
from ..models.migration_public_status import MigrationPublicStatus
from ..models.migration_public_strategy import MigrationPublicStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.migration_halt import MigrationHalt


T = TypeVar("T", bound="MigrationPublic")


@_attrs_define
class MigrationPublic:
    """
    Attributes:
        id (UUID):
        workflow_id (UUID):
        target_version_id (UUID):
        source_version_ids (list[UUID]):
        strategy (MigrationPublicStrategy):
        status (MigrationPublicStatus):
        status_reason (None | str):
        total (int):
        migrated (int):
        skipped (int):
        failed (int):
        rate_per_second (float | None):
        eta_seconds (float | None): seconds left: executions left at the measured rate plus the gradual waits still
            ahead; 0 once finished; null while nothing moves (see eta_reason)
        step (int):
        failure_threshold (float):
        created_by (str):
        created_at (str):
        started_at (None | str):
        finished_at (None | str):
        eta_reason (MigrationPublicEtaReasonType0 | None | Unset): why eta_seconds is null: queued (not started),
            measuring (no rate yet), paused (by hand), halted (by its failure threshold; see halt)
        next_step_at (None | str | Unset): when a gradual migration resting between steps starts the next
        halt (MigrationHalt | None | Unset): what a migration halted by its failure threshold halted on
    """

    id: UUID
    workflow_id: UUID
    target_version_id: UUID
    source_version_ids: list[UUID]
    strategy: MigrationPublicStrategy
    status: MigrationPublicStatus
    status_reason: None | str
    total: int
    migrated: int
    skipped: int
    failed: int
    rate_per_second: float | None
    eta_seconds: float | None
    step: int
    failure_threshold: float
    created_by: str
    created_at: str
    started_at: None | str
    finished_at: None | str
    eta_reason: MigrationPublicEtaReasonType0 | None | Unset = UNSET
    next_step_at: None | str | Unset = UNSET
    halt: MigrationHalt | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.migration_halt import MigrationHalt  # noqa: PLC0415

        id = str(self.id)

        workflow_id = str(self.workflow_id)

        target_version_id = str(self.target_version_id)

        source_version_ids = []
        for source_version_ids_item_data in self.source_version_ids:
            source_version_ids_item = str(source_version_ids_item_data)
            source_version_ids.append(source_version_ids_item)

        strategy = self.strategy.value

        status = self.status.value

        status_reason: None | str
        status_reason = self.status_reason

        total = self.total

        migrated = self.migrated

        skipped = self.skipped

        failed = self.failed

        rate_per_second: float | None
        rate_per_second = self.rate_per_second

        eta_seconds: float | None
        eta_seconds = self.eta_seconds

        step = self.step

        failure_threshold = self.failure_threshold

        created_by = self.created_by

        created_at = self.created_at

        started_at: None | str
        started_at = self.started_at

        finished_at: None | str
        finished_at = self.finished_at

        eta_reason: None | str | Unset
        if isinstance(self.eta_reason, Unset):
            eta_reason = UNSET
        elif isinstance(self.eta_reason, MigrationPublicEtaReasonType0):
            eta_reason = self.eta_reason.value
        else:
            eta_reason = self.eta_reason

        next_step_at: None | str | Unset
        if isinstance(self.next_step_at, Unset):
            next_step_at = UNSET
        else:
            next_step_at = self.next_step_at

        halt: dict[str, Any] | None | Unset
        if isinstance(self.halt, Unset):
            halt = UNSET
        elif isinstance(self.halt, MigrationHalt):
            halt = self.halt.to_dict()
        else:
            halt = self.halt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workflow_id": workflow_id,
                "target_version_id": target_version_id,
                "source_version_ids": source_version_ids,
                "strategy": strategy,
                "status": status,
                "status_reason": status_reason,
                "total": total,
                "migrated": migrated,
                "skipped": skipped,
                "failed": failed,
                "rate_per_second": rate_per_second,
                "eta_seconds": eta_seconds,
                "step": step,
                "failure_threshold": failure_threshold,
                "created_by": created_by,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )
        if eta_reason is not UNSET:
            field_dict["eta_reason"] = eta_reason
        if next_step_at is not UNSET:
            field_dict["next_step_at"] = next_step_at
        if halt is not UNSET:
            field_dict["halt"] = halt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.migration_halt import MigrationHalt  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        workflow_id = UUID(d.pop("workflow_id"))

        target_version_id = UUID(d.pop("target_version_id"))

        source_version_ids = []
        _source_version_ids = d.pop("source_version_ids")
        for source_version_ids_item_data in _source_version_ids:
            source_version_ids_item = UUID(source_version_ids_item_data)

            source_version_ids.append(source_version_ids_item)

        strategy = MigrationPublicStrategy(d.pop("strategy"))

        status = MigrationPublicStatus(d.pop("status"))

        def _parse_status_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_reason = _parse_status_reason(d.pop("status_reason"))

        total = d.pop("total")

        migrated = d.pop("migrated")

        skipped = d.pop("skipped")

        failed = d.pop("failed")

        def _parse_rate_per_second(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        rate_per_second = _parse_rate_per_second(d.pop("rate_per_second"))

        def _parse_eta_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        eta_seconds = _parse_eta_seconds(d.pop("eta_seconds"))

        step = d.pop("step")

        failure_threshold = d.pop("failure_threshold")

        created_by = d.pop("created_by")

        created_at = d.pop("created_at")

        def _parse_started_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_eta_reason(data: object) -> MigrationPublicEtaReasonType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_reason_type_0 = MigrationPublicEtaReasonType0(data)

                return eta_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MigrationPublicEtaReasonType0 | None | Unset, data)

        eta_reason = _parse_eta_reason(d.pop("eta_reason", UNSET))

        def _parse_next_step_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_step_at = _parse_next_step_at(d.pop("next_step_at", UNSET))

        def _parse_halt(data: object) -> MigrationHalt | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                halt_type_0 = MigrationHalt.from_dict(data)

                return halt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MigrationHalt | None | Unset, data)

        halt = _parse_halt(d.pop("halt", UNSET))

        migration_public = cls(
            id=id,
            workflow_id=workflow_id,
            target_version_id=target_version_id,
            source_version_ids=source_version_ids,
            strategy=strategy,
            status=status,
            status_reason=status_reason,
            total=total,
            migrated=migrated,
            skipped=skipped,
            failed=failed,
            rate_per_second=rate_per_second,
            eta_seconds=eta_seconds,
            step=step,
            failure_threshold=failure_threshold,
            created_by=created_by,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            eta_reason=eta_reason,
            next_step_at=next_step_at,
            halt=halt,
        )

        migration_public.additional_properties = d
        return migration_public

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
