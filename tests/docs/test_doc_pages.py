"""The docs hold together: every relative link in the README and ``docs/`` names a file
that exists (and, with ``#``, a heading of it), and every ``WFV_*`` setting has its row
in ``docs/configuration.md``."""

import re
from pathlib import Path

from service.settings import Settings

PROJECT = Path(__file__).resolve().parents[2]
PAGES = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _outside_code(markdown: str) -> str:
    """The page without its fenced blocks and inline code, where ``](`` is no link."""
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", _outside_code(page.read_text()), flags=re.M)
    return {_anchor(heading) for heading in headings}


def test_every_relative_link_resolves() -> None:
    broken = []
    for page in PAGES:
        for target in LINK.findall(_outside_code(page.read_text())):
            if re.match(r"[a-z]+:", target):
                continue  # http(s), mailto: not ours to check here
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_the_anchor_rule_on_headings_of_these_pages() -> None:
    assert _anchor("Scale-out: what is shared, what is per process") == (
        "scale-out-what-is-shared-what-is-per-process"
    )
    assert _anchor("The `wfv` command") == "the-wfv-command"
    assert _anchor("Compare, review, blame") == "compare-review-blame"


def test_every_setting_has_a_row_in_the_configuration_page() -> None:
    text = (PROJECT / "docs" / "configuration.md").read_text()
    documented = {
        name
        for row in text.splitlines()
        if row.startswith("| `WFV_")
        for name in re.findall(r"`(WFV_\w+)`", row.split("|")[1])
    }
    settings = {f"WFV_{name.upper()}" for name in Settings.model_fields}
    assert settings <= documented, sorted(settings - documented)
    assert not documented - settings, f"rows for settings that do not exist: {sorted(documented - settings)}"
