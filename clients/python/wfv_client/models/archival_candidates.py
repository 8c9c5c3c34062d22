from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.archival_candidates_skipped import ArchivalCandidatesSkipped
    from ..models.version_candidate import VersionCandidate


T = TypeVar("T", bound="ArchivalCandidates")


@_attrs_define
class ArchivalCandidates:
    """
    Attributes:
        cutoff (str):
        keep_versions (int):
        examined (int):
        would_archive (int):
        skipped (ArchivalCandidatesSkipped):
        candidates (list[VersionCandidate]):
        near_misses (list[VersionCandidate]): active, non-current versions that one rule alone keeps (the rule is in
            kept_by)
        truncated (bool):
        waiting_to_empty (list[VersionCandidate] | Unset): versions that live executions keep, and nothing else but
            their recent executions: archivable once empty (drain.empty_by, at the pace of the last 24 hours) and idle for
            WFV_ARCHIVE_AFTER_DAYS; a near-miss kept by live_executions alone is in both lists
    """

    cutoff: str
    keep_versions: int
    examined: int
    would_archive: int
    skipped: ArchivalCandidatesSkipped
    candidates: list[VersionCandidate]
    near_misses: list[VersionCandidate]
    truncated: bool
    waiting_to_empty: list[VersionCandidate] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cutoff = self.cutoff

        keep_versions = self.keep_versions

        examined = self.examined

        would_archive = self.would_archive

        skipped = self.skipped.to_dict()

        candidates = []
        for candidates_item_data in self.candidates:
            candidates_item = candidates_item_data.to_dict()
            candidates.append(candidates_item)

        near_misses = []
        for near_misses_item_data in self.near_misses:
            near_misses_item = near_misses_item_data.to_dict()
            near_misses.append(near_misses_item)

        truncated = self.truncated

        waiting_to_empty: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.waiting_to_empty, Unset):
            waiting_to_empty = []
            for waiting_to_empty_item_data in self.waiting_to_empty:
                waiting_to_empty_item = waiting_to_empty_item_data.to_dict()
                waiting_to_empty.append(waiting_to_empty_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cutoff": cutoff,
                "keep_versions": keep_versions,
                "examined": examined,
                "would_archive": would_archive,
                "skipped": skipped,
                "candidates": candidates,
                "near_misses": near_misses,
                "truncated": truncated,
            }
        )
        if waiting_to_empty is not UNSET:
            field_dict["waiting_to_empty"] = waiting_to_empty

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.archival_candidates_skipped import ArchivalCandidatesSkipped  # noqa: PLC0415
        from ..models.version_candidate import VersionCandidate  # noqa: PLC0415

        d = dict(src_dict)
        cutoff = d.pop("cutoff")

        keep_versions = d.pop("keep_versions")

        examined = d.pop("examined")

        would_archive = d.pop("would_archive")

        skipped = ArchivalCandidatesSkipped.from_dict(d.pop("skipped"))

        candidates = []
        _candidates = d.pop("candidates")
        for candidates_item_data in _candidates:
            candidates_item = VersionCandidate.from_dict(candidates_item_data)

            candidates.append(candidates_item)

        near_misses = []
        _near_misses = d.pop("near_misses")
        for near_misses_item_data in _near_misses:
            near_misses_item = VersionCandidate.from_dict(near_misses_item_data)

            near_misses.append(near_misses_item)

        truncated = d.pop("truncated")

        _waiting_to_empty = d.pop("waiting_to_empty", UNSET)
        waiting_to_empty: list[VersionCandidate] | Unset = UNSET
        if _waiting_to_empty is not UNSET:
            waiting_to_empty = []
            for waiting_to_empty_item_data in _waiting_to_empty:
                waiting_to_empty_item = VersionCandidate.from_dict(waiting_to_empty_item_data)

                waiting_to_empty.append(waiting_to_empty_item)

        archival_candidates = cls(
            cutoff=cutoff,
            keep_versions=keep_versions,
            examined=examined,
            would_archive=would_archive,
            skipped=skipped,
            candidates=candidates,
            near_misses=near_misses,
            truncated=truncated,
            waiting_to_empty=waiting_to_empty,
        )

        archival_candidates.additional_properties = d
        return archival_candidates

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
