"""The tours in the docs, read and run as a reader would: the ```` ```sh tour ```` blocks of a
Markdown file, in order, as one ``bash`` script, each step's output compared with the
``# ->`` lines the page shows under it.

A step is the code since the previous step, up to a run of ``# -> …`` lines: what that code
must print on stdout, line by line (blank lines and trailing spaces ignored; ``…`` in an
expected line stands for any text, for the few values no run repeats, such as commit ids).
Code after the last such run must print nothing. The script runs under ``set -eu -o
pipefail``, so a variable no step defined, or a command that fails, stops the tour at
its step."""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

FENCE = "```sh tour"
EXPECT = re.compile(r"^# -> ?(.*)$")
MARKER = "@@wfv-tour-step@@"


@dataclass(frozen=True)
class Step:
    code: str
    expected: tuple[str, ...]


def tour_blocks(markdown: str) -> list[str]:
    """The bodies of the page's ```` ```sh tour ```` blocks, in order."""
    blocks: list[str] = []
    lines: list[str] | None = None
    for line in markdown.splitlines():
        if lines is None:
            if line.strip() == FENCE:
                lines = []
        elif line.strip() == "```":
            blocks.append("\n".join(lines))
            lines = None
        else:
            lines.append(line)
    assert lines is None, "a ```sh tour block is never closed"
    return blocks


def tour_steps(markdown: str) -> list[Step]:
    steps: list[Step] = []
    code: list[str] = []
    expected: list[str] = []
    for line in "\n".join(tour_blocks(markdown)).splitlines():
        match = EXPECT.match(line)
        if match:
            expected.append(match.group(1).rstrip())
            continue
        if expected:
            steps.append(Step("\n".join(code), tuple(expected)))
            code, expected = [], []
        code.append(line)
    if code or expected:
        steps.append(Step("\n".join(code), tuple(expected)))
    return steps


def script(steps: list[Step]) -> str:
    """One ``bash`` script: the steps in order, a marker line printed after each."""
    parts = ["set -eu -o pipefail"]
    for step in steps:
        parts += [step.code, f"printf '\\n%s\\n' '{MARKER}'"]
    return "\n".join(parts) + "\n"


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


def _lines(output: str) -> list[str]:
    return [line.rstrip() for line in output.splitlines() if line.strip()]


def run_tour(markdown: str, cwd: Path, env: dict[str, str], timeout: float = 240) -> int:
    """Run the page's tour in ``cwd``; fail naming the first step whose output differs.
    Returns the number of steps run."""
    steps = tour_steps(markdown)
    assert steps, "the page has no ```sh tour blocks"
    done = subprocess.run(
        ["bash", "-c", script(steps)], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    outputs = done.stdout.split(f"\n{MARKER}\n")
    finished = outputs[:-1]  # the text after the last marker belongs to a step that did not finish
    for number, (step, output) in enumerate(zip(steps, finished, strict=False), start=1):
        actual, wanted = _lines(output), list(step.expected)
        same = len(actual) == len(wanted) and all(map(matches, wanted, actual))
        assert same, (
            f"step {number} of the tour printed\n{chr(10).join(actual)}\nwhere the page shows\n"
            f"{chr(10).join(wanted)}\nthe step:\n{step.code}\nstderr:\n{done.stderr[-2000:]}"
        )
    if len(finished) < len(steps):
        raise AssertionError(
            f"the tour stopped at step {len(finished) + 1} (exit code {done.returncode}):\n"
            f"{steps[len(finished)].code}\nit printed: {outputs[-1]}\nstderr:\n{done.stderr[-2000:]}"
        )
    assert done.returncode == 0, f"the tour ended with exit code {done.returncode}: {done.stderr[-2000:]}"
    return len(steps)
