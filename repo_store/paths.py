"""Repository paths. Never built from raw input: the tenant is checked or hashed, the
workflow id is a parsed UUID, so no request can name a path outside the repos root."""

import hashlib
import re
from pathlib import Path
from uuid import UUID

_TENANT_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def tenant_dir_name(tenant_id: str) -> str:
    """Lower-case ids of a safe shape stay readable; anything else becomes a hash.

    A hashed name starts with ``_``, which a safe name cannot, so the two never collide;
    upper-case ids are hashed too so case-insensitive file systems cannot merge tenants.
    """
    if _TENANT_SAFE.fullmatch(tenant_id):
        return tenant_id
    return "_" + hashlib.sha256(tenant_id.encode("utf-8")).hexdigest()[:40]


def repo_path(root: Path, tenant_id: str, workflow_id: UUID) -> Path:
    """``<root>/<tenant>/<workflow_id>.git``."""
    if not isinstance(workflow_id, UUID):
        raise TypeError("workflow_id must be a parsed UUID")
    return root / tenant_dir_name(tenant_id) / f"{workflow_id}.git"
