"""The TypeScript client type-checks, with a file using it the way an engine or a CRM does
(clients/typescript/check/usage.ts): a regenerated schema that no longer fits the client
or its callers fails here, as ``tsc --noEmit`` says."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

TYPESCRIPT = Path(__file__).resolve().parents[2] / "clients" / "typescript"


def test_the_typescript_client_and_its_usage_type_check() -> None:
    tsc = TYPESCRIPT / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        missing = "tsc is not installed in clients/typescript (./scripts/typescript: npm ci)"
        if REQUIRE_SERVICES:
            pytest.fail(f"the TypeScript client's tools are required (WFV_REQUIRE_SERVICES=1): {missing}")
        pytest.skip(missing)
    done = subprocess.run(
        [str(tsc), "--noEmit", "--pretty", "false", "-p", str(TYPESCRIPT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"tsc --noEmit failed in clients/typescript:\n{done.stdout}{done.stderr}"
