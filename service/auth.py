"""Bearer tokens: who is calling, for which tenant, with which permissions.

Development tokens are HS256 with the configured (or generated) secret. Permissions nest:
``workflows:admin`` includes edit, which includes read, so an admin token does everything
an editor's does.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt

from repo_store import Identity
from service.errors import Forbidden, Unauthorized


class Permission(StrEnum):
    READ = "workflows:read"
    EDIT = "workflows:edit"
    ADMIN = "workflows:admin"


_IMPLIED = {
    Permission.READ: {Permission.READ},
    Permission.EDIT: {Permission.READ, Permission.EDIT},
    Permission.ADMIN: {Permission.READ, Permission.EDIT, Permission.ADMIN},
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    tenant_id: str
    permissions: frozenset[Permission]
    name: str
    email: str

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise Forbidden(f"this action needs the {permission.value} permission")

    @property
    def identity(self) -> Identity:
        return Identity(id=self.user_id, name=self.name, email=self.email)


def _expand(granted: Any) -> frozenset[Permission]:
    if not isinstance(granted, list):
        return frozenset()
    expanded: set[Permission] = set()
    for value in granted:
        if value in Permission._value2member_map_:
            expanded |= _IMPLIED[Permission(value)]
    return frozenset(expanded)


def _text_claim(claims: dict[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Unauthorized(f"the token's '{name}' claim is missing or invalid")
    return value


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    user_id = _text_claim(claims, "sub", 255)
    tenant_id = _text_claim(claims, "org_id", 128)
    name = claims.get("name") if isinstance(claims.get("name"), str) else user_id
    email = claims.get("email") if isinstance(claims.get("email"), str) else f"{user_id}@users.wfv.invalid"
    return Principal(
        user_id, tenant_id, _expand(claims.get("permissions")), str(name)[:255], str(email)[:255]
    )


def decode_token(token: str, *, secret: str, leeway_seconds: int) -> Principal:
    """Verify an HS256 token and read the caller out of it; any flaw is a 401."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=leeway_seconds,
            options={"require": ["sub", "exp"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    return principal_from_claims(claims)


def issue_token(
    *,
    secret: str,
    user: str,
    org: str,
    permissions: list[str],
    ttl: timedelta = timedelta(hours=12),
) -> str:
    """A development token (``wfv token``)."""
    now = datetime.now(UTC)
    claims = {"sub": user, "org_id": org, "permissions": permissions, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")
