"""docker-compose.yml, checked without a Docker engine: by a real Compose implementation
(``config`` interpolates, resolves and validates the whole file), by the compose-spec JSON
schema that check-jsonschema vendors, and by reading it for what the stack promises."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.settings import Settings
from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
REQUIRED = {
    "WFV_DB_OWNER_PASSWORD": "owner-pw-0123456789",
    "WFV_APP_DB_PASSWORD": "app-pw-0123456789",
    "WFV_DRAFT_KEYS": "draft-key-placeholder",
    "WFV_REDIS_PASSWORD": "redis-pw-0123456789",
    "WFV_METRICS_TOKEN": "metrics-token-0123456789abcdef",
    "WFV_PUBLIC_URL": "https://wfv.example.com",
}
LONG_RUNNING = ("postgres", "redis", "api", "worker")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|KEYS?$|TOKEN")
URL_PASSWORD = re.compile(r"://[^:/@\s]+:(\$\{[^}]*\}|[^@\s]+)@")
REQUIRED_VALUE = re.compile(r"\$\{[A-Z0-9_]+:\?[^}]+\}")


def _compose_command() -> list[str]:
    """The `docker compose` plugin when Docker has it, else `docker-compose` (scripts/compose-validator)."""
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    if REQUIRE_SERVICES:
        pytest.fail(
            "no docker compose / docker-compose to validate docker-compose.yml (scripts/compose-validator)"
        )
    pytest.skip("no docker compose / docker-compose (scripts/compose-validator installs it)")


def _config(env: dict[str, str], env_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WFV_", "COMPOSE_", "DOCKER_"))}
    # Never the developer's own .env next to the file: the given file, or an empty one.
    with tempfile.TemporaryDirectory() as empty:
        chosen = env_file or Path(empty, ".env")
        chosen.touch()
        return _run_config(base, env, chosen)


def _run_config(base: dict[str, str], env: dict[str, str], chosen: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *_compose_command(),
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(chosen),
            "-f",
            str(COMPOSE_FILE),
            "config",
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    return services


def test_compose_config_accepts_the_file_and_interpolates_the_secrets() -> None:
    done = _config(REQUIRED)
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert set(resolved["services"]) == {"postgres", "redis", "migrate", "api", "worker"}
    api_env = resolved["services"]["api"]["environment"]
    assert api_env["WFV_DATABASE_URL"] == ("postgresql+psycopg://wfv_app:app-pw-0123456789@postgres:5432/wfv")
    migrate_env = resolved["services"]["migrate"]["environment"]
    assert migrate_env["WFV_MIGRATION_DATABASE_URL"].startswith(
        "postgresql+psycopg://wfv:owner-pw-0123456789@"
    )
    assert resolved["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == "owner-pw-0123456789"
    # The queue is behind a password: the workers and the API know it, the healthcheck too.
    for name in ("api", "worker", "migrate"):
        assert resolved["services"][name]["environment"]["WFV_REDIS_URL"] == (
            "redis://:redis-pw-0123456789@redis:6379/0"
        )
    redis = resolved["services"]["redis"]
    assert "--requirepass" in " ".join(redis["command"])
    assert redis["environment"]["REDISCLI_AUTH"] == "redis-pw-0123456789"
    assert api_env["WFV_PUBLIC_URL"] == "https://wfv.example.com"
    assert api_env["WFV_METRICS_TOKEN"] == "metrics-token-0123456789abcdef"


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_compose_config_refuses_to_run_without_each_secret(missing: str) -> None:
    env = {name: value for name, value in REQUIRED.items() if name != missing}
    done = _config(env)
    assert done.returncode != 0
    assert missing in done.stderr


def test_compose_file_matches_the_compose_spec_schema() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_long_running_service_has_a_healthcheck_and_the_job_runs_once() -> None:
    services = _services()
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck") or {}
        assert check.get("test"), f"{name} has no healthcheck"
        assert services[name]["restart"] == "unless-stopped"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][:3] == ["wfv", "db", "upgrade"]
    api_probe = " ".join(services["api"]["healthcheck"]["test"])
    assert "python" in api_probe
    assert "/readyz" in api_probe
    assert "curl" not in api_probe


def test_migrate_runs_before_the_api_and_the_worker() -> None:
    services = _services()
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_api_and_worker_share_the_repository_volume() -> None:
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    services = document["services"]
    mounts = {name: set(services[name]["volumes"]) for name in ("api", "worker")}
    assert "repos:/srv/wfv/repos" in mounts["api"] & mounts["worker"]
    assert "repos" in document["volumes"]
    assert services["api"]["environment"]["WFV_DATA_DIR"] == "/srv/wfv"


def test_the_api_runs_several_processes_without_the_embedded_consumer() -> None:
    command = _services()["api"]["command"]
    assert command[:2] == ["wfv", "serve"]
    assert "--no-embedded-worker" in command
    assert "--processes" in command
    assert _services()["worker"]["command"][:2] == ["wfv", "worker"]


def literal_secrets(services: dict[str, Any]) -> list[str]:
    """Secrets written into the file. A secret must be required from the environment
    (``${VAR:?…}``) or passed through from it (no value); so must a password in a URL."""
    found = []
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key) and value is not None and not REQUIRED_VALUE.fullmatch(str(value)):
                found.append(f"{name}.{key}")
            for password in URL_PASSWORD.findall(str(value or "")):
                if not REQUIRED_VALUE.fullmatch(password):
                    found.append(f"{name}.{key} (URL)")
    return found


def test_no_literal_secrets() -> None:
    services = _services()
    assert literal_secrets(services) == []
    # The check itself finds them: a literal password, a URL's password, a defaulted secret.
    services["api"]["environment"] = {
        **services["api"]["environment"],
        "WFV_JWT_SECRET": "hunter2-hunter2-hunter2-hunter2-hunter2",
        "WFV_DATABASE_URL": "postgresql+psycopg://wfv_app:hunter2@postgres/wfv",
        "WFV_METRICS_TOKEN": "${WFV_METRICS_TOKEN:-changeme}",
    }
    assert sorted(literal_secrets(services)) == [
        "api.WFV_DATABASE_URL (URL)",
        "api.WFV_JWT_SECRET",
        "api.WFV_METRICS_TOKEN",
    ]


def test_every_way_to_bind_tokens_reaches_the_service() -> None:
    """Production refuses an identity provider without its issuer and audience (or azp
    list): each of those settings must be one compose passes through."""
    identity = {"WFV_JWKS_URL", "WFV_JWT_PUBLIC_KEY", "WFV_JWT_SECRET", "WFV_JWT_ISSUER"}
    identity |= {"WFV_JWT_AUDIENCE", "WFV_JWT_AUTHORIZED_PARTIES"}
    fields = {f"WFV_{name.upper()}" for name in Settings.model_fields}
    assert identity <= fields
    for name in ("migrate", "api", "worker"):
        assert identity <= set(_services()[name]["environment"]), name


def test_the_service_connects_as_wfv_app_and_only_migrate_knows_the_owner() -> None:
    services = _services()
    for name in ("migrate", "api", "worker"):
        assert services[name]["environment"]["WFV_DATABASE_URL"].startswith("postgresql+psycopg://wfv_app:")
        assert services[name]["environment"]["WFV_ENVIRONMENT"] == "production"
    assert "--set-app-password" in services["migrate"]["command"]
    assert "WFV_MIGRATION_DATABASE_URL" in services["migrate"]["environment"]
    for name in ("api", "worker"):
        assert "WFV_MIGRATION_DATABASE_URL" not in services[name]["environment"]


ENV_EXAMPLE = ROOT / ".env.example"
OPERATIONS = ROOT / "docs" / "operations.md"


def _read_by_compose() -> set[str]:
    """Every variable docker-compose.yml substitutes or passes through."""
    text = COMPOSE_FILE.read_text()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    names = set(re.findall(r"\$\{([A-Z0-9_]+)", code))
    document = yaml.safe_load(text)
    environments = [document["x-wfv-environment"]] + [
        service.get("environment") or {} for service in document["services"].values()
    ]
    for environment in environments:
        names |= {key for key, value in environment.items() if value is None}
    return names


def _example() -> dict[str, str | None]:
    """The variables .env.example names: ``NAME=value`` set, ``# NAME=...`` documented."""
    found: dict[str, str | None] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(# )?(WFV_[A-Z0-9_]+)=(.*)", line)
        if match:
            found[match.group(2)] = None if match.group(1) else match.group(3)
    return found


def test_env_example_names_every_variable_the_stack_reads_and_no_other() -> None:
    example = _example()
    assert set(example) == _read_by_compose()
    required = set(REQUIRED)
    for name in required:
        # Set, and empty: compose refuses a copy nobody filled in.
        assert example[name] == "", name
    # An optional setting is commented out: an empty value passed through would be refused.
    assert {name for name, value in example.items() if value is not None} == required


def test_an_unfilled_copy_of_env_example_is_refused(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    shutil.copy(ENV_EXAMPLE, env_file)
    done = _config({}, env_file)
    assert done.returncode != 0
    assert "WFV_" in done.stderr


def _trial_block() -> str:
    text = OPERATIONS.read_text()
    after = text.split("<!-- trial-env", 1)[1]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block, "docs/operations.md has no trial-env block"
    return block.group(1)


def test_the_trial_run_of_the_docs_fills_an_env_the_service_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commands docs/operations.md gives for a trial run, run as written: compose takes
    the .env they make, and the service's own settings accept what it hands the API,
    including the secret `wfv token` signs with."""
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env.example")
    base = {k: v for k, v in os.environ.items() if not k.startswith("WFV_")}
    filled = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _trial_block()],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert filled.returncode == 0, filled.stderr
    done = _config({}, tmp_path / ".env")
    assert done.returncode == 0, done.stderr
    api_env = yaml.safe_load(done.stdout)["services"]["api"]["environment"]
    assert len(api_env["WFV_JWT_SECRET"]) == 64
    assert api_env["WFV_JWKS_URL"] is None  # documented, not passed
    for name, value in api_env.items():
        if value is not None:
            monkeypatch.setenv(name, str(value))
    settings = Settings(_env_file=None)
    assert settings.environment == "production"
    assert settings.hmac_secret() == api_env["WFV_JWT_SECRET"]
    assert settings.draft_key_list()
