"""RS256/ES256 tokens of a real (loopback) identity provider: accepted when right,
refused with a 401 problem for every kind of wrong."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.security.idp import AUDIENCE, ISSUER, Jwks, SigningKey, claims, client_for, serve_jwks

LIST = "/api/v1/workflows"


def _get(client: TestClient, token: str) -> tuple[int, dict[str, object]]:
    response = client.get(LIST, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_a_valid_rs256_token_is_accepted(idp_client: TestClient, signer: SigningKey) -> None:
    token = signer.sign(claims())
    status, _ = _get(idp_client, token)
    assert status == 200
    created = idp_client.post(
        LIST,
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "w", "definition": json.loads(open("tests/examples/welcome-small.json").read())},
    )
    assert created.status_code == 201
    assert created.json()["created_by"] == "user_alice"


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["org_id"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def _unsigned() -> str:
    return jwt.encode(claims(), key=None, algorithm="none")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("expired", lambda k: k.sign(claims(exp=int(time.time()) - 120, iat=int(time.time()) - 900))),
        ("not yet valid", lambda k: k.sign(claims(nbf=int(time.time()) + 600))),
        ("wrong audience", lambda k: k.sign(claims(aud="another-service"))),
        ("wrong issuer", lambda k: k.sign(claims(iss="https://evil.example.test"))),
        ("wrong key", lambda k: SigningKey("key-1", SigningKey.rsa("x").private, "RS256").sign(claims())),
        ("unknown kid", lambda k: SigningKey.rsa("key-404").sign(claims())),
        ("alg none", lambda k: _unsigned()),
        ("tampered payload", lambda k: _tampered(k.sign(claims()))),
        ("hs256 with a secret we never issued", lambda k: jwt.encode(claims(), "k" * 40, algorithm="HS256")),
        ("no exp", lambda k: k.sign({key: v for key, v in claims().items() if key != "exp"})),
        ("garbage", lambda k: "not.a.token"),
    ],
)
def test_bad_tokens_are_refused_with_401_problems(
    idp_client: TestClient, signer: SigningKey, case: str, make
) -> None:
    status, body = _get(idp_client, make(signer))
    assert status == 401, case
    assert body["type"] == "/problems/unauthorized"
    assert body["status"] == 401


def test_public_key_as_hmac_secret_is_refused(idp_client: TestClient, signer: SigningKey) -> None:
    """Algorithm confusion: an HS256 token whose secret is the IdP's public key."""
    encode = base64.urlsafe_b64encode
    header = (
        encode(json.dumps({"alg": "HS256", "typ": "JWT", "kid": signer.kid}).encode()).decode().rstrip("=")
    )
    payload = encode(json.dumps(claims()).encode()).decode().rstrip("=")
    signature = hmac.new(
        signer.public_pem().encode(), f"{header}.{payload}".encode(), hashlib.sha256
    ).digest()
    token = f"{header}.{payload}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"
    status, _ = _get(idp_client, token)
    assert status == 401


def test_small_clock_skew_is_tolerated(idp_client: TestClient, signer: SigningKey) -> None:
    status, _ = _get(idp_client, signer.sign(claims(nbf=int(time.time()) + 10)))
    assert status == 200


def test_a_rotated_key_is_fetched_on_its_unknown_kid(
    idp_client: TestClient, jwks: Jwks, signer: SigningKey
) -> None:
    assert _get(idp_client, signer.sign(claims()))[0] == 200
    fetched = jwks.fetches
    rotated = SigningKey.rsa("key-2")
    jwks.keys.append(rotated)
    assert _get(idp_client, rotated.sign(claims()))[0] == 200
    assert jwks.fetches == fetched + 1
    assert _get(idp_client, rotated.sign(claims()))[0] == 200
    assert jwks.fetches == fetched + 1  # cached afterwards


def test_an_unreachable_jwks_is_a_503_problem(settings: Settings, signer: SigningKey) -> None:
    with client_for(settings, jwks_url="http://127.0.0.1:9/jwks.json", jwt_audience=AUDIENCE) as client:
        status, body = _get(client, signer.sign(claims()))
    assert status == 503
    assert body["type"] == "/problems/identity-provider-unavailable"


def test_es256_with_a_configured_pem_key(settings: Settings) -> None:
    key = SigningKey.ec("ec-1")
    with client_for(
        settings, jwt_public_key=key.public_pem(), jwt_issuer=ISSUER, jwt_audience=AUDIENCE
    ) as client:
        assert _get(client, key.sign(claims()))[0] == 200
        assert _get(client, SigningKey.ec("ec-1").sign(claims()))[0] == 401


@pytest.mark.parametrize(
    ("role_claims", "can_read", "can_write"),
    [
        ({"org_role": "org:viewer"}, True, False),
        ({"org_role": "org:member"}, True, True),
        ({"org_role": "org:admin"}, True, True),
        ({"o": {"id": "acme", "rol": "member"}}, True, True),
        ({"org_role": "org:unknown"}, False, False),
    ],
)
def test_org_roles_map_to_permissions(
    idp_client: TestClient,
    signer: SigningKey,
    role_claims: dict[str, object],
    can_read: bool,
    can_write: bool,
) -> None:
    base = {key: value for key, value in claims().items() if key not in {"permissions", "org_id"}}
    base.setdefault("org_id", "acme") if "o" not in role_claims else None
    token = signer.sign(base | role_claims)
    headers = {"Authorization": f"Bearer {token}"}
    assert (idp_client.get(LIST, headers=headers).status_code == 200) is can_read
    created = idp_client.post(LIST, headers=headers, json={"name": "w", "definition": {}})
    assert (created.status_code != 403) is can_write


def test_production_refuses_development_tokens_without_a_configured_secret(
    settings: Settings, signer: SigningKey
) -> None:
    from service.auth import issue_token

    dev = issue_token(secret=settings.signing_secret(), user="a", org="acme", permissions=["workflows:read"])
    with client_for(
        settings,
        environment="production",
        public_url="https://wfv.example.com",
        metrics_token="m" * 32,
        jwt_secret=None,
        jwt_public_key=signer.public_pem(),
        jwt_audience=AUDIENCE,
    ) as client:
        assert _get(client, dev)[0] == 401
        assert _get(client, signer.sign(claims()))[0] == 200


def test_a_remembered_token_still_ends_at_its_exp(settings: Settings, jwks: Jwks, signer: SigningKey) -> None:
    """Verified tokens are remembered a minute (service/auth/tokens.py VerifiedTokens), never
    past their own ``exp``: the second request after expiry is verified again, and refused."""
    with (
        serve_jwks(jwks) as url,
        client_for(
            settings, jwks_url=url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE, jwt_leeway_seconds=0
        ) as client,
    ):
        token = signer.sign(claims(exp=int(time.time()) + 3))  # 2 to 3 s for the first two requests
        assert _get(client, token)[0] == 200
        verified = client.app.state.container.verifier.verified  # type: ignore[attr-defined]
        assert verified.get(token) is not None  # remembered: the next request skips verification
        assert _get(client, token)[0] == 200
        time.sleep(
            max(0.0, jwt.decode(token, options={"verify_signature": False})["exp"] - time.time() + 0.2)
        )
        status, body = _get(client, token)
        assert status == 401
        assert "expired" in str(body["detail"])
