"""User text on its way into git's metadata: commit and tag messages, review notes.

A version's commit message is the user's free text followed by wfv's trailers, and two
parsers read those trailers back from the message's last paragraph: libgit2's (reindex,
healing, ``wfv check``) and git's (``git log``, ``git interpret-trailers`` in a clone).
Each stops early somewhere the other does not: libgit2 at a line starting ``---`` (a patch
follows), git at its scissors comment (``# ------------------------ >8 ----...``), libgit2
at a NUL (the message is a C string). A terminal obeys a carriage return or an escape
sequence, so ``git log`` can be made to *show* a line that is not there. The user's text is
therefore rewritten on the way in, readable but inert:

- every line break Python knows (CR, CRLF, U+2028, U+2029, NEL, VT, FF...) becomes ``\\n``,
  so the lines a reader sees are the lines the parsers see;
- other control characters and bidi overrides are spelt out (``<U+001B>``);
- a line git could read as metadata (``---``, ``#``, ``Key: value``, ``(cherry picked
  from commit``) is quoted with ``> ``: no parser takes ``>`` for a trailer's token, a
  comment or a patch, and a human reads it as quoted text;
- nothing at all becomes a placeholder title: the first paragraph is never read as
  trailers, so wfv's trailers must not be the first paragraph.

wfv's trailers then always form the last paragraph, alone, as both parsers see it.
"""

import re

NO_MESSAGE = "(no message)"
QUOTE = "> "
# Lines a trailer parser, git's comment/scissors rule or the patch divider could act on,
# or a human could take for a trailer; leading blanks do not hide one from a reader.
# A URL's scheme is not a key anyone reads as metadata.
_METADATA_LINE = re.compile(r"\s*(?:---|#|\(cherry picked from|[\w-]+\s*:(?!//))", re.IGNORECASE)
# What a terminal acts on rather than shows: the C0 and C1 controls (Unicode's Cc, the tab
# aside), the line and paragraph separators, and the bidi embeddings, overrides and
# isolates that reorder what is shown.
_UNSHOWN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(ch: str) -> bool:
    """Whether a character shows as itself: not a control, a line break or a bidi override."""
    return _UNSHOWN.match(ch) is None


def _spelt(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def inline_text(text: str) -> str:
    """``text`` as one inert line: line breaks and control characters spelt out.

    For values that sit inside a line wfv builds (a trailer's value, a name in a header).
    """
    return _UNSHOWN.sub(_spelt, text)


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as a reader will see them: split at every line break Python
    recognises, controls spelt out, trailing blanks and blank edges dropped."""
    lines = [_UNSHOWN.sub(_spelt, line).rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def message_text(text: str) -> str:
    """User text fit to stand above wfv's trailers in a commit (or tag) message.

    Never empty, no trailing newline; see the module's docstring for what changes.
    """
    lines = [QUOTE + line if _METADATA_LINE.match(line) else line for line in text_lines(text)]
    return "\n".join(lines) or NO_MESSAGE
