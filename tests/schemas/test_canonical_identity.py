"""The fast canonical encoder writes exactly the bytes of the reference one (the standard
library's indented encoder, which every stored blob was written with), or leaves the
document to it: a changed byte would change every blob id, so "no change" would stop
being a tree-id comparison and old versions would read as edited."""

import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemas.canonical import canonical_json, fast_json, reference_json
from tests.factories import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))

# Every character but lone surrogates (no UTF-8 form: both encoders refuse them), astral
# planes, controls, quotes and backslashes included; keys drawn from the same alphabet.
texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
floats = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)  # where orjson writes otherwise
    | st.sampled_from([0.0, -0.0, 1e16, 1e-5, 5e-324, 1.7976931348623157e308, 1e21, 0.1])
)
integers = st.integers() | st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**40])
scalars = st.none() | st.booleans() | integers | floats | texts
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=60,
)


@settings(max_examples=1500, deadline=None)
@given(json_values)
@example({})
@example([])
@example({"a": {}, "b": [[]], "c": [{}], "d": [[[]], {}]})
@example({'"\\\n\t\x00\x1f\x7f\u2028': "é👍\U0010ffff", "é": 1, "e": 2, "\U0001f600": 3})
@example({"tiny": 1e-7, "small": 5.5e-5, "huge": 2**80, "ok": 0.0001})
def test_canonical_bytes_are_the_reference_bytes(value: Any) -> None:
    assert canonical_json(value) == reference_json(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(texts, scalars, max_size=8))
def test_whatever_orjson_writes_is_the_reference_form(value: dict[str, Any]) -> None:
    fast = fast_json(value)
    if fast is not None:
        assert fast == reference_json(value)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_shared_example_takes_the_fast_path_to_its_stored_bytes(path) -> None:
    raw = path.read_bytes()
    assert fast_json(json.loads(raw)) == raw


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ({"x": 1e-05}, "orjson writes 0.00001"),
        ({"x": [1e-7]}, "orjson writes 1e-7"),
        ({"x": 2**64}, "orjson stops at 64 bits"),
        ({1: "a", 2: "b"}, "orjson takes only str keys"),
    ],
)
def test_what_orjson_writes_otherwise_goes_to_the_reference(value: Any, why: str) -> None:
    assert fast_json(value) is None, why
    assert canonical_json(value) == reference_json(value)


def test_nesting_deeper_than_orjson_allows_is_still_written() -> None:
    deep: Any = "leaf"
    for _ in range(300):
        deep = [deep]
    assert fast_json(deep) is None
    assert canonical_json(deep) == reference_json(deep)
    assert canonical_json(deep).count(b"\n") == 601  # 300 opening and 300 closing lines, the leaf


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_as_before(bad: float) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": [bad]})


def test_a_lone_surrogate_is_refused_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        canonical_json({"x": "\ud800"})


@pytest.mark.parametrize("odd", [{1, 2}, uuid.UUID(int=1), datetime(2024, 1, 1, tzinfo=UTC)])
def test_a_value_json_has_no_form_for_is_refused_as_before(odd: Any) -> None:
    """orjson writes UUIDs and datetimes; the canonical form has none, as before."""
    with pytest.raises(TypeError, match="not JSON serializable"):
        canonical_json({"x": odd})
