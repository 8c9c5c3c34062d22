"""The catalogue of action types: the shipped schemas, what they refuse and how they say
it, the operator's folder (checked before anything starts, never fetching a ``$ref``),
and the publish check that uses them, bounded for a hostile document."""

import copy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft202012Validator

from schemas.catalogue import (
    MAX_MESSAGE,
    MAX_SCHEMA_BYTES,
    MAX_TYPE_FILES,
    ActionTypes,
    CatalogueError,
    load_folder,
    shipped,
)
from schemas.structure import MAX_PROBLEMS, publish_problems
from schemas.workflow import MAX_ACTIONS, WorkflowDefinition
from tests.factories import EXAMPLES, example

TYPES = ActionTypes()
PUBLISHABLE_EXAMPLES = sorted(p.stem for p in EXAMPLES.glob("*.json") if p.stem != "incomplete")
REGEX_MARKS = ("^", "$", "(?", "[0-9]", "\\")


def check(document: dict[str, Any], types: ActionTypes = TYPES) -> list[tuple[str, str | None, str]]:
    found = publish_problems(WorkflowDefinition.model_validate(document), types)
    return [(p.pointer, p.action_id, p.message) for p in found.problems]


def with_config(action_id: str, config: dict[str, Any], doc: str = "welcome-small") -> dict[str, Any]:
    document = example(doc)
    next(a for a in document["actions"] if a["id"] == action_id)["config"] = config
    return document


@pytest.mark.parametrize("name", sorted(shipped()))
def test_each_shipped_schema_is_valid_and_accepts_its_own_examples(name: str) -> None:
    schema = TYPES.schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["title"] == name
    assert schema["examples"], f"{name}.json shows no example config"
    for config in schema["examples"]:
        assert list(TYPES.config_errors(name, config)) == [], config


@pytest.mark.parametrize("name", PUBLISHABLE_EXAMPLES)
def test_every_shipped_example_passes_the_catalogue(name: str) -> None:
    document = example(name)
    assert {a["type"] for a in document["actions"]} <= set(TYPES.names)
    assert check(document) == []


def test_an_unknown_type_is_named_with_its_action_and_a_guess() -> None:
    document = example("welcome-small")
    document["actions"][4]["type"] = "send_smss"
    document["actions"][3]["type"] = "send_fax"
    problems = check(document)
    assert [(p, a) for p, a, _ in problems] == [("/actions/3/type", "tips"), ("/actions/4/type", "reminder")]
    assert problems[0][2].startswith("unknown action type 'send_fax'")
    assert problems[1][2] == "unknown action type 'send_smss' (did you mean 'send_sms'?)"


def test_a_wait_without_a_duration_points_at_where_it_belongs() -> None:
    problems = check(with_config("wait-1d", {}))
    assert [(p, a) for p, a, _ in problems] == [("/actions/1/config/duration", "wait-1d")]
    assert "ISO-8601" in problems[0][2]


@pytest.mark.parametrize("duration", ["P1D", "PT18H", "P1DT30M", "P2W", "PT0.5S", "P1Y2M3DT4H5M6S"])
def test_iso_durations_are_accepted(duration: str) -> None:
    assert list(TYPES.config_errors("wait", {"duration": duration})) == []


@pytest.mark.parametrize("duration", ["1 day", "P", "PT", "P1DT", "p1d", "P1H", "P\u0661D", "86400", 86400])
def test_other_durations_are_refused_in_words_not_regular_expressions(duration: object) -> None:
    errors = list(TYPES.config_errors("wait", {"duration": duration}))
    assert [e.path for e in errors] == [("duration",)]
    assert not any(mark in errors[0].message for mark in REGEX_MARKS), errors[0].message


@pytest.mark.parametrize(
    ("until", "ok"), [("09:00", True), ("23:59:59", True), ("24:00", False), ("9:00", False), ("noon", False)]
)
def test_wait_until_takes_a_time_of_day(until: str, ok: bool) -> None:
    assert (list(TYPES.config_errors("wait_until", {"until": until})) == []) is ok


