from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_event_public_kind import ReviewEventPublicKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewEventPublic")


@_attrs_define
class ReviewEventPublic:
    """
    Attributes:
        id (int):
        kind (ReviewEventPublicKind):
        author_id (str):
        body (str):
        action_id (None | str):
        json_path (None | str):
        lock_version (int):
        commit_sha (str):
        created_at (str):
        stale (bool | Unset):  Default: False.
    """

    id: int
    kind: ReviewEventPublicKind
    author_id: str
    body: str
    action_id: None | str
    json_path: None | str
    lock_version: int
    commit_sha: str
    created_at: str
    stale: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        author_id = self.author_id

        body = self.body

        action_id: None | str
        action_id = self.action_id

        json_path: None | str
        json_path = self.json_path

        lock_version = self.lock_version

        commit_sha = self.commit_sha

        created_at = self.created_at

        stale = self.stale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "author_id": author_id,
                "body": body,
                "action_id": action_id,
                "json_path": json_path,
                "lock_version": lock_version,
                "commit_sha": commit_sha,
                "created_at": created_at,
            }
        )
        if stale is not UNSET:
            field_dict["stale"] = stale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = ReviewEventPublicKind(d.pop("kind"))

        author_id = d.pop("author_id")

        body = d.pop("body")

        def _parse_action_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        action_id = _parse_action_id(d.pop("action_id"))

        def _parse_json_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        json_path = _parse_json_path(d.pop("json_path"))

        lock_version = d.pop("lock_version")

        commit_sha = d.pop("commit_sha")

        created_at = d.pop("created_at")

        stale = d.pop("stale", UNSET)

        review_event_public = cls(
            id=id,
            kind=kind,
            author_id=author_id,
            body=body,
            action_id=action_id,
            json_path=json_path,
            lock_version=lock_version,
            commit_sha=commit_sha,
            created_at=created_at,
            stale=stale,
        )

        review_event_public.additional_properties = d
        return review_event_public

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
