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
from service.auth.claims import actor, display_text, identifier
from service.errors import Forbidden


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


def _expand(granted: Any) -> set[Permission]:
    """Known permissions with what they imply; unknown strings are ignored, not errors."""
    expanded: set[Permission] = set()
    if isinstance(granted, list):
        for value in granted:
            if isinstance(value, str) and value in Permission._value2member_map_:
                expanded |= _IMPLIED[Permission(value)]
    return expanded


def _organisation(claims: dict[str, Any]) -> tuple[Any, Any]:
    """(tenant, role): ``org_id``/``org_role``, or Clerk's compact ``o: {id, rol}``.

    A role counts only for the organisation it is given with: ``org_role`` for ``org_id``,
    ``o.rol`` for ``o.id``. A token naming both (``org_id`` one tenant, ``o`` another) is
    in ``org_id``'s tenant, and ``o``'s role, which is the role somewhere else, grants
    nothing there."""
    found = claims.get("o")
    compact: dict[str, Any] = found if isinstance(found, dict) else {}
    tenant = claims.get("org_id", compact.get("id"))
    role = claims.get("org_role") if "org_id" in claims else None
    compact_role = compact.get("rol")
    if role is None and tenant is not None and compact.get("id") == tenant and isinstance(compact_role, str):
        role = f"org:{compact_role}"
    return tenant, role


def principal_from_claims(claims: dict[str, Any], role_permissions: dict[str, list[str]]) -> Principal:
    """The caller: permissions from the ``permissions`` claim and from the org role."""
    user_id = actor(claims.get("sub"))
    tenant, role = _organisation(claims)
    tenant_id = identifier(tenant, "org_id", 128)
    granted = _expand(claims.get("permissions"))
    if isinstance(role, str):
        granted |= _expand(role_permissions.get(role, []))
    name = display_text(claims.get("name"), user_id)
    email = display_text(claims.get("email"), f"{user_id}@users.wfv.invalid")
    return Principal(user_id, tenant_id, frozenset(granted), name, email)


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
