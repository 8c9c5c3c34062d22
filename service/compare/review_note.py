"""A review thread as the text of its git note (``refs/notes/reviews``).

``git log --notes=reviews`` prints the note under the commit, and a reader takes a line
at the note's left margin for wfv's: the review's header, then one ``[verdict] who at
when`` header per event. Those lines are built only from wfv's own values (the event's
kind, the version number, the status, times, lock versions, and the ids a token vouched
for); every piece of user text (the title, a comment's body, the action and path it is
anchored to) sits indented under its header with its control characters spelt out
(``repo_store.usertext``), so no comment can read as a verdict, a header or another event.
"""

from collections.abc import Sequence

from indexer.models import Review, ReviewEvent, WorkflowVersion
from repo_store.usertext import inline_text, text_lines

INDENT = "    "


def render_note(review: Review, version: WorkflowVersion, events: Sequence[ReviewEvent]) -> str:
    """The whole thread, oldest event last; the same thread always renders the same text."""
    lines = [
        f"Review: v{version.version_number} ({review.status})",
        f"Opened by {inline_text(review.opened_by)} at {review.opened_at.isoformat()}",
        *_indented(review.title),
    ]
    for event in events:
        lines += [
            "",
            f"[{event.kind}] {inline_text(event.author_id)} at {event.created_at.isoformat()}"
            f" (edit {event.lock_version})",
        ]
        if event.action_id:
            lines.append(f"{INDENT}on action {inline_text(event.action_id)!r}")
        if event.json_path:
            lines.append(f"{INDENT}at path {inline_text(event.json_path)!r}")
        lines += _indented(event.body)
    return "\n".join(lines) + "\n"


def _indented(text: str) -> list[str]:
    """User text under a header: every line indented (blank ones left empty)."""
    return [f"{INDENT}{line}" if line else "" for line in text_lines(text)]
