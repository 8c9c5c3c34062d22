"""Settings resolve the data folder once, so every path derived from it is absolute; in
production an identity provider must be bound to this service (issuer, audience or azp)."""

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

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


# An identity provider is bound to this service in production (issue 18): its keys sign the
# tokens of every application it serves.
_PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "database_url": "postgresql+psycopg://wfv_app@127.0.0.1/wfv",
    "jwks_url": "https://idp.example.test/.well-known/jwks.json",
    # what production asks of operations besides tokens (tests/security/test_safe_defaults.py)
    "public_url": "https://wfv.example.com",
    "metrics_token": "m" * 32,
    "draft_keys": Fernet.generate_key().decode(),
    "_env_file": None,
}
_REFUSAL = "production needs WFV_JWT_ISSUER and WFV_JWT_AUDIENCE (or WFV_JWT_AUTHORIZED_PARTIES)"


@pytest.mark.parametrize(
    "binding",
    [
        {},
        {"jwt_audience": "wfv"},
        {"jwt_issuer": "https://idp.example.test"},
        {"jwt_authorized_parties": ["https://wfv.example.test"]},
        {"jwt_issuer": "https://idp.example.test", "jwt_audience": ""},
        {"jwt_issuer": " ", "jwt_audience": "wfv"},
        {"jwt_public_key": "-----BEGIN PUBLIC KEY-----", "jwks_url": None},
    ],
    ids=["nothing", "audience only", "issuer only", "azp only", "blank audience", "blank issuer", "pem key"],
)
def test_production_refuses_an_identity_provider_not_bound_to_this_service(
    binding: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(**(_PRODUCTION | binding))
    (error,) = refused.value.errors()
    assert _REFUSAL in error["msg"]
    assert "\n" not in error["msg"]


@pytest.mark.parametrize(
    "binding",
    [
        {"jwt_issuer": "https://idp.example.test", "jwt_audience": "wfv"},
        {"jwt_issuer": "https://idp.example.test", "jwt_authorized_parties": ["https://wfv.example.test"]},
    ],
    ids=["issuer and audience", "issuer and azp list"],
)
def test_production_starts_with_an_issuer_and_an_audience_or_azp_list(binding: dict[str, Any]) -> None:
    settings = Settings(**(_PRODUCTION | binding))
    assert settings.jwt_issuer == "https://idp.example.test"


def test_production_with_only_an_hs256_secret_needs_no_issuer() -> None:
    """wfv's own development tokens are bound to it by the secret nobody else holds."""
    settings = Settings(**(_PRODUCTION | {"jwks_url": None, "jwt_secret": "s" * 40}))
    assert settings.jwt_issuer is None


def test_development_takes_an_unbound_identity_provider() -> None:
    settings = Settings(**(_PRODUCTION | {"environment": "development"}))
    assert settings.jwks_url is not None


def test_the_azp_list_comes_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFV_JWT_AUTHORIZED_PARTIES", '["https://a.example.test", "https://b.example.test"]')
    assert Settings(_env_file=None).jwt_authorized_parties == [
        "https://a.example.test",
        "https://b.example.test",
    ]
    monkeypatch.setenv("WFV_JWT_AUTHORIZED_PARTIES", '[""]')
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def _production(**settings: Any) -> Settings:
    """A production that starts, and ``settings`` on top."""
    return Settings(
        _env_file=None,
        environment="production",
        jwt_secret="j" * 40,
        database_url="postgresql+psycopg://wfv_app@127.0.0.1/wfv",
        public_url="https://wfv.example.test",
        draft_keys=Fernet.generate_key().decode(),
        metrics_token="m" * 40,
        **settings,
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


def test_crash_points_are_off_unless_a_test_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).test_crash_points == frozenset()
    monkeypatch.setenv("WFV_TEST_CRASH_POINTS", '["refs-moved", "committed"]')
    assert Settings(_env_file=None).test_crash_points == {"refs-moved", "committed"}


def test_only_named_crash_points_are_taken() -> None:
    with pytest.raises(ValidationError, match="refs-moved"):
        Settings(_env_file=None, test_crash_points=["anywhere"])


@pytest.mark.parametrize("points", [["refs-moved"], ["committed"], ["refs-moved", "committed"]])
def test_production_refuses_crash_points(points: list[str]) -> None:
    with pytest.raises(ValueError, match="WFV_TEST_CRASH_POINTS is for fault tests only"):
        _production(test_crash_points=points)
    assert _production().test_crash_points == frozenset()


@pytest.mark.parametrize(
    ("given", "kept", "traces"),
    [
        (None, None, None),
        ("", None, None),
        ("http://127.0.0.1:4318", "http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/traces"),
        ("https://otel.example/", "https://otel.example", "https://otel.example/v1/traces"),
        ("https://otel.example/otlp", "https://otel.example/otlp", "https://otel.example/otlp/v1/traces"),
        (
            "http://collector:4318/v1/traces",
            "http://collector:4318/v1/traces",
            "http://collector:4318/v1/traces",
        ),
    ],
)
def test_the_otlp_endpoint_is_a_collector_s_base_url(
    given: str | None, kept: str | None, traces: str | None
) -> None:
    from service.ops.tracing import traces_url

    settings = Settings(otlp_endpoint=given, _env_file=None)
    assert settings.otlp_endpoint == kept
    assert (traces_url(kept) if kept else None) == traces


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("collector:4318", "http(s) URL of an OTLP/HTTP collector"),
        ("grpc://collector:4317", "http(s) URL of an OTLP/HTTP collector"),
        ("http://:4318", "http(s) URL of an OTLP/HTTP collector"),
        ("http://collector:99999", "http(s) URL of an OTLP/HTTP collector"),
        ("http://user:pw@collector:4318", "no credentials, query or fragment"),
        ("http://collector:4318?token=x", "no credentials, query or fragment"),
    ],
)
def test_a_bad_otlp_endpoint_is_refused_by_name(given: str, says: str) -> None:
    with pytest.raises(ValidationError, match=r"WFV_OTLP_ENDPOINT") as refused:
        Settings(otlp_endpoint=given, _env_file=None)
    assert says in str(refused.value)
