"""Who may reach which repository over git's HTTP protocol, and how to tell people the way.

git sends credentials as HTTP basic auth (a credential helper or a prompt fills them) or as
a header set with ``http.extraHeader``; both carry an API token, checked by the same
verifier as the REST API. Permission comes before existence, and another tenant's
workflow is a 404, as on every route.
"""

import base64
import binascii
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from indexer import queries
from schemas.git import GitAccess, GitCommand
from schemas.history import draft_ref
from schemas.status import VersionStatus
from service.auth import Permission, Principal
from service.compare.reviews import NOTES_REF
from service.container import Container
from service.errors import Unauthorized, WorkflowNotFound
from service.versions.workflows import load_workflow

NEW_DRAFT_REF = "refs/heads/drafts/new"
_BEARER = re.compile(r"^Bearer\s+(\S+)$", re.IGNORECASE)
_BASIC = re.compile(r"^Basic\s+([A-Za-z0-9+/=]+)$", re.IGNORECASE)
_REPO_NAME = re.compile(r"^[0-9A-Fa-f-]{32,36}$")
_SHOWN_DRAFTS = 50
HOW_TO_AUTHENTICATE = (
    "HTTP basic auth with any user name and an API token as the password (a credential helper "
    "works), or git -c http.extraHeader='Authorization: Bearer <token>'"
)


def token_from_header(authorization: str | None) -> str:
    """The API token in a Bearer header, or the password of a Basic one."""
    if not authorization:
        raise Unauthorized(f"git needs credentials: {HOW_TO_AUTHENTICATE}")
    text = authorization.strip()
    bearer = _BEARER.match(text)
    if bearer:
        return bearer.group(1)
    basic = _BASIC.match(text)
    if basic is None:
        raise Unauthorized("the Authorization header must be 'Basic …' or 'Bearer <token>'")
    try:
        decoded = base64.b64decode(basic.group(1), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("the Basic credentials are not base64 of 'user:token'") from exc
    _user, _, token = decoded.partition(":")
    if not token:
        raise Unauthorized("send an API token as the password (the user name is ignored)")
    return token


def authenticate(container: Container, authorization: str | None) -> Principal:
    return container.principal_for(token_from_header(authorization))


def parse_repo_name(text: str) -> uuid.UUID:
    """The workflow id of ``<id>.git``: a parsed UUID, so no request names a path."""
    if not _REPO_NAME.fullmatch(text):
        raise WorkflowNotFound(f"{text[:64]!r} is not a workflow id")
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise WorkflowNotFound(f"{text[:64]!r} is not a workflow id") from exc


@dataclass(frozen=True)
class GitTarget:
    """One workflow's repository, found for a caller allowed to reach it."""

    workflow_id: uuid.UUID
    tenant_id: str
    path: Path

    @property
    def project_root(self) -> Path:
        """The tenant's folder: all ``git http-backend`` may see."""
        return self.path.parent


def locate(
    container: Container, principal: Principal, workflow_id: uuid.UUID, permission: Permission
) -> GitTarget:
    """The caller's workflow repository (healed first if git is ahead of the index)."""
    principal.require(permission)
    with container.uow(principal.tenant_id) as uow:
        workflow = load_workflow(uow, principal, workflow_id)
        repo = uow.repo(workflow.id)
    return GitTarget(workflow.id, workflow.tenant_id, repo.path)


def describe(
    *, container: Container, principal: Principal, workflow_id: uuid.UUID, base_url: str
) -> GitAccess:
    """The clone URL, the refs a push may update, and commands by example."""
    with container.uow(principal.tenant_id) as uow:
        workflow = load_workflow(uow, principal, workflow_id)
        drafts, _ = queries.list_versions(
            uow.session,
            workflow.tenant_id,
            workflow.id,
            status=VersionStatus.DRAFT.value,
            include_deleted=False,
            limit=_SHOWN_DRAFTS,
            cursor=None,
        )
    url = f"{(container.settings.public_url or base_url).rstrip('/')}/git/{workflow.id}.git"
    numbers = sorted(draft.version_number for draft in drafts)
    example = f"drafts/v{numbers[-1]}" if numbers else None
    return GitAccess(
        clone_url=url,
        auth=HOW_TO_AUTHENTICATE,
        pushable_refs=[*(draft_ref(n) for n in numbers), NEW_DRAFT_REF],
        notes_ref=NOTES_REF,
        commands=_commands(url, example),
    )


def _commands(url: str, draft: str | None) -> list[GitCommand]:
    """Commands by example; editing a draft is shown on the newest open one, if any."""
    header = 'git -c http.extraHeader="Authorization: Bearer $WFV_TOKEN"'
    helper = '!f() { echo username=wfv; echo "password=$WFV_TOKEN"; }; f'
    editing = (
        [
            GitCommand(
                purpose=f"edit a draft: commit workflow.json on {draft}, then push",
                command=f"git switch {draft} && git push origin HEAD:refs/heads/{draft}",
            )
        ]
        if draft
        else []
    )
    return [
        GitCommand(purpose="clone with a bearer token", command=f"{header} clone {url}"),
        GitCommand(
            purpose="or clone with a credential helper (basic auth, the token as password)",
            command=f"git -c credential.helper='{helper}' clone {url}",
        ),
        GitCommand(purpose="published versions, newest first", command="git log --oneline main"),
        GitCommand(purpose="one version's document", command="git show v1:workflow.json"),
        GitCommand(purpose="what changed between two versions", command="git diff v1 v2"),
        GitCommand(purpose="fetch the review notes", command="git fetch origin 'refs/notes/*:refs/notes/*'"),
        GitCommand(purpose="history with review notes", command="git log --notes=reviews main"),
        *editing,
        GitCommand(
            purpose="create a new draft from your commit",
            command="git push origin HEAD:refs/heads/drafts/new",
        ),
        GitCommand(purpose="pick up the commit wfv recorded for your push", command="git pull --ff-only"),
    ]
