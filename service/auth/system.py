"""wfv's own principals: for work that runs with no user behind it at that moment (a
rollout's guard moving the new version's contacts back on the worker), through the same
use cases a user's request takes.

Its actor id is ``system:<role>``, a namespace no token can claim (``claims.actor`` refuses
it), so an audit entry or a migration's ``created_by`` naming it can only be wfv's own. It
holds ``workflows:edit`` (what the same action needs from a user) and one tenant: the
tenant of the work it does, as every unit of work has."""

import re

from service.auth import Permission, Principal
from service.auth.claims import RESERVED_ACTOR_PREFIX

_ROLE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


def system_principal(tenant_id: str, role: str) -> Principal:
    """``system:<role>`` acting in ``tenant_id`` with edit (and so read) permission."""
    if not _ROLE.match(role):
        raise ValueError(f"a system role is lower-case letters, digits and dashes: {role!r}")
    user_id = f"{RESERVED_ACTOR_PREFIX}{role}"
    return Principal(
        user_id=user_id,
        tenant_id=tenant_id,
        permissions=frozenset({Permission.READ, Permission.EDIT}),
        name=f"wfv {role}",
        email=f"{role}@system.wfv.invalid",
    )