def test_each_mistake_in_a_config_gets_its_own_pointer() -> None:
    config = {"url": "ftp://files.example.com", "method": "SEND", "headers": {"X-Ok": 1, "bad name": "v"}}
    found = {(e.path, e.message) for e in TYPES.config_errors("webhook", config)}
    assert {path for path, _ in found} == {("url",), ("method",), ("headers", "X-Ok"), ("headers",)}
    messages = " ".join(message for _, message in found)
    assert "http:// or https://" in messages
    assert '"POST"' in messages
    assert 'field name "bad name"' in messages
    assert not any(mark in messages for mark in REGEX_MARKS)


def test_extra_config_fields_are_allowed_where_the_editor_or_engine_adds_its_own() -> None:
    document = example("nurture-50")
    for action in document["actions"]:
        action["config"]["notes"] = "written by the editor"
    assert check(document) == []


def test_an_if_else_without_a_condition_is_reported_once() -> None:
    document = example("welcome-small")
    del document["actions"][2]["config"]["condition"]
    problems = check(document)
    assert [p for p, _, _ in problems] == ["/actions/2/config/condition"]


def test_if_else_needs_both_branches() -> None:
    document = example("welcome-small")
    del document["actions"][2]["config"]["else"]  # the reminder becomes unreachable too
    problems = check(document)
    assert ("/actions/2/config/else", "opened?") in [(p, a) for p, a, _ in problems]


def test_a_hostile_document_gets_a_bounded_answer() -> None:
    huge = "x" * 10_000
    actions: list[dict[str, Any]] = [{"id": "a0", "type": "send_fax", "next": "a1"}]
    actions += [
        {"id": f"a{i}", "type": "webhook", "config": {"url": huge, "method": huge}, "next": f"a{i + 1}"}
        for i in range(1, MAX_ACTIONS)
    ]
    actions[-1]["next"] = None
    document = {"format": 1, "trigger": {"type": "webhook", "next": "a0"}, "actions": actions}
    found = publish_problems(WorkflowDefinition.model_validate(document), TYPES)
    assert len(found.problems) == MAX_PROBLEMS
    assert found.truncated
    assert found.problems[0].pointer == "/actions/0/type"
    assert max(len(p.message) for p in found.problems) <= MAX_MESSAGE
    assert len(json.dumps([p.as_dict() for p in found.problems])) < 20_000


def test_without_a_catalogue_only_the_structure_is_checked() -> None:
    document = example("welcome-small")
    document["actions"][0]["type"] = "send_fax"
    assert publish_problems(WorkflowDefinition.model_validate(document), None).problems == ()


# --- the operator's folder ---------------------------------------------------------------

FAX = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["number"],
    "properties": {"number": {"$ref": "#/$defs/phone"}},
    "$defs": {
        "phone": {"type": "string", "pattern": "^\\+[0-9]{6,15}$", "description": "a number like +4420"}
    },
}


def write(folder: Path, name: str, content: Any) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_an_operator_type_is_added_and_checked(tmp_path: Path) -> None:
    write(tmp_path, "send_fax.json", FAX)
    write(tmp_path, "README.md", "not read: only <type>.json files are")
    types = ActionTypes.from_folder(tmp_path)
    assert types.added == {"send_fax"}
    assert set(TYPES.names) < set(types.names)
    document = with_config("tips", {"number": "+441234567"})
    document["actions"][3]["type"] = "send_fax"
    assert check(document, types) == []
    assert check(document) == [("/actions/3/type", "tips", "unknown action type 'send_fax'")]
    document["actions"][3]["config"] = {"number": "call me"}
    assert check(document, types) == [
        ("/actions/3/config/number", "tips", "number must be a number like +4420")
    ]


