"""Canonical JSON: the one byte form a workflow document is stored in.

Sorted keys, 2-space indent, UTF-8 (no ``\\u`` escapes), trailing newline. The same document
always gives the same bytes, hence the same git blob id, so "no change" is a tree-id
comparison. Indentation is what makes ``git diff`` readable line by line.

The form is *defined* by :func:`reference_json` (the standard library's indented encoder),
which is what every stored blob was written with. That encoder is pure Python once
``indent`` is set (about 0.5 ms for a 50-action workflow, a fifth of a version write), so
:func:`canonical_json` writes with orjson and checks, per call, that orjson produced the
same tokens as the standard library's C encoder: both compact outputs are compared, and
only the layout (newlines and indentation, a function of the tokens alone) is left to
orjson. Where they differ (floats below 1e-4, which orjson writes as ``1e-5`` or
``0.00001`` and the standard library as ``1e-05``; integers beyond 64 bits; NaN, which
orjson writes as ``null``; nesting deeper than orjson's 255 levels) the reference encoder
writes the document, so the bytes never change, only the time taken.
"""

import json
from typing import Any

import orjson

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
# ``indent=None``: the C encoder (``json.encoder.c_make_encoder``) does the work.
_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def canonical_json(document: Any) -> bytes:
    """Serialise ``document`` (a JSON value: what ``json.loads`` or
    ``model_dump(mode="json")`` gives) to its canonical bytes.

    Raises what :func:`reference_json` raises (``ValueError`` for NaN or infinity,
    ``TypeError`` for a value JSON has no form for, ``UnicodeEncodeError`` for a lone
    surrogate).
    """
    fast = fast_json(document)
    return reference_json(document) if fast is None else fast


def fast_json(document: Any) -> bytes | None:
    """The canonical bytes through orjson, or None where orjson's tokens are not the
    standard library's (then only :func:`reference_json` knows the form)."""
    try:
        tokens = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None  # big int, non-str key, lone surrogate, deep nesting, unknown type
    try:
        if tokens != _COMPACT.encode(document).encode("utf-8"):
            return None  # a float orjson writes otherwise, NaN or infinity
    except (ValueError, TypeError, RecursionError):
        return None  # the reference encoder raises its own error
    return orjson.dumps(document, option=_INDENTED)


def reference_json(document: Any) -> bytes:
    """The canonical form by its definition: slow, and the judge of :func:`canonical_json`."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def parse_canonical(data: bytes) -> Any:
    """Parse bytes written by :func:`canonical_json` (or any JSON)."""
    return json.loads(data.decode("utf-8"))
