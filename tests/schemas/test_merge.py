"""JSON merge patches (RFC 7386) and the three-way merge of workflow documents by id."""

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.merge import merge_order, merge_patch, pointer, same, three_way_merge
from tests.factories import example


def doc() -> dict[str, Any]:
    return copy.deepcopy(example("welcome-small"))


def action(document: dict[str, Any], action_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in document["actions"] if a["id"] == action_id)
    return found


# --- merge patch --------------------------------------------------------------------


def test_rfc7386_appendix_examples() -> None:
    cases = [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ]
    for target, patch, expected in cases:
        assert merge_patch(target, patch) == expected


def test_merge_patch_leaves_its_inputs_alone() -> None:
    target = doc()
    before = copy.deepcopy(target)
    patched = merge_patch(target, {"settings": {"timezone": "Europe/Paris"}, "trigger": None})
    assert target == before
    assert patched["settings"] == {"allow_reentry": False, "timezone": "Europe/Paris"}
    assert "trigger" not in patched


# --- three-way merge ----------------------------------------------------------------


def test_edits_of_different_actions_merge() -> None:
    base, mine, theirs = doc(), doc(), doc()
    action(mine, "welcome")["name"] = "Hello"
    action(theirs, "wait-1d")["config"]["duration"] = "P2D"
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert action(result.document, "welcome")["name"] == "Hello"
    assert action(result.document, "wait-1d")["config"]["duration"] == "P2D"


def test_different_fields_of_one_action_merge() -> None:
    base, mine, theirs = doc(), doc(), doc()
    action(mine, "welcome")["name"] = "Hello"
    action(theirs, "welcome")["config"]["template"] = "welcome-v2"
    result = three_way_merge(base, mine, theirs)
    assert result.conflicts == []
    assert action(result.document, "welcome") == {
        **action(base, "welcome"),
        "name": "Hello",
        "config": {"template": "welcome-v2"},
    }


def test_same_field_changed_two_ways_conflicts_and_names_the_path() -> None:
    base, mine, theirs = doc(), doc(), doc()
    action(mine, "welcome")["name"] = "Mine"
    action(theirs, "welcome")["name"] = "Theirs"
    action(theirs, "tips")["config"]["template"] = "tips-2"
    result = three_way_merge(base, mine, theirs)
    assert result.conflicts == ["/actions/welcome/name"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    base, mine, theirs = doc(), doc(), doc()
    for side in (mine, theirs):
        side["settings"]["timezone"] = "Europe/Berlin"
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert result.document["settings"]["timezone"] == "Europe/Berlin"


def test_additions_on_both_sides_keep_their_places() -> None:
    base, mine, theirs = doc(), doc(), doc()
    mine["actions"].insert(1, {"id": "mine-new", "type": "wait", "config": {"duration": "PT1H"}})
    theirs["actions"].append({"id": "theirs-new", "type": "send_sms", "config": {}})
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    ids = [a["id"] for a in result.document["actions"]]
    assert ids == ["welcome", "mine-new", "wait-1d", "opened?", "tips", "reminder", "theirs-new"]


def test_removal_merges_with_an_untouched_element_but_not_a_changed_one() -> None:
    base, mine, theirs = doc(), doc(), doc()
    mine["actions"] = [a for a in mine["actions"] if a["id"] != "reminder"]
    action(theirs, "tips")["name"] = "Tips"
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert [a["id"] for a in result.document["actions"]] == ["welcome", "wait-1d", "opened?", "tips"]
    action(theirs, "reminder")["config"]["text"] = "changed"
    assert three_way_merge(base, mine, theirs).conflicts == ["/actions/reminder"]


def test_conditions_are_matched_by_id_too() -> None:
    base, mine, theirs = doc(), doc(), doc()
    mine["conditions"].append({"id": "clicked", "match": "any", "rules": []})
    theirs["conditions"][0]["match"] = "any"
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert [(c["id"], c["match"]) for c in result.document["conditions"]] == [
        ("opened-welcome", "any"),
        ("clicked", "any"),
    ]


def test_reordering_on_one_side_is_kept_and_on_both_sides_conflicts() -> None:
    base, mine, theirs = doc(), doc(), doc()
    mine["actions"].reverse()
    action(theirs, "tips")["name"] = "Tips"
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert [a["id"] for a in result.document["actions"]] == [a["id"] for a in mine["actions"]]
    assert action(result.document, "tips")["name"] == "Tips"
    theirs["actions"] = theirs["actions"][1:] + theirs["actions"][:1]
    assert three_way_merge(base, mine, theirs).conflicts == ["/actions"]


def test_lists_without_ids_and_scalars_are_atomic() -> None:
    base, mine, theirs = doc(), doc(), doc()
    mine["conditions"][0]["rules"].append({"field": "x", "op": "exists"})
    theirs["conditions"][0]["rules"][0]["value"] = "other"
    assert three_way_merge(base, mine, theirs).conflicts == ["/conditions/opened-welcome/rules"]


def test_true_is_not_one_and_pointers_escape() -> None:
    assert not same(True, 1)
    assert not same({"a": 1}, {"a": 1.5})
    assert same({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]})
    assert pointer("/config", "a/b~c") == "/config/a~1b~0c"
    base = {"format": 1, "settings": {"flag": 1}}
    mine = {"format": 1, "settings": {"flag": True}}
    theirs = {"format": 1, "settings": {"flag": 2}}
    assert three_way_merge(base, mine, theirs).conflicts == ["/settings/flag"]


def test_merge_order_inserts_after_the_nearest_kept_predecessor() -> None:
    assert merge_order(
        ["a", "b", "c"], ["a", "x", "b", "c"], ["a", "b", "c", "y"], {"a", "b", "c", "x", "y"}
    ) == [
        "a",
        "x",
        "b",
        "c",
        "y",
    ]
    assert merge_order(["a", "b"], ["b", "a"], ["a", "b"], {"a", "b"}) == ["b", "a"]
    assert merge_order(["a", "b", "c"], ["c", "b", "a"], ["b", "a", "c"], {"a", "b", "c"}) is None
    assert merge_order(["a", "b"], ["x", "a", "b"], ["b"], {"x", "b"}) == ["x", "b"]


@pytest.mark.parametrize("side", ["mine", "theirs"])
def test_a_side_equal_to_the_base_yields_the_other(side: str) -> None:
    base, edited = doc(), doc()
    action(edited, "opened?")["config"]["then"] = "reminder"
    edited["actions"].append({"id": "new", "type": "wait"})
    mine, theirs = (base, edited) if side == "mine" else (edited, base)
    result = three_way_merge(base, mine, theirs)
    assert result.clean
    assert result.document == edited


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=10,
)
DOCS = st.dictionaries(st.sampled_from(["settings", "trigger", "x", "actions"]), JSON, max_size=4)


@given(base=DOCS, edited=DOCS)
def test_merge_laws(base: dict[str, Any], edited: dict[str, Any]) -> None:
    """Unchanged on one side yields the other; the same change on both sides is that change."""
    assert three_way_merge(base, edited, base).document == edited
    assert three_way_merge(base, base, edited).document == edited
    assert three_way_merge(base, edited, edited).document == edited
    assert three_way_merge(base, edited, base).clean
