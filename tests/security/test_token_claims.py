"""Identity bound to this service: what a correctly signed token may still not say.

Each token here is signed by the (loopback) identity provider the app trusts, so only the
claim under test is wrong; each is refused with a 401 problem and changes nothing.
"""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.archival.runs import SYSTEM_ACTOR
from service.auth.claims import RESERVED_ACTOR_PREFIX
from service.healing.ref_guard import RECONCILER
from service.settings import Settings
from tests.security.idp import ISSUER, Jwks, SigningKey, claims, client_for, serve_jwks

LIST = "/api/v1/workflows"
DEFINITION = json.loads(Path("tests/examples/welcome-small.json").read_text(encoding="utf-8"))


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _refused(client: TestClient, token: str) -> dict[str, Any]:
    response = client.get(LIST, headers=_headers(token))
    assert response.status_code == 401, response.text
    body: dict[str, Any] = response.json()
    assert body["type"] == "/problems/unauthorized"
    return body


def _creates(client: TestClient, token: str) -> int:
    """The status of a workflow created with ``token`` (403: the token may not write)."""
    created = client.post(LIST, headers=_headers(token), json={"name": "w", "definition": DEFINITION})
    status: int = created.status_code
    return status


def _json(**fields: Any) -> str:
    """Claims as JSON text, with room for values a dict cannot carry (spliced in as is)."""
    return json.dumps(claims(**fields))


# --- times are numbers -------------------------------------------------------------------

_NOW = int(time.time())


@pytest.mark.parametrize(
    ("case", "payload"),
    [
        ("exp as a string", _json(exp=str(_NOW + 600))),
        ("iat as a string", _json(iat=str(_NOW))),
        ("nbf as a string", _json(nbf=str(_NOW))),
        ("exp beyond any float", _json(exp=0).replace('"exp": 0', '"exp": 1' + "0" * 400)),
        ("nbf far before 1970", _json(nbf=0).replace('"nbf": 0', '"nbf": -1' + "0" * 400)),
        ("exp true", _json(exp=True)),
    ],
)
def test_time_claims_that_are_not_numbers_are_refused(
    idp_client: TestClient, signer: SigningKey, case: str, payload: str
) -> None:
    body = _refused(idp_client, signer.sign_json(payload))
    assert case.split()[0] in body["detail"] or "expired" in body["detail"], body


def test_a_fractional_exp_is_a_number_and_accepted(idp_client: TestClient, signer: SigningKey) -> None:
    """RFC 7519's NumericDate may hold fractions of a second."""
    token = signer.sign(claims(exp=time.time() + 600.5))
    assert idp_client.get(LIST, headers=_headers(token)).status_code == 200


# --- a role counts only in its own organisation ------------------------------------------


def _no_permissions() -> dict[str, Any]:
    """Fresh claims without ``permissions`` (made per test: claims made at import would
    have expired by the time a long suite reaches them)."""
    return {key: value for key, value in claims().items() if key != "permissions"}


def test_clerk_role_of_another_organisation_grants_nothing_in_this_tenant(
    idp_client: TestClient, signer: SigningKey
) -> None:
    token = signer.sign(_no_permissions() | {"org_id": "acme", "o": {"id": "elsewhere", "rol": "admin"}})
    assert idp_client.get(LIST, headers=_headers(token)).status_code == 403
    assert _creates(idp_client, token) == 403


def test_clerk_role_of_the_tenant_itself_still_counts(idp_client: TestClient, signer: SigningKey) -> None:
    token = signer.sign(_no_permissions() | {"org_id": "acme", "o": {"id": "acme", "rol": "admin"}})
    assert _creates(idp_client, token) == 201


def test_org_role_without_its_org_id_does_not_lift_the_compact_role(
    idp_client: TestClient, signer: SigningKey
) -> None:
    base = {key: value for key, value in _no_permissions().items() if key != "org_id"}
    token = signer.sign(base | {"org_role": "org:admin", "o": {"id": "acme", "rol": "viewer"}})
    assert idp_client.get(LIST, headers=_headers(token)).status_code == 200
    assert _creates(idp_client, token) == 403


# --- sub and org_id show as themselves ---------------------------------------------------

HIDDEN = {
    "NUL": "\x00",
    "C1 NEL": "\x85",
    "C1 CSI": "\x9b",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "no-break space": "\u00a0",
    "private use": "\ue000",
}


@pytest.mark.parametrize("claim", ["sub", "org_id"])
@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_ids_with_characters_that_do_not_show_are_refused(
    idp_client: TestClient, signer: SigningKey, claim: str, char: str
) -> None:
    body = _refused(idp_client, signer.sign(claims(**{claim: f"ali{char}ce"})))
    assert f"'{claim}'" in body["detail"]


@pytest.mark.parametrize("claim", ["sub", "org_id"])
def test_ids_with_a_lone_surrogate_are_refused(
    idp_client: TestClient, signer: SigningKey, claim: str
) -> None:
    payload = _json(**{claim: "PLACEHOLDER"}).replace("PLACEHOLDER", "ali\\ud800ce")
    body = _refused(idp_client, signer.sign_json(payload))
    assert f"'{claim}'" in body["detail"]


