"""What a person reads when pydantic refuses a value: its message, with every pattern
constraint of ``schemas/`` said in words.

Pydantic words a pattern mismatch as "String should match pattern '^[a-z][a-z0-9_]{0,63}$'":
a regular expression explains nothing to whoever typed the name, and shows the internals.
The HTTP problems, a draft's commit and a push to git all report through :func:`message`,
so one table says what each pattern allows. A pattern missing from it is still never shown
(``tests/service/test_error_texts.py`` finds every pattern of the API and asks for its words).
"""

from collections.abc import Mapping
from typing import Any

from schemas.executions import CONTACT_ID_PATTERN
from schemas.migrations import UNMAPPED_PATTERN
from schemas.workflow import ACTION_ID_PATTERN, TYPE_PATTERN

_ID_WORDS = "1 to 64 characters, each an ASCII letter, a digit or one of '_', '.', '?', '-'"

PATTERN_WORDS: dict[str, str] = {
    ACTION_ID_PATTERN: _ID_WORDS,
    TYPE_PATTERN: "a lowercase ASCII letter, then up to 63 lowercase ASCII letters, digits or '_'",
    CONTACT_ID_PATTERN: "1 to 255 characters, none of them a control character",
    UNMAPPED_PATTERN: f"'fail', 'exit' or 'to:' followed by an action id ({_ID_WORDS})",
}


def message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a sentence: a
    pattern in words, a validator's ``ValueError`` without pydantic's "Value error, "."""
    if error.get("type") == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        words = PATTERN_WORDS.get(pattern)
        return f"should be {words}" if words else "is not in the form this field allows"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")
