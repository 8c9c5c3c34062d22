"""git over smart HTTP (``/git/<workflow_id>.git``) and where the API tells the way there.

The protocol routes are for git, not people: they are left out of the OpenAPI document,
and an authentication failure challenges with ``Basic`` so git asks its credential helper.
"""

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from schemas.git import GitAccess
from service.api.budgets import Budget, charge_request, charged_as
from service.api.deps import ContainerDep, Reader
from service.api.problems import problem_response
from service.auth import Permission, Principal
from service.errors import Problem, Unauthorized
from service.git import access as git_access
from service.git import http_backend as git_http
from service.git import push as git_push
from service.git import wants as git_wants

NO_CACHE = {"Cache-Control": "no-cache, max-age=0, must-revalidate", "Pragma": "no-cache"}


class InvalidService(Problem):
    status_code, title, slug = 403, "Smart HTTP only", "git-service-refused"


class GitRoute(APIRoute):
    """A 401 here challenges ``Basic`` (git prompts or asks its helper) and ``Bearer``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def challenge_on_401(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthorized as exc:
                response = problem_response(exc.status_code, exc.title, exc.slug, exc.detail)
                response.headers["WWW-Authenticate"] = 'Basic realm="wfv", charset="UTF-8"'
                response.headers.append("WWW-Authenticate", 'Bearer realm="wfv"')
                return response

        return challenge_on_401


async def git_principal(
    request: Request, container: ContainerDep, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The caller (verified in a worker thread: it may fetch the identity provider's keys),
    charged to its tenant: fetch and clone as reads, push as a write."""
    principal = await run_in_threadpool(git_access.authenticate, container, authorization)
    await charge_request(request, principal)
    return principal


GitCaller = Annotated[Principal, Depends(git_principal)]
protocol = APIRouter(prefix="/git", tags=["git"], route_class=GitRoute, include_in_schema=False)
router = APIRouter(tags=["git"])


async def _target(
    container: ContainerDep, principal: Principal, workflow_id: str, permission: Permission
) -> git_access.GitTarget:
    wid = git_access.parse_repo_name(workflow_id)
    return await run_in_threadpool(git_access.locate, container, principal, wid, permission)


@protocol.get("/{workflow_id}.git/info/refs")
async def info_refs(
    workflow_id: str, request: Request, principal: GitCaller, container: ContainerDep, service: str = ""
) -> Response:
    """The ref advertisement: clone/fetch needs workflows:read, push workflows:edit."""
    if service not in (git_http.UPLOAD_PACK, git_http.RECEIVE_PACK):
        raise InvalidService("only git's smart HTTP protocol is served (git 1.6.6 or newer)")
    permission = Permission.EDIT if service == git_http.RECEIVE_PACK else Permission.READ
    target = await _target(container, principal, workflow_id, permission)
    if service == git_http.RECEIVE_PACK:
        body = await run_in_threadpool(git_push.advertise, container, target)
        return Response(body, media_type=f"application/x-{service}-advertisement", headers=NO_CACHE)
    env = git_http.backend_env(target, request, path_info="info/refs", body=b"", user=principal.user_id)
    return await git_http.serve_upload_pack(env, b"")


@protocol.post("/{workflow_id}.git/git-upload-pack")
@charged_as(Budget.READS)
async def upload_pack(
    workflow_id: str, request: Request, principal: GitCaller, container: ContainerDep
) -> Response:
    """Clone and fetch, answered by git's own upload-pack, streamed, of what refs reach."""
    target = await _target(container, principal, workflow_id, Permission.READ)
    git_http.require_content_type(request, git_http.UPLOAD_PACK)
    # A fetch asks (wants, haves, options): small, whatever the repository's size.
    limit = container.settings.git_max_fetch_bytes
    body = await git_http.read_body(request, limit, "WFV_GIT_MAX_FETCH_BYTES")
    refused = await run_in_threadpool(git_wants.refusal, target.path, body)
    if refused is not None:
        return Response(refused, media_type=f"application/x-{git_http.UPLOAD_PACK}-result", headers=NO_CACHE)
    env = git_http.backend_env(
        target, request, path_info=git_http.UPLOAD_PACK, body=body, user=principal.user_id
    )
    return await git_http.serve_upload_pack(env, body)


@protocol.post("/{workflow_id}.git/git-receive-pack")
async def receive_pack(
    workflow_id: str, request: Request, principal: GitCaller, container: ContainerDep
) -> Response:
    """A push to a draft: checked, then recorded as an edit (or a new draft)."""
    target = await _target(container, principal, workflow_id, Permission.EDIT)
    git_http.require_content_type(request, git_http.RECEIVE_PACK)
    limit = container.settings.git_max_push_bytes
    body = await git_http.read_body(request, limit, "WFV_GIT_MAX_PUSH_BYTES")
    answer = await run_in_threadpool(
        lambda: git_push.receive(container=container, principal=principal, target=target, body=body)
    )
    return Response(answer, media_type="application/x-git-receive-pack-result", headers=NO_CACHE)


@router.get("/api/v1/workflows/{workflow_id}/git", response_model=GitAccess)
def git_info(
    workflow_id: uuid.UUID, principal: Reader, container: ContainerDep, request: Request
) -> GitAccess:
    """How to clone this workflow's history with git, and which branches accept pushes."""
    return git_access.describe(
        container=container, principal=principal, workflow_id=workflow_id, base_url=str(request.base_url)
    )


router.include_router(protocol)
