"""Canonical JSON: the one byte form a workflow document is stored in.

Sorted keys, 2-space indent, UTF-8 (no ``\\u`` escapes), trailing newline. The same document
always gives the same bytes, hence the same git blob id, so "no change" is a tree-id
comparison. Indentation is what makes ``git diff`` readable line by line.
"""

import json
from typing import Any


def canonical_json(document: Any) -> bytes:
    """Serialise ``document`` to its canonical bytes."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def parse_canonical(data: bytes) -> Any:
    """Parse bytes written by :func:`canonical_json` (or any JSON)."""
    return json.loads(data.decode("utf-8"))
