"""Structure checks (is a document publishable?) and the pydantic model of the document."""

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.structure import DocumentProblem, structure_problems
from schemas.workflow import WorkflowDefinition
from tests.factories import EXAMPLES, example

COMPLETE = sorted(path.stem for path in EXAMPLES.glob("*.json") if path.stem != "incomplete")


def problems_of(document: dict[str, Any]) -> list[DocumentProblem]:
    return structure_problems(WorkflowDefinition.model_validate(document))


def small() -> dict[str, Any]:
    return copy.deepcopy(example("welcome-small"))


@pytest.mark.parametrize("name", COMPLETE)
def test_every_example_but_incomplete_is_complete(name: str) -> None:
    assert problems_of(example(name)) == []


def test_complete_examples_are_all_there() -> None:
    assert len(COMPLETE) >= 6
    assert "welcome-small" in COMPLETE
    assert "nurture-50" in COMPLETE


def test_incomplete_names_missing_step_and_orphan() -> None:
    problems = problems_of(example("incomplete"))
    assert problems, "incomplete.json must not be publishable"
    missing = [p for p in problems if "missing-step" in p.message]
    assert len(missing) == 1
    assert missing[0].action_id == "welcome"
    assert missing[0].pointer == "/actions/0/next"
    orphan = [p for p in problems if p.action_id == "orphan"]
    assert len(orphan) == 1
    assert "unreachable" in orphan[0].message
    assert orphan[0].pointer == "/actions/5"
    assert orphan[0].as_dict() == {
        "pointer": "/actions/5",
        "action_id": "orphan",
        "message": orphan[0].message,
    }


def test_duplicate_action_id() -> None:
    document = small()
    document["actions"].append({"id": "tips", "type": "end", "next": None})
    problems = problems_of(document)
    duplicate = [p for p in problems if p.message == "duplicate action id"]
    assert len(duplicate) == 1
    assert duplicate[0].action_id == "tips"
    assert duplicate[0].pointer == f"/actions/{len(document['actions']) - 1}/id"


def test_duplicate_condition_id() -> None:
    document = small()
    document["conditions"].append(copy.deepcopy(document["conditions"][0]))
    problems = problems_of(document)
    assert [p.pointer for p in problems] == ["/conditions/1/id"]
    assert "opened-welcome" in problems[0].message


def test_if_else_with_unknown_condition() -> None:
    document = small()
    branch = next(a for a in document["actions"] if a["type"] == "if_else")
    branch["config"]["condition"] = "no-such-condition"
    problems = problems_of(document)
    assert len(problems) == 1
    assert problems[0].action_id == "opened?"
    assert problems[0].pointer == "/actions/2/config/condition"
    assert "no-such-condition" in problems[0].message


def test_if_else_without_condition() -> None:
    document = small()
    del document["actions"][2]["config"]["condition"]
    problems = problems_of(document)
    assert [(p.action_id, p.pointer) for p in problems] == [("opened?", "/actions/2/config/condition")]


def test_if_else_branch_to_missing_action() -> None:
    document = small()
    document["actions"][2]["config"]["else"] = "gone"
    problems = problems_of(document)
    assert any(p.pointer == "/actions/2/config/else" and "'gone'" in p.message for p in problems)
    # 'reminder' was only reachable through the else branch
    assert any(p.action_id == "reminder" and "unreachable" in p.message for p in problems)


def test_trigger_next_missing() -> None:
    document = small()
    del document["trigger"]["next"]
    problems = problems_of(document)
    assert problems[0].pointer == "/trigger/next"
    assert problems[0].action_id is None
    assert "first action" in problems[0].message
    # nothing is reachable without a first action
    unreachable = {p.action_id for p in problems if "unreachable" in p.message}
    assert unreachable == {a["id"] for a in document["actions"]}


def test_trigger_next_names_unknown_action() -> None:
    document = small()
    document["trigger"]["next"] = "nowhere"
    problems = problems_of(document)
    assert problems[0].pointer == "/trigger/next"
    assert "'nowhere'" in problems[0].message


def test_cycle_is_reachable_and_complete() -> None:
    document = small()
    document["actions"][3]["next"] = "welcome"  # tips -> welcome: a loop, still complete
    assert problems_of(document) == []


# --- the pydantic model -------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["has space", "", "x" * 65, "a/b", "é", "semi;colon"])
def test_bad_action_ids_are_rejected(bad_id: str) -> None:
    document = small()
    document["actions"][0]["id"] = bad_id
    with pytest.raises(ValidationError) as caught:
        WorkflowDefinition.model_validate(document)
    assert any(error["loc"][:3] == ("actions", 0, "id") for error in caught.value.errors())


@pytest.mark.parametrize("good_id", ["a", "opened?", "step-1_x.y", "X" * 64])
def test_good_action_ids_are_accepted(good_id: str) -> None:
    document = small()
    document["actions"][0]["id"] = good_id
    assert WorkflowDefinition.model_validate(document).actions[0].id == good_id


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("format",), "1"),
        (("format",), 2),
        (("format",), None),
        (("actions", 0, "name"), 5),
        (("actions", 0, "id"), 7),
        (("actions", 0, "next"), 5),
        (("actions", 0, "type"), "SendEmail"),
        (("trigger", "config"), "not-an-object"),
        (("conditions", 0, "match"), "some"),
        (("conditions", 0, "rules", 0, "op"), "like"),
    ],
)
def test_strict_types(path: tuple[Any, ...], value: Any) -> None:
    document = small()
    node: Any = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(ValidationError):
        WorkflowDefinition.model_validate(document)


def test_unknown_fields_are_kept_in_document() -> None:
    document = small()
    document["x-editor"] = {"zoom": 2}
    document["trigger"]["x-label"] = "start"
    document["actions"][0]["position"] = {"x": 10, "y": 20}
    document["conditions"][0]["rules"][0]["note"] = "keep me"
    assert WorkflowDefinition.model_validate(document).document() == document


def test_unset_fields_stay_unset() -> None:
    document = {"format": 1, "trigger": {"type": "webhook"}}
    out = WorkflowDefinition.model_validate(document).document()
    assert out == document
    assert "actions" not in out
    assert "next" not in out["trigger"]


def test_explicit_null_next_is_kept() -> None:
    document = {
        "format": 1,
        "trigger": {"type": "webhook", "next": "a"},
        "actions": [{"id": "a", "type": "end", "next": None}],
    }
    out = WorkflowDefinition.model_validate(document).document()
    assert out["actions"][0] == {"id": "a", "type": "end", "next": None}


def test_missing_required_fields() -> None:
    with pytest.raises(ValidationError):
        WorkflowDefinition.model_validate({"format": 1})
    with pytest.raises(ValidationError):
        WorkflowDefinition.model_validate({"trigger": {"type": "webhook"}})
    with pytest.raises(ValidationError):
        WorkflowDefinition.model_validate(
            {"format": 1, "trigger": {"type": "webhook"}, "actions": [{"id": "a"}]}
        )
