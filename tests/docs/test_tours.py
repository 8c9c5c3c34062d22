"""The README's five-minute tour and the git guide, run exactly as written: their
```` ```sh tour ```` blocks in order, in ``bash``, against a real ``wfv serve`` on a fresh
data folder, each step's output compared with what the page shows (``tests/docs/tour.py``).
The reader's folder is a fresh one holding what the pages use from the project (``.venv``
and ``tests/examples``) and the server's data folder as ``./var``, so a clone made by a
tour lands in the test's own folder."""

import os
import shutil
from pathlib import Path

import pytest

from tests.docs.tour import Step, run_tour, tour_steps
from tests.e2e.helpers import WFV, free_port, running, wfv_env

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
PAGES = ["README.md", "docs/api.md", "docs/git.md"]


def _tools() -> None:
    missing = [tool for tool in ("bash", "curl", "jq", "git") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("WFV_REQUIRE_SERVICES") == "1":
            pytest.fail(f"the tours need {', '.join(missing)} (WFV_REQUIRE_SERVICES=1)")
        pytest.skip(f"the tours need {', '.join(missing)}")


def _reader_folder(tmp_path: Path) -> Path:
    """What a reader in the project folder has: the virtualenv and the examples."""
    folder = tmp_path / "reader"
    (folder / "tests").mkdir(parents=True)
    (folder / ".venv").symlink_to(Path(WFV).parents[1])
    (folder / "tests" / "examples").symlink_to(PROJECT / "tests" / "examples")
    return folder


def _reader_env(data: Path, base: str, home: Path) -> dict[str, str]:
    """The server's data folder (so ``wfv token`` signs with its secret), the tour's base URL,
    and a git with no configuration of ours: an empty HOME, an identity, no prompts."""
    home.mkdir()
    return wfv_env(data) | {
        "WFV": base,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Alice Example",
        "GIT_AUTHOR_EMAIL": "alice@example.test",
        "GIT_COMMITTER_NAME": "Alice Example",
        "GIT_COMMITTER_EMAIL": "alice@example.test",
        "LANG": "C",
    }


@pytest.mark.parametrize("page", PAGES)
def test_the_tour_runs_as_written(page: str, tmp_path: Path) -> None:
    _tools()
    reader = _reader_folder(tmp_path)
    data = reader / "var"  # where make serve keeps it: ./var of the reader's folder
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = _reader_env(data, base, tmp_path / "home")
    markdown = (PROJECT / page).read_text()
    serve = [WFV, "serve", "--port", str(port)]
    with running(serve, wfv_env(data), tmp_path / "serve.log", f"{base}/healthz"):
        steps = run_tour(markdown, reader, env)
    assert steps == len(tour_steps(markdown)) >= 5


def test_a_step_that_prints_something_else_fails(tmp_path: Path) -> None:
    """The runner itself: a wrong answer, a failing command and an undefined variable each
    fail at their step, and ``…`` stands for any text."""
    page = '```sh tour\nX=1\necho "a $X"\n# -> a 1\necho abc123\n# -> abc…\n```\n'
    assert run_tour(page, tmp_path, dict(os.environ)) == 2
    with pytest.raises(AssertionError, match="step 2 of the tour printed\nb 2\nwhere the page shows\nb 3"):
        run_tour(page.replace("abc123\n# -> abc…", "b 2\n# -> b 3"), tmp_path, dict(os.environ))
    with pytest.raises(AssertionError, match="the tour stopped at step 1"):
        run_tour('```sh tour\necho "$UNDEFINED"\n# -> \n```\n', tmp_path, dict(os.environ))
    with pytest.raises(AssertionError, match="the tour stopped at step 2"):
        run_tour("```sh tour\necho a\n# -> a\nfalse | cat\n```\n", tmp_path, dict(os.environ))


def test_steps_are_split_at_the_expected_lines() -> None:
    page = (
        "text\n```sh\nnot run\n```\n"
        "```sh tour\nA=1\necho $A\n# -> 1\n# -> 2\n```\nmore\n```sh tour\ncd /\n```\n"
    )
    assert tour_steps(page) == [Step("A=1\necho $A", ("1", "2")), Step("cd /", ())]
