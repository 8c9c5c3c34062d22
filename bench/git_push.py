"""git push benchmark: 100 edits of a 50-action workflow (100 commits, each changing
``workflow.json``) pushed to a draft through a real ``wfv serve`` (smart HTTP, checked and
recorded), next to ``git push`` of the same commits to a local bare repository
(``file://``, git's own transport), in the same run.

    python -m bench.git_push [--edits 100] [--runs 5] [--memory-runs 3]

Prints the medians, the ratio (target: service <= 3x local), then the API process's peak
memory growth during the largest push the limits allow (``git_push_max_commits`` commits
whose objects inflate to just under ``git_push_max_inflated_bytes``): the peak is reset
(``/proc/<pid>/clear_refs``) before the push and read (``VmHWM``) after. Target: under
50 MB. ``git index-pack`` runs in a process of its own and is not counted. The first
push is the one that counts: later ones reuse memory the allocator kept from it.
"""

import argparse
import copy
import json
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pygit2

from bench.database import SECRET
from bench.git_clone import git_env, served
from service.auth import issue_token
from service.settings import Settings
from tests.factories import example

TARGET_RATIO = 3.0
TARGET_MB = 50.0
DRAFT = "refs/heads/drafts/v2"
_WORDS = "contact email wait branch segment score nurture trial onboarding reminder offer".split()


@dataclass
class Server:
    base: str
    pid: int
    token: str
    data: Path
    work: Path

    def api(self) -> httpx.Client:
        auth = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=auth, timeout=120)

    def git(self, *args: str, cwd: Path | None = None) -> None:
        header = ["-c", f"http.extraHeader=Authorization: Bearer {self.token}"]
        done = subprocess.run(
            ["git", *header, *args], cwd=cwd, env=git_env(self.work / "home"), capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"git {args[0]} failed: {done.stderr}")


