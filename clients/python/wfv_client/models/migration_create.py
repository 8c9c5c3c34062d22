from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.migration_create_strategy import MigrationCreateStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.migration_create_mapping import MigrationCreateMapping


T = TypeVar("T", bound="MigrationCreate")


@_attrs_define
class MigrationCreate:
    """``unmapped``: ``fail`` (the execution stays and is reported), ``exit``, or ``to:<action>``.

    Attributes:
        from_versions (list[int | UUID]):
        strategy (MigrationCreateStrategy | Unset):  Default: MigrationCreateStrategy.IMMEDIATE.
        mapping (MigrationCreateMapping | Unset):
        unmapped (str | Unset):  Default: 'fail'.
        dry_run (bool | Unset):  Default: False.
        batch_size (int | Unset):  Default: 5000.
        step_percent (float | Unset):  Default: 10.0.
        interval_seconds (int | Unset):  Default: 300.
        failure_threshold (float | Unset):  Default: 0.05.
        execution_ids (list[UUID] | None | Unset):
        contact_ids (list[str] | None | Unset):
    """

    from_versions: list[int | UUID]
    strategy: MigrationCreateStrategy | Unset = MigrationCreateStrategy.IMMEDIATE
    mapping: MigrationCreateMapping | Unset = UNSET
    unmapped: str | Unset = "fail"
    dry_run: bool | Unset = False
    batch_size: int | Unset = 5000
    step_percent: float | Unset = 10.0
    interval_seconds: int | Unset = 300
    failure_threshold: float | Unset = 0.05
    execution_ids: list[UUID] | None | Unset = UNSET
    contact_ids: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_versions = []
        for from_versions_item_data in self.from_versions:
            from_versions_item: int | str
            if isinstance(from_versions_item_data, UUID):
                from_versions_item = str(from_versions_item_data)
            else:
                from_versions_item = from_versions_item_data
            from_versions.append(from_versions_item)

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.value

        mapping: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mapping, Unset):
            mapping = self.mapping.to_dict()

        unmapped = self.unmapped

        dry_run = self.dry_run

        batch_size = self.batch_size

        step_percent = self.step_percent

        interval_seconds = self.interval_seconds

        failure_threshold = self.failure_threshold

        execution_ids: list[str] | None | Unset
        if isinstance(self.execution_ids, Unset):
            execution_ids = UNSET
        elif isinstance(self.execution_ids, list):
            execution_ids = []
            for execution_ids_type_0_item_data in self.execution_ids:
                execution_ids_type_0_item = str(execution_ids_type_0_item_data)
                execution_ids.append(execution_ids_type_0_item)

        else:
            execution_ids = self.execution_ids

        contact_ids: list[str] | None | Unset
        if isinstance(self.contact_ids, Unset):
            contact_ids = UNSET
        elif isinstance(self.contact_ids, list):
            contact_ids = self.contact_ids

        else:
            contact_ids = self.contact_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_versions": from_versions,
            }
        )
        if strategy is not UNSET:
            field_dict["strategy"] = strategy
        if mapping is not UNSET:
            field_dict["mapping"] = mapping
        if unmapped is not UNSET:
            field_dict["unmapped"] = unmapped
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if step_percent is not UNSET:
            field_dict["step_percent"] = step_percent
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if failure_threshold is not UNSET:
            field_dict["failure_threshold"] = failure_threshold
        if execution_ids is not UNSET:
            field_dict["execution_ids"] = execution_ids
        if contact_ids is not UNSET:
            field_dict["contact_ids"] = contact_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.migration_create_mapping import MigrationCreateMapping  # noqa: PLC0415

        d = dict(src_dict)
        from_versions = []
        _from_versions = d.pop("from_versions")
        for from_versions_item_data in _from_versions:

            def _parse_from_versions_item(data: object) -> int | UUID:
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    from_versions_item_type_0 = UUID(data)

                    return from_versions_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(int | UUID, data)

            from_versions_item = _parse_from_versions_item(from_versions_item_data)

            from_versions.append(from_versions_item)

        _strategy = d.pop("strategy", UNSET)
        strategy: MigrationCreateStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = MigrationCreateStrategy(_strategy)

        _mapping = d.pop("mapping", UNSET)
        mapping: MigrationCreateMapping | Unset
        if isinstance(_mapping, Unset):
            mapping = UNSET
        else:
            mapping = MigrationCreateMapping.from_dict(_mapping)

        unmapped = d.pop("unmapped", UNSET)

        dry_run = d.pop("dry_run", UNSET)

        batch_size = d.pop("batch_size", UNSET)

        step_percent = d.pop("step_percent", UNSET)

        interval_seconds = d.pop("interval_seconds", UNSET)

        failure_threshold = d.pop("failure_threshold", UNSET)

        def _parse_execution_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                execution_ids_type_0 = []
                _execution_ids_type_0 = data
                for execution_ids_type_0_item_data in _execution_ids_type_0:
                    execution_ids_type_0_item = UUID(execution_ids_type_0_item_data)

                    execution_ids_type_0.append(execution_ids_type_0_item)

                return execution_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        execution_ids = _parse_execution_ids(d.pop("execution_ids", UNSET))

        def _parse_contact_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                contact_ids_type_0 = cast(list[str], data)

                return contact_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        contact_ids = _parse_contact_ids(d.pop("contact_ids", UNSET))

        migration_create = cls(
            from_versions=from_versions,
            strategy=strategy,
            mapping=mapping,
            unmapped=unmapped,
            dry_run=dry_run,
            batch_size=batch_size,
            step_percent=step_percent,
            interval_seconds=interval_seconds,
            failure_threshold=failure_threshold,
            execution_ids=execution_ids,
            contact_ids=contact_ids,
        )

        return migration_create
