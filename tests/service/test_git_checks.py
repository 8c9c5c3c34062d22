"""What a pushed ``workflow.json`` must be, with hostile bytes: each is refused with a
message saying what is wrong, never a crash."""

import json

import pytest

from repo_store.wire import Command
from service.git.checks import parse_definition
from service.git.push import ref_rule
from tests.factories import example

ZERO, SHA = "0" * 40, "c" * 40


def test_a_valid_document_in_any_layout_parses() -> None:
    text = json.dumps(example("welcome-small"), indent=7, sort_keys=False)
    assert parse_definition(text.encode()).document() == example("welcome-small")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "is not UTF-8"),
        (b'{"format": 1,', "is not valid JSON"),
        (b'{"format": NaN}', "NaN is not JSON"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (b"[]", "is not a valid workflow"),
        (b'{"format": "1", "trigger": {"type": "x"}}', "format: Input should be a valid integer"),
    ],
)
def test_bad_documents_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=r"workflow\.json") as raised:
        parse_definition(data)
    assert message in str(raised.value)


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b", "\x85"])
def test_a_pushed_document_is_held_to_the_text_rule(bad: str) -> None:
    """NUL and friends in a pushed definition are refused at the push, as in the API
    (PostgreSQL refuses NUL in jsonb, and the push would index the document)."""
    document = example("welcome-small")
    document["actions"][0]["config"] = {"note": f"a{bad}b"}
    with pytest.raises(ValueError, match=r"workflow\.json: actions\.0\.config\.note contains U\+") as raised:
        parse_definition(json.dumps(document).encode())
    assert f"U+{ord(bad):04X}" in str(raised.value)


def test_errors_in_an_action_name_it() -> None:
    document = example("welcome-small")
    document["actions"][1]["id"] = "two words"
    with pytest.raises(ValueError, match=r"in action 'two words': actions\.1\.id"):
        parse_definition(json.dumps(document).encode())


@pytest.mark.parametrize(
    ("ref", "new", "allowed"),
    [
        ("refs/heads/drafts/v2", SHA, True),
        ("refs/heads/drafts/new", SHA, True),
        ("refs/heads/drafts/v0", SHA, False),
        ("refs/heads/drafts/v02", SHA, False),
        ("refs/heads/drafts/v2", ZERO, False),
        ("refs/heads/main", SHA, False),
        ("refs/tags/v1", SHA, False),
        ("refs/notes/reviews", SHA, False),
        ("refs/wfv/head", SHA, False),
        ("refs/heads/drafts/v2/x", SHA, False),
    ],
)
def test_which_refs_a_push_may_name(ref: str, new: str, allowed: bool) -> None:
    assert (ref_rule(Command(SHA, new, ref)) is None) is allowed
