"""The document diff: every kind of change, matched by id, classified, summarised."""

import copy
from typing import Any

from schemas.compare import compare_documents, field_changes
from tests.factories import example


def _pair() -> tuple[dict[str, Any], dict[str, Any]]:
    """welcome-small, and a copy with one change of every kind."""
    old = example("welcome-small")
    old["actions"].append({"id": "tag", "type": "add_tag", "config": {"tag": "x"}, "next": None})
    old["actions"][3]["next"] = "tag"  # tips -> tag
    new = copy.deepcopy(old)
    by_id = {a["id"]: a for a in new["actions"]}
    by_id["welcome"]["name"] = "Welcome e-mail"  # cosmetic
    by_id["tips"]["config"]["template"] = "tips-v2"  # behavioural
    by_id["wait-1d"]["type"] = "wait_until"  # breaking: type changed
    by_id["opened?"]["config"]["else"] = "tips"  # the else branch no longer reaches 'reminder'
    new["actions"] = [a for a in new["actions"] if a["id"] != "reminder"]  # breaking: removed
    new["actions"].append({"id": "goal", "type": "goal", "config": {}, "next": None})  # added
    new["actions"].insert(0, new["actions"].pop(new["actions"].index(by_id["tag"])))  # moved
    new["trigger"]["type"] = "form_submitted"
    new["conditions"][0]["rules"][0]["value"] = "welcome-2"
    new["conditions"].append({"id": "vip", "match": "any", "rules": []})
    new["settings"]["timezone"] = "Europe/Paris"
    return old, new


def _ids(diff: Any, part: str, kind: str) -> list[str | None]:
    return [c.element_id for c in getattr(diff.parts[part], kind)]


def test_every_change_kind_is_found_by_id() -> None:
    diff = compare_documents(*_pair())
    assert _ids(diff, "actions", "added") == ["goal"]
    assert _ids(diff, "actions", "removed") == ["reminder"]
    assert sorted(_ids(diff, "actions", "modified")) == ["opened?", "tips", "wait-1d", "welcome"]  # type: ignore[type-var]
    assert _ids(diff, "actions", "moved") == ["tag"]
    assert _ids(diff, "conditions", "added") == ["vip"]
    assert _ids(diff, "conditions", "modified") == ["opened-welcome"]
    assert diff.parts["trigger"].modified[0].fields[0].path == "type"
    assert [f.path for f in diff.parts["settings"].modified[0].fields] == ["timezone"]


def test_classification() -> None:
    diff = compare_documents(*_pair())
    classes = {c.element_id: c.classification for c in diff.parts["actions"].modified}
    assert classes == {
        "welcome": "cosmetic",
        "tips": "behavioural",
        "wait-1d": "breaking",
        "opened?": "behavioural",
    }
    assert diff.parts["actions"].removed[0].classification == "breaking"
    assert diff.parts["actions"].moved[0].classification == "cosmetic"
    assert diff.parts["trigger"].modified[0].classification == "breaking"


def test_field_level_changes_carry_path_old_and_new() -> None:
    diff = compare_documents(*_pair())
    tips = next(c for c in diff.parts["actions"].modified if c.element_id == "tips")
    assert [(f.path, f.change, f.old, f.new) for f in tips.fields] == [
        ("config.template", "changed", "tips", "tips-v2")
    ]
    assert [(f.path, f.change) for f in field_changes({"a": {"x": 1}}, {"a": {"y": 1}})] == [
        ("a.x", "removed"),
        ("a.y", "added"),
    ]


def test_breaking_changes_name_the_positions_they_hit() -> None:
    diff = compare_documents(*_pair())
    found = {(b.kind, b.element_id): b.affected_actions for b in diff.breaking}
    assert found == {
        ("trigger_type_changed", None): [],
        ("action_removed", "reminder"): ["reminder"],
        ("action_type_changed", "wait-1d"): ["wait-1d"],
    }
    assert all(b.message for b in diff.breaking)


def test_a_branch_cut_off_from_a_kept_action_is_breaking() -> None:
    old = example("welcome-small")
    new = copy.deepcopy(old)
    new["actions"][2]["config"]["else"] = "tips"  # 'reminder' stays but nothing leads to it
    diff = compare_documents(old, new)
    assert [(b.kind, b.element_id, b.affected_actions) for b in diff.breaking] == [
        ("branch_removed", "opened?", ["reminder"])
    ]


def test_summary_line() -> None:
    diff = compare_documents(*_pair())
    assert diff.summary == (
        "1 action added, 1 removed, 4 modified, 1 moved; trigger changed; "
        "1 condition added; 1 condition modified; settings changed"
    )
    same = example("nurture-50")
    assert compare_documents(same, copy.deepcopy(same)).summary == "no changes"
    assert not compare_documents(same, copy.deepcopy(same)).changed


def test_reordering_only_reports_the_fewest_moves() -> None:
    old = example("nurture-50")
    new = copy.deepcopy(old)
    new["actions"].append(new["actions"].pop(0))  # step-000 to the end
    diff = compare_documents(old, new)
    assert _ids(diff, "actions", "moved") == ["step-000"]
    assert diff.summary == "1 action moved"


def test_the_shared_example_pair() -> None:
    diff = compare_documents(example("nurture-50-a"), example("nurture-50-b"))
    assert diff.summary == "2 actions added, 1 removed, 4 modified; trigger changed"
    assert [b.kind for b in diff.breaking] == ["action_removed"]
