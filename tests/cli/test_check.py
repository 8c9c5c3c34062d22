"""``wfv check --tenant``: a tenant id with no workflow and no repository (a typo, most
often) is reported and fails the check, where it used to be counted as checked and clean."""

import json
import subprocess

from service.container import Container
from tests.e2e.helpers import WFV, settings_env
from tests.factories import published_history


def _check(container: Container, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WFV, "check", *args],
        env=settings_env(container.settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unknown_tenant_is_reported_not_counted(container: Container) -> None:
    published_history(container, 2, org="acme")

    known = _check(container, "--tenant", "acme")
    assert known.returncode == 0, known.stdout + known.stderr
    assert known.stdout.startswith("1 tenants, 1 workflows, 2 versions")

    mistyped = _check(container, "--tenant", "acme", "--tenant", "acmee")
    assert mistyped.returncode == 1
    assert mistyped.stdout.startswith("1 tenants, 1 workflows, 2 versions")  # acme checked, acmee not
    assert "unknown tenant 'acmee': no workflow and no repository" in mistyped.stdout
    assert "consistent" not in mistyped.stdout
    assert "Traceback" not in mistyped.stderr

    as_json = _check(container, "--tenant", "nobody", "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert (report["unknown_tenants"], report["tenants_checked"]) == (["nobody"], 0)


def test_every_tenant_by_default(container: Container) -> None:
    published_history(container, 1, org="acme")
    published_history(container, 1, org="globex")
    done = _check(container, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["tenants_checked"], report["workflows_checked"], report["unknown_tenants"]) == (2, 2, [])