def test_an_operator_type_replaces_a_shipped_one(tmp_path: Path) -> None:
    stricter = copy.deepcopy(TYPES.schema("send_email"))
    stricter["required"] = ["template", "subject"]
    write(tmp_path, "send_email.json", stricter)
    types = ActionTypes.from_folder(tmp_path)
    assert types.overridden == {"send_email"}
    problems = check(example("welcome-small"), types)
    assert [p for p, _, _ in problems] == ["/actions/0/config/subject", "/actions/3/config/subject"]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("send_fax.json", "{not json", "not JSON"),
        ("send_fax.json", {"type": "nope"}, "not a valid JSON Schema"),
        ("send_fax.json", ["a list"], "a JSON Schema is an object"),
        ("send_fax.json", {"$schema": "http://json-schema.org/draft-07/schema#"}, "Draft 2020-12"),
        ("send_fax.json", {"$ref": "#/$defs/nowhere"}, "does not resolve"),
        ("Send-Fax.json", {}, "named after its type"),
        ("send_fax.json", " " * (MAX_SCHEMA_BYTES + 1), "larger than"),
    ],
)
def test_a_bad_schema_file_is_refused_by_name(tmp_path: Path, name: str, content: Any, says: str) -> None:
    write(tmp_path, "goal.json", {})  # a good file next to it changes nothing
    bad = write(tmp_path, name, content)
    with pytest.raises(CatalogueError) as refused:
        load_folder(tmp_path)
    assert str(bad) in str(refused.value)
    assert says in str(refused.value)


def test_too_many_schema_files_are_refused(tmp_path: Path) -> None:
    for index in range(MAX_TYPE_FILES + 1):
        write(tmp_path, f"type_{index}.json", {})
    with pytest.raises(CatalogueError, match=f"more than {MAX_TYPE_FILES}"):
        load_folder(tmp_path)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not a folder"):
        load_folder(tmp_path / "absent")


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = json.dumps({"type": "object"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/schema+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server that would serve a schema, and counts who asks."""
    requests: list[str] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("where", ["$ref", "$dynamicRef", "nested"])
def test_a_remote_ref_is_refused_and_never_fetched(
    tmp_path: Path, schema_server: tuple[str, list[str]], where: str
) -> None:
    url, requests = schema_server
    schema: dict[str, Any] = {"type": "object"}
    if where == "nested":
        schema["properties"] = {"number": {"allOf": [{"$ref": f"{url}/phone.json"}]}}
    else:
        schema[where] = f"{url}/fax.json"
    bad = write(tmp_path, "send_fax.json", schema)
    with pytest.raises(CatalogueError) as refused:
        load_folder(tmp_path)
    assert str(bad) in str(refused.value)
    assert "retrieves no schema" in str(refused.value)
    assert requests == []


def test_valid_configs_are_remembered_and_invalid_ones_always_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The validator runs once per distinct valid config (a publish re-checks mostly
    unchanged actions); an invalid config is explained every time; the memory is bounded."""
    types = ActionTypes()
    calls: list[str] = []
    validator = types._validators["add_tag"]
    real = validator.iter_errors

    class Counting:
        schema = validator.schema

        def iter_errors(self, config: Any) -> Iterator[Any]:
            calls.append(json.dumps(config))
            return real(config)

    monkeypatch.setattr(types, "_validators", {**types._validators, "add_tag": Counting()})
    good, bad = {"tag": "vip"}, {"tag": 7}
    assert [list(types.config_errors("add_tag", good)) for _ in range(3)] == [[], [], []]
    assert [len(list(types.config_errors("add_tag", bad))) for _ in range(2)] == [1, 1]
    assert calls == [json.dumps(good), json.dumps(bad), json.dumps(bad)]

    monkeypatch.setattr("schemas.catalogue.VALID_CONFIGS_CHARS", 40)
    for n in range(10):
        assert list(types.config_errors("add_tag", {"tag": f"t{n}"})) == []
    assert types._valid_chars <= 40