def test_an_id_spelt_decomposed_is_refused(idp_client: TestClient, signer: SigningKey) -> None:
    """``rene\u0301`` looks exactly like ``ren\u00e9`` but would be another user."""
    _refused(idp_client, signer.sign(claims(sub="rene\u0301")))
    assert idp_client.get(LIST, headers=_headers(signer.sign(claims(sub="ren\u00e9")))).status_code == 200


def test_ordinary_ids_still_pass(idp_client: TestClient, signer: SigningKey) -> None:
    for sub in ("auth0|5f7c8ec7", "user_2NNEqL2nrIRdJ194ndJqAHwEfxC", "Zoë Ångström", "alice@example.com"):
        assert idp_client.get(LIST, headers=_headers(signer.sign(claims(sub=sub)))).status_code == 200, sub


# --- system: actors are wfv's own ---------------------------------------------------------


def test_wfv_own_actors_are_in_the_reserved_namespace() -> None:
    assert SYSTEM_ACTOR.startswith(RESERVED_ACTOR_PREFIX)
    assert RECONCILER.startswith(RESERVED_ACTOR_PREFIX)


@pytest.mark.parametrize("sub", [SYSTEM_ACTOR, RECONCILER, "system:", "SYSTEM:admin", "\uff53ystem:archival"])
def test_no_token_acts_as_a_system_actor(idp_client: TestClient, signer: SigningKey, sub: str) -> None:
    body = _refused(idp_client, signer.sign(claims(sub=sub)))
    assert "reserved" in body["detail"]
    hs256 = idp_client.app.state.container.settings.signing_secret()  # type: ignore[attr-defined]
    from service.auth import issue_token

    dev = issue_token(secret=hs256, user=sub, org="acme", permissions=["workflows:admin"])
    assert _creates(idp_client, dev) == 401


def test_names_merely_containing_system_are_users(idp_client: TestClient, signer: SigningKey) -> None:
    for sub in ("systemic", "user:system:x", "system_admin"):
        assert _creates(idp_client, signer.sign(claims(sub=sub))) == 201, sub


# --- azp: the application a token was issued to ------------------------------------------

APP = "https://wfv.example.test"


@pytest.fixture
def azp_client(settings: Settings, jwks: Jwks) -> Iterator[TestClient]:
    """Production-shaped with Clerk's binding: an issuer and authorised parties, no audience."""
    bound = {"jwt_issuer": ISSUER, "jwt_authorized_parties": [APP], "jwt_audience": None}
    with serve_jwks(jwks) as url, client_for(settings, jwks_url=url, **bound) as client:
        yield client


def _without_aud(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in claims(**fields).items() if key != "aud"}


def test_a_token_issued_to_a_listed_party_is_accepted(azp_client: TestClient, signer: SigningKey) -> None:
    assert azp_client.get(LIST, headers=_headers(signer.sign(_without_aud(azp=APP)))).status_code == 200


@pytest.mark.parametrize(
    "azp",
    [None, "https://other-app.example.test", [APP], APP + "/"],
    ids=["absent", "other", "list", "slash"],
)
def test_a_token_issued_to_another_party_is_refused(
    azp_client: TestClient, signer: SigningKey, azp: object
) -> None:
    fields = _without_aud() if azp is None else _without_aud(azp=azp)
    assert "azp" in _refused(azp_client, signer.sign(fields))["detail"]


# --- what held on main, kept so ------------------------------------------------------------


@pytest.mark.parametrize("claim", ["aud", "iss"])
def test_a_token_without_the_configured_audience_or_issuer_is_refused(
    idp_client: TestClient, signer: SigningKey, claim: str
) -> None:
    fields = {key: value for key, value in claims().items() if key != claim}
    assert claim in _refused(idp_client, signer.sign(fields))["detail"]


def test_a_key_carried_in_the_token_itself_is_ignored(idp_client: TestClient) -> None:
    """A ``jwk`` header names the attacker's own key: only the provider's JWKS counts."""
    attacker = SigningKey.rsa("key-1")
    _refused(idp_client, attacker.sign(claims(), jwk=attacker.jwk()))


# --- display claims never break a write ----------------------------------------------------


@pytest.mark.parametrize("claim", ["name", "email"])
def test_a_display_claim_with_a_lone_surrogate_falls_back_and_the_write_succeeds(
    idp_client: TestClient, signer: SigningKey, claim: str
) -> None:
    """Was a 500: the commit's author could not be encoded."""
    token = signer.sign_json(_json(**{claim: "PLACEHOLDER"}).replace("PLACEHOLDER", "ali\\udfffce"))
    assert _creates(idp_client, token) == 201
    listed = idp_client.get(LIST, headers=_headers(token)).json()
    assert [workflow["created_by"] for workflow in listed["items"]] == ["user_alice"]
