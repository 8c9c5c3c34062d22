"""Settings resolve the data folder once, so every path derived from it is absolute."""

from pathlib import Path
from typing import Any

import pytest

from service.settings import Settings


@pytest.mark.parametrize("given", ["./var", "var", "data/../var"])
def test_a_relative_data_dir_becomes_absolute_against_the_start_folder(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WFV_DATA_DIR", given)
    settings = Settings(_env_file=None)
    assert settings.data_dir == tmp_path.resolve() / "var"
    assert settings.repos_dir == tmp_path.resolve() / "var" / "repos"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'wfv.db'}"


def test_the_default_data_dir_is_var_in_the_start_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WFV_DATA_DIR", raising=False)
    settings = Settings(_env_file=None)
    assert settings.data_dir.is_absolute()
    assert settings.data_dir == tmp_path.resolve() / "var"
    monkeypatch.chdir("/")  # a later change of folder does not move the data
    assert settings.repos_dir == tmp_path.resolve() / "var" / "repos"


def _production(**settings: Any) -> Settings:
    return Settings(
        _env_file=None, environment="production", jwt_secret="j" * 40, database_url="sqlite://", **settings
    )


_HOOK = "https://hooks.example.test/wfv"
_WHSEC = "whsec_" + "a2V5" * 8  # 24 bytes in base64


def test_a_webhook_url_without_a_secret_is_refused_everywhere() -> None:
    with pytest.raises(ValueError, match="webhooks are always signed"):
        Settings(_env_file=None, migration_webhook_url=_HOOK)
    with pytest.raises(ValueError, match="webhooks are always signed"):
        _production(migration_webhook_url=_HOOK)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("whsec_not base64!", "must be base64"),
        ("whsec_", "followed by the key"),
        ("changeme", "real secret"),
        ("s" * 31, "real secret"),
        ("whsec_" + "a2V5" * 7, "real secret"),  # 21 bytes
    ],
)
def test_a_weak_or_malformed_webhook_secret_is_refused_in_production(secret: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _production(migration_webhook_url=_HOOK, webhook_secret=secret)


@pytest.mark.parametrize("secret", [_WHSEC, "s" * 32])
def test_a_real_webhook_secret_is_accepted_in_production(secret: str) -> None:
    settings = _production(migration_webhook_url=_HOOK, webhook_secret=secret)
    assert settings.webhook_secret == secret
    assert secret not in repr(settings)