def padded(document: dict[str, Any], notes_chars: int) -> dict[str, Any]:
    """``document`` with ``notes_chars`` of free text spread over its actions' configs
    (each string under the 10,000-character limit), as long notes make a document big."""
    grown = copy.deepcopy(document)
    words = random.Random(7)
    per_action = notes_chars // len(grown["actions"])
    for action in grown["actions"]:
        text = " ".join(words.choice(_WORDS) for _ in range(per_action // 6 + 1))
        action.setdefault("config", {})["notes"] = text[:per_action]
    return grown


def edits(base: dict[str, Any], count: int) -> list[bytes]:
    """``count`` successive documents, each renaming one action: a user's edit history."""
    out = []
    for index in range(count):
        document = copy.deepcopy(base)
        document["actions"][index % len(document["actions"])]["name"] = f"Step edited {index}"
        out.append((json.dumps(document, indent=2) + "\n").encode())
    return out


def new_draft(server: Server, document: dict[str, Any], work: Path) -> tuple[Path, Path]:
    """A workflow (v1 published, v2 a draft), a bare clone of it, and a local bare copy
    of the server's repository to push the same commits to."""
    api = server.api()
    created = api.post("/workflows", json={"name": "Push bench", "definition": document})
    created.raise_for_status()
    wid = created.json()["id"]
    api.post(f"/workflows/{wid}/versions/1/publish").raise_for_status()
    api.post(f"/workflows/{wid}/versions").raise_for_status()
    clone, local = work / f"clone-{wid}", work / f"local-{wid}.git"
    server.git("clone", "--quiet", "--bare", f"{server.base}/git/{wid}.git", str(clone))
    source = server.data / "repos" / "acme" / f"{wid}.git"
    server.git("clone", "--quiet", "--bare", f"file://{source}", str(local))
    return clone, local


def commit_all(clone: Path, documents: list[bytes]) -> None:
    """One commit per document on the draft branch (pygit2: building them is not timed)."""
    repo = pygit2.Repository(str(clone))
    signature = pygit2.Signature("Bench", "bench@example.test")
    parent = repo.references[DRAFT].target
    for index, data in enumerate(documents):
        builder = repo.TreeBuilder()
        builder.insert("workflow.json", repo.create_blob(data), pygit2.GIT_FILEMODE_BLOB)
        parent = repo.create_commit(None, signature, signature, f"edit {index}", builder.write(), [parent])
    repo.references[DRAFT].set_target(parent)


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def push_pair(server: Server, document: dict[str, Any], count: int) -> tuple[float, float]:
    clone, local = new_draft(server, document, server.work)
    commit_all(clone, edits(document, count))
    refspec = f"{DRAFT}:{DRAFT}"
    service = timed(lambda: server.git("push", "--quiet", "origin", refspec, cwd=clone))
    baseline = timed(lambda: server.git("push", "--quiet", f"file://{local}", refspec, cwd=clone))
    return service, baseline


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def peak_growth_mb(server: Server, document: dict[str, Any], count: int) -> float:
    """Peak RSS above the RSS before, during one push (the peak reset first)."""
    clone, _ = new_draft(server, document, server.work)
    commit_all(clone, edits(document, count))
    Path(f"/proc/{server.pid}/clear_refs").write_text("5")
    before = status_kb(server.pid, "VmRSS")
    server.git("push", "--quiet", "origin", f"{DRAFT}:{DRAFT}", cwd=clone)
    return (status_kb(server.pid, "VmHWM") - before) / 1024


def largest_push(settings: Settings) -> tuple[int, int, dict[str, Any]]:
    """The limits (settings if they exist yet, else their defaults) and a document whose
    ``commits`` edits inflate to just under the byte limit (blob, tree and commit each)."""
    commits = int(getattr(settings, "git_push_max_commits", 100))
    limit = int(getattr(settings, "git_push_max_inflated_bytes", 16 * 1024 * 1024))
    base = example("nurture-50")
    per_commit = int(limit * 0.97) // commits - 400  # the tree and commit objects
    plain = len(edits(base, 1)[0])
    return commits, limit, padded(base, max(0, per_commit - plain))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, served(Path(tmp)) as (base, process):
        token = issue_token(secret=SECRET, user="bench", org="acme", permissions=["workflows:admin"])
        server = Server(base, process.pid, token, Path(tmp) / "var", Path(tmp))
        report_speed(server, args.edits, args.runs)
        report_memory(server, args.memory_runs)


def report_speed(server: Server, count: int, runs: int) -> None:
    document = example("nurture-50")
    push_pair(server, document, count)  # warm-up
    pairs = [push_pair(server, document, count) for _ in range(runs)]
    service = statistics.median(pair[0] for pair in pairs)
    local = statistics.median(pair[1] for pair in pairs)
    size = len(edits(document, 1)[0]) / 1024
    print(f"push of {count} commits ({size:.0f} KB workflow.json each), medians of {runs} runs")
    print(f"  service (HTTP, checked, recorded) {service:7.3f} s")
    print(f"  local bare repository (file://)   {local:7.3f} s")
    ratio = service / local
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"target: service push <= {TARGET_RATIO:.0f}x the local push: {ratio:.2f}x, {verdict}")


def report_memory(server: Server, runs: int) -> None:
    commits, limit, document = largest_push(Settings(_env_file=None))
    inflated = commits * len(edits(document, 1)[0])
    print(
        f"largest allowed push: {commits} commits, blobs {inflated / 2**20:.1f} MiB inflated "
        f"(limit {limit / 2**20:.0f} MiB)"
    )
    growths = [peak_growth_mb(server, document, commits) for _ in range(runs)]
    shown = ", ".join(f"{growth:.1f}" for growth in growths)
    verdict = "met" if max(growths) < TARGET_MB else "MISSED"
    print(f"  API process peak RSS growth: {shown} MB (first push first; max {max(growths):.1f})")
    print(f"target: peak growth < {TARGET_MB:.0f} MB: {verdict}")


if __name__ == "__main__":
    main()
