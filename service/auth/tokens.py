"""Token verification: HS256 development tokens and RS256/ES256 tokens of a real identity
provider (keys from a JWKS URL, cached and refreshed on an unknown ``kid``, or one PEM key).

The key is chosen by the token's algorithm family and never the other way round, so a
public key can never be used as an HMAC secret (the classic algorithm-confusion attack),
and ``alg: none`` is never in an accepted list.
"""

import time
from typing import Any

import jwt
from jwt import PyJWKClient

from service.auth.claims import check_authorized_party, check_times
from service.errors import Problem, Unauthorized
from service.settings import Settings

_HMAC = {"HS256"}
_ASYMMETRIC = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}


class IdentityProviderUnavailable(Problem):
    status_code, title, slug = 503, "Identity provider unavailable", "identity-provider-unavailable"


def _invalid(exc: Exception) -> Unauthorized:
    """A 401 that says what is wrong with the token. PyJWT words a token that is not a JWT
    at all in its codec's terms ("Invalid header padding", "Not enough segments"), which
    tell nobody what was sent; a bad signature, an expiry and the like keep its words."""
    if isinstance(exc, jwt.DecodeError) and not isinstance(exc, jwt.InvalidSignatureError):
        return Unauthorized(
            "invalid token: not a well-formed JSON Web Token "
            "(three base64url-encoded parts joined by dots: header.payload.signature)"
        )
    return Unauthorized(f"invalid token: {exc}")


class VerifiedTokens:
    """Claims of tokens verified in the last minute, by the token's exact text (signature
    included, so nothing unverified can hit): an editor sends the same token every few
    seconds, and verifying it each time costs more than the save it authorises. An entry
    ends at the token's ``exp`` or after ``seconds``, whichever is first, so a key removed
    from the identity provider stops working within a minute, as it would with its JWKS
    cache."""

    def __init__(self, seconds: float = 60.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, token: str) -> dict[str, Any] | None:
        found = self._entries.get(token)
        if found is None or found[0] <= time.time():
            return None
        return found[1]

    def put(self, token: str, claims: dict[str, Any]) -> None:
        until = time.time() + self.seconds
        expires = claims.get("exp")
        if isinstance(expires, int | float):
            until = min(until, float(expires))
        if len(self._entries) >= self.size:
            self._entries.clear()  # rare and cheap: the next request of each caller re-verifies
        self._entries[token] = (until, claims)


class TokenVerifier:
    """Built once per process from the settings, so the JWKS cache outlives requests."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.verified = VerifiedTokens()
        self.asymmetric = [alg for alg in settings.jwt_algorithms if alg in _ASYMMETRIC]
        self.public_key = settings.jwt_public_key
        self.jwks = (
            PyJWKClient(
                settings.jwks_url,
                cache_jwk_set=True,
                lifespan=settings.jwks_cache_seconds,
                timeout=5,
                cooldown_duration=settings.jwks_refresh_cooldown_seconds,
            )
            if settings.jwks_url
            else None
        )

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _invalid(exc) from exc
        algorithm = header.get("alg")
        if algorithm in _HMAC:
            secret = self.settings.hmac_secret()
            if secret is None:
                raise Unauthorized("HS256 development tokens are not accepted here")
            return secret, ["HS256"]
        if algorithm not in self.asymmetric:
            raise Unauthorized(f"tokens signed with {algorithm!r} are not accepted")
        if self.jwks is not None:
            try:
                return self.jwks.get_signing_key_from_jwt(token).key, [algorithm]
            except jwt.PyJWKClientConnectionError as exc:
                raise IdentityProviderUnavailable(
                    f"the identity provider's keys are unreachable: {exc}"
                ) from exc
            except (jwt.PyJWKClientError, jwt.PyJWTError) as exc:
                raise _invalid(exc) from exc
        if self.public_key:
            return self.public_key, [algorithm]
        raise Unauthorized("no identity provider is configured for asymmetric tokens")

    def claims(self, token: str) -> dict[str, Any]:
        """The verified claims; any flaw (signature, exp, nbf, iss, aud, azp, alg, a time
        that is not a number) is a 401. Checked before they are remembered, so a cached
        token was a valid one."""
        key, algorithms = self._key_for(token)
        settings = self.settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                leeway=settings.jwt_leeway_seconds,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                options={"require": ["sub", "exp"], "verify_aud": settings.jwt_audience is not None},
            )
        except jwt.PyJWTError as exc:
            raise _invalid(exc) from exc
        check_times(claims)
        check_authorized_party(claims, settings.jwt_authorized_parties)
        self.verified.put(token, claims)
        return claims
