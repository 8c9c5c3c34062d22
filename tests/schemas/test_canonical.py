"""Canonical JSON: one byte form per document."""

import json

import pytest

from schemas.canonical import canonical_json, parse_canonical
from schemas.workflow import WorkflowDefinition
from tests.factories import EXAMPLES, example

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def test_keys_are_sorted_at_every_level() -> None:
    data = canonical_json({"b": 1, "a": {"z": 1, "y": [{"d": 1, "c": 2}]}})
    text = data.decode("utf-8")
    assert text.index('"a"') < text.index('"b"')
    assert text.index('"y"') < text.index('"z"')
    assert text.index('"c"') < text.index('"d"')


def test_two_space_indent_and_trailing_newline() -> None:
    assert canonical_json({"a": [1, {"b": None}]}) == (
        b'{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}\n'
    )


def test_unicode_kept_as_utf8_not_escaped() -> None:
    data = canonical_json({"text": "Réponse rapide 👍"})
    assert b"\\u" not in data
    assert "Réponse rapide 👍".encode() in data
    assert data == '{\n  "text": "Réponse rapide 👍"\n}\n'.encode()


def test_empty_containers_and_scalars() -> None:
    assert canonical_json({}) == b"{}\n"
    assert canonical_json([]) == b"[]\n"
    assert canonical_json({"n": 1.5, "t": True, "s": ""}) == b'{\n  "n": 1.5,\n  "s": "",\n  "t": true\n}\n'


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON"):
        canonical_json({"x": float("nan")})


def test_same_document_same_bytes_whatever_the_key_order() -> None:
    first = {"format": 1, "trigger": {"type": "webhook", "next": None}, "actions": []}
    second = {"actions": [], "trigger": {"next": None, "type": "webhook"}, "format": 1}
    assert canonical_json(first) == canonical_json(second)
    assert canonical_json(first) == canonical_json(json.loads(canonical_json(first)))


def test_different_documents_different_bytes() -> None:
    assert canonical_json({"a": 1}) != canonical_json({"a": 2})
    assert canonical_json({"a": [1, 2]}) != canonical_json({"a": [2, 1]})  # list order matters


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_file_is_in_canonical_form(path) -> None:
    raw = path.read_bytes()
    assert canonical_json(json.loads(raw)) == raw
    # Through the model and back: the document sent is the document stored, byte for byte.
    document = WorkflowDefinition.model_validate(example(path.stem)).document()
    assert canonical_json(document) == raw


def test_parse_canonical_roundtrip() -> None:
    document = example("welcome-small")
    assert parse_canonical(canonical_json(document)) == document
    assert parse_canonical(b'{"a": "\\u00e9"}') == {"a": "é"}


def test_examples_exist() -> None:
    names = {path.stem for path in EXAMPLE_FILES}
    assert {"welcome-small", "nurture-50", "incomplete"} <= names
