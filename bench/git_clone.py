"""git clone benchmark: a 1,000-version workflow cloned through the service (a real
``wfv serve``, smart HTTP, the API's token) next to ``git clone`` of the same bare
repository from the local disk (``file://``, git's own transport), in the same run.

    python -m bench.git_clone [--versions 1000] [--runs 7]

Measured twice: as libgit2 leaves the repository (loose objects), and after the upkeep
task packed it. Prints medians, the ratio (target: service <= 3x local, packed), and the
local path clone (hardlinks, no transport at all) for reference.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.database import SECRET
from indexer.revisions import upgrade
from repo_store.upkeep import count_loose, count_packs
from service.auth import issue_token
from service.container import Container, build_container
from service.git.upkeep import upkeep_all
from service.settings import Settings
from tests.e2e.helpers import WFV, free_port, running, wfv_env
from tests.factories import published_history

TARGET = 3.0


def git_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
    }


def timed_clones(runs: int, clone: Callable[[Path], list[str]], work: Path, env: dict[str, str]) -> float:
    """Median seconds of ``runs`` clones into fresh folders (one warm-up run first)."""
    samples = []
    for run in range(runs + 1):
        target = work / f"clone-{time.monotonic_ns()}"
        started = time.perf_counter()
        subprocess.run(clone(target), env=env, check=True, capture_output=True)
        if run:
            samples.append(time.perf_counter() - started)
        subprocess.run(["rm", "-rf", str(target)], check=True)
    return statistics.median(samples)


def measure(url: str, token: str, bare: Path, work: Path, runs: int) -> tuple[float, float, float]:
    env = git_env(work / "home")
    header = ["-c", f"http.extraHeader=Authorization: Bearer {token}"]
    service = timed_clones(runs, lambda t: ["git", *header, "clone", "--quiet", url, str(t)], work, env)
    local = timed_clones(runs, lambda t: ["git", "clone", "--quiet", f"file://{bare}", str(t)], work, env)
    path = timed_clones(runs, lambda t: ["git", "clone", "--quiet", str(bare), str(t)], work, env)
    return service, local, path


def disk_mb(folder: Path) -> float:
    """Space taken on disk (blocks, as ``du``): thousands of tiny loose files cost far
    more than their bytes."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 1e6


def line(label: str, figures: tuple[float, float, float], bare: Path) -> str:
    service, local, path = figures
    return (
        f"{label:<22} {service:8.3f} s {local:10.3f} s {service / local:7.2f}x {path:10.3f} s"
        f"   ({count_loose(bare)} loose objects, {count_packs(bare)} pack(s), {disk_mb(bare):.1f} MB on disk)"
    )


@contextmanager
def served(root: Path) -> Iterator[tuple[str, "subprocess.Popen[bytes]"]]:
    """A real ``wfv serve`` on ``root/var`` (SQLite, in-memory queue): its URL and process."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = wfv_env(root / "var", WFV_JWT_SECRET=SECRET, WFV_QUEUE="memory")
    args = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
    with running(args, env, root / "serve.log", f"{base}/healthz") as process:
        yield base, process


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "var"
        with served(root) as (base, _):
            settings = Settings(data_dir=data, jwt_secret=SECRET, queue="memory", _env_file=None)
            container: Container = build_container(settings)
            upgrade(container.migration_engine())
            started = time.perf_counter()
            wid = str(published_history(container, args.versions)[0])
            built = time.perf_counter() - started
            token = issue_token(secret=SECRET, user="bench", org="acme", permissions=["workflows:read"])
            bare = next((data / "repos" / "acme").glob("*.git"))
            print(f"{args.versions} published versions built in {built:.1f} s; medians of {args.runs} clones")
            print(f"{'':<22} {'service':>10} {'local file://':>12} {'ratio':>8} {'local path':>12}")
            loose = measure(f"{base}/git/{wid}.git", token, bare, root, args.runs)
            print(line("loose (libgit2)", loose, bare))
            upkeep_all(container)
            packed = measure(f"{base}/git/{wid}.git", token, bare, root, args.runs)
            print(line("packed (after upkeep)", packed, bare))
            container.close()
    ratio = packed[0] / packed[1]
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"target: packed service clone <= {TARGET:.0f}x the local file:// clone: {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
