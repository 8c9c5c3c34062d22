"""Record the compare view's test answers from a real `wfv serve` (SQLite in a temporary data
folder), so the fixtures are what the API says, not what a test author thinks it says.

Each pair of tests/examples (welcome-small-a → -b, nurture-50-a → -b) becomes a workflow whose
v1 is published with contacts placed on it (some on the steps the change breaks, one pinned),
v2 the draft of -b. The welcome workflow also gets v3, a copy of v1 (equal content), and v4,
v1 with two actions swapped (a move). Written as TypeScript typed by the generated client
into web/src/compare/fixtures/, so `npm run typecheck` checks them against the schema.

    .venv/bin/python web/scripts/record_compare.py
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "examples"
OUT = ROOT / "web" / "src" / "compare" / "fixtures"
WFV = ROOT / ".venv" / "bin" / "wfv"


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None, raw: bool = False) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read().decode()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: {error.code} {error.read().decode()}") from None
        return text if raw else json.loads(text)


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def place(api: Api, workflow: str, positions: dict[str, list[str]], pinned: list[str]) -> None:
    """Enrol the contacts on v1 and report each where `positions` says (action: contacts)."""
    contacts = [contact for group in positions.values() for contact in group]
    api.call("POST", f"/api/v1/workflows/{workflow}/executions", {"contact_ids": contacts})
    moves = [
        {"contact_id": contact, "action_id": action, "status": "waiting"}
        for action, group in positions.items()
        for contact in group
    ]
    api.call("POST", f"/api/v1/workflows/{workflow}/executions/positions", {"moves": moves})
    api.call("POST", f"/api/v1/workflows/{workflow}/pins", {"contact_ids": pinned})


def record(api: Api, name: str, positions: dict[str, list[str]], pinned: list[str]) -> dict[str, Any]:
    created = api.call("POST", "/api/v1/workflows", {"name": name, "definition": example(f"{name}-a")})
    workflow = created["id"]
    api.call("POST", f"/api/v1/workflows/{workflow}/versions/1/publish", {})
    place(api, workflow, positions, pinned)
    api.call("POST", f"/api/v1/workflows/{workflow}/versions", {"definition": example(f"{name}-b")})
    answers: dict[str, Any] = {"workflowId": workflow}
    if name == "welcome-small":
        same = example(f"{name}-a")
        api.call("POST", f"/api/v1/workflows/{workflow}/versions", {"definition": same})
        swapped = example(f"{name}-a")
        actions = swapped["actions"]
        actions[3], actions[4] = actions[4], actions[3]
        api.call("POST", f"/api/v1/workflows/{workflow}/versions", {"definition": swapped})
        answers["equal"] = api.call("GET", f"/api/v1/workflows/{workflow}/versions/compare?from=1&to=3")
        answers["moved"] = api.call("GET", f"/api/v1/workflows/{workflow}/versions/compare?from=1&to=4")
        answers["v4"] = api.call("GET", f"/api/v1/workflows/{workflow}/versions/4")
    base = f"/api/v1/workflows/{workflow}/versions"
    answers["versions"] = api.call("GET", base)
    answers["v1"] = api.call("GET", f"{base}/1")
    answers["v2"] = api.call("GET", f"{base}/2")
    answers["comparison"] = api.call("GET", f"{base}/compare?from=1&to=2")
    answers["patch"] = api.call("GET", f"{base}/compare?from=1&to=2&format=patch", raw=True)
    return answers


TYPES = {
    "workflowId": "string",
    "versions": 'Schemas["VersionList"]',
    "v1": 'Schemas["VersionDetail"]',
    "v2": 'Schemas["VersionDetail"]',
    "v4": 'Schemas["VersionDetail"]',
    "comparison": 'Schemas["VersionComparison"]',
    "equal": 'Schemas["VersionComparison"]',
    "moved": 'Schemas["VersionComparison"]',
    "patch": "string",
}


def write(name: str, answers: dict[str, Any]) -> None:
    lines = [
        f"/** Recorded by web/scripts/record_compare.py from `wfv serve`: {name}-a (v1) → {name}-b (v2). */",
        'import type { components } from "../../api/client";',
        "",
        'type Schemas = components["schemas"];',
        "",
    ]
    for key, value in answers.items():
        lines.append(f"export const {key}: {TYPES[key]} = {json.dumps(value, indent=2, ensure_ascii=False)};")
        lines.append("")
    (OUT / f"{name}.ts").write_text("\n".join(lines))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "WFV_DATA_DIR": data}
        port = free_port()
        server = subprocess.Popen([WFV, "serve", "--port", str(port)], env=env, cwd=data)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:  # not answering yet (connection refused, or a timeout while it starts)
                    time.sleep(0.5)
            token = subprocess.run(
                [WFV, "token", "--user", "alice", "--org", "acme", "--perm", "workflows:admin"],
                env=env,
                cwd=data,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            api = Api(base, token)
            welcome = {
                "welcome": ["c1", "c2", "c3"],
                "wait-1d": ["c4", "c5"],
                "reminder": ["c6", "c7", "c8", "c9", "c10"],
                "tips": ["c11"],
            }
            write("welcome-small", record(api, "welcome-small", welcome, pinned=["c10"]))
            nurture = {"step-005": ["n1", "n2"], "step-020": ["n3", "n4", "n5", "n6"], "step-000": ["n7"]}
            write("nurture-50", record(api, "nurture-50", nurture, pinned=["n6"]))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
