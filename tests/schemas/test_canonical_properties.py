"""Property-based tests of canonical JSON: round trip, determinism, key-order and
unicode independence, over documents Hypothesis generates."""

import json
import random
from typing import Any

import pygit2
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.canonical import canonical_json, parse_canonical

scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=40)
finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
json_values = st.recursive(
    scalars | finite_floats,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=40,
)
documents = st.dictionaries(st.text(max_size=12), json_values, max_size=8)


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with every object's keys in another insertion order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: _shuffled(item, rng) for key, item in items}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


@settings(max_examples=200, deadline=None)
@given(documents)
def test_round_trip(document: dict[str, Any]) -> None:
    assert parse_canonical(canonical_json(document)) == document


@settings(max_examples=200, deadline=None)
@given(documents, st.randoms(use_true_random=False))
def test_key_order_never_changes_the_bytes_or_the_blob_id(
    document: dict[str, Any], rng: random.Random
) -> None:
    first, second = canonical_json(document), canonical_json(_shuffled(document, rng))
    assert first == second
    assert pygit2.hash(first) == pygit2.hash(second)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_canonical_is_a_fixed_point(document: dict[str, Any]) -> None:
    once = canonical_json(document)
    assert canonical_json(parse_canonical(once)) == once
    assert once.endswith(b"\n")
    assert not once.endswith(b"\n\n")


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x80, exclude_categories=["Cs"]), min_size=1, max_size=30)
)
def test_non_ascii_text_is_stored_as_utf8(text: str) -> None:
    data = canonical_json({"text": text})
    assert text.encode("utf-8") in data
    assert json.loads(data)["text"] == text
