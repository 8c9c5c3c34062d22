"""The loopback identity provider and an app that trusts it (tests/security/idp.py)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.security.idp import AUDIENCE, ISSUER, Jwks, SigningKey, client_for, serve_jwks


@pytest.fixture(scope="module")
def signer() -> SigningKey:
    return SigningKey.rsa("key-1")


@pytest.fixture
def jwks(signer: SigningKey) -> Jwks:
    return Jwks([signer])


@pytest.fixture
def idp_client(settings: Settings, jwks: Jwks) -> Iterator[TestClient]:
    with (
        serve_jwks(jwks) as url,
        client_for(
            settings, jwks_url=url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE, jwks_refresh_cooldown_seconds=0
        ) as client,
    ):
        yield client
