"""The text rule's quick look (orjson and byte searches) agrees with the exact walk."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.text import FORBIDDEN, first_text_problem

# Strings biased towards the edges: every refused class, and look-alikes that are fine
# (a typed backslash before "b", "u0000", NBSP, bidi marks, newlines).
pieces = st.sampled_from(
    [
        "a",
        "é",
        "\u00a0",
        "\u202e",
        "\n",
        "\t",
        "\r",
        "\\",
        "b",
        "f",
        "u0000",
        "\x00",
        "\x08",
        "\x0c",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\ud800",
        "\udfff",
        "😀",
    ]
)
texts = st.lists(pieces, max_size=6).map("".join) | st.text(max_size=8)
values: Any = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *_strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@given(values)
@settings(max_examples=500, deadline=None)
def test_the_quick_look_and_the_walk_agree(value: Any) -> None:
    refused = any(FORBIDDEN.search(text) for text in _strings(value))
    assert (first_text_problem(value) is not None) == refused


def test_the_problem_says_where_and_what() -> None:
    where, why = first_text_problem({"definition": {"actions": [{"name": "ok"}, {"name": "a\x1bb"}]}}) or (
        (),
        "",
    )
    assert where == ("definition", "actions", 1, "name")
    assert "U+001B" in why
