"""The real ``git`` command as a user runs it: an empty HOME, no global or system config,
no prompts, credentials given per command (as a header or through a credential helper)."""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class GitClient:
    home: Path

    def env(self) -> dict[str, str]:
        self.home.mkdir(parents=True, exist_ok=True)
        return {
            "PATH": os.environ["PATH"],
            "HOME": str(self.home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": "Bob Builder",
            "GIT_AUTHOR_EMAIL": "bob@example.test",
            "GIT_COMMITTER_NAME": "Bob Builder",
            "GIT_COMMITTER_EMAIL": "bob@example.test",
            "LANG": "C",
        }

    def run(
        self,
        *args: str,
        cwd: Path | None = None,
        token: str | None = None,
        check: bool = True,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``git [-c http.extraHeader=…] args``; ``check`` asserts success with git's stderr."""
        auth = ["-c", f"http.extraHeader=Authorization: Bearer {token}"] if token else []
        done = subprocess.run(
            ["git", *auth, *args],
            cwd=cwd,
            env=self.env() | (env or {}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check:
            assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
        return done

    def out(self, repo: Path, *args: str) -> str:
        return self.run(*args, cwd=repo).stdout

    def clone(self, url: str, dest: Path, token: str) -> Path:
        self.run("clone", "--quiet", url, str(dest), token=token)
        return dest

    def commit_document(self, repo: Path, document: Any, message: str, *, raw: str | None = None) -> str:
        """Write ``workflow.json`` (pretty, not canonical: a user's editor) and commit it."""
        text = raw if raw is not None else json.dumps(document, indent=4) + "\n"
        (repo / "workflow.json").write_text(text, encoding="utf-8")
        self.run("add", "-A", cwd=repo)
        self.run("commit", "--quiet", "-m", message, cwd=repo)
        return self.out(repo, "rev-parse", "HEAD").strip()

    def remote_refs(self, repo: Path, token: str) -> dict[str, str]:
        """``git ls-remote origin``: ref name → target."""
        listed = self.run("ls-remote", "origin", cwd=repo, token=token).stdout
        return {name: sha for sha, name in (line.split("\t") for line in listed.splitlines())}
