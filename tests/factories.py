"""Plain factory functions for tests and benchmarks."""

import copy
import json
from pathlib import Path
from typing import Any

from service.auth import Permission, Principal

EXAMPLES = Path(__file__).parent / "examples"


def example(name: str) -> dict[str, Any]:
    """A document from the shared contract examples (``welcome-small``, ``nurture-50``...)."""
    loaded: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def principal(
    user: str = "alice", org: str = "acme", permissions: tuple[Permission, ...] = tuple(Permission)
) -> Principal:
    return Principal(user, org, frozenset(permissions), user, f"{user}@example.test")


def renamed(document: dict[str, Any], suffix: str) -> dict[str, Any]:
    """A copy of ``document`` whose first action's name differs: a real, small edit."""
    changed = copy.deepcopy(document)
    changed["actions"][0]["name"] = f"{changed['actions'][0].get('name', 'step')} {suffix}"
    return changed
