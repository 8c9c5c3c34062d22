from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.draft_save import DraftSave
from ...models.draft_saved import DraftSaved
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    workflow_id: UUID,
    version: str,
    *,
    body: DraftSave,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/versions/{version}/draft".format(
            workflow_id=quote(str(workflow_id), safe=""),
            version=quote(str(version), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DraftSaved | Problem:
    if response.status_code == 200:
        response_200 = DraftSaved.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DraftSaved | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: DraftSave,
) -> Response[DraftSaved | Problem]:
    """Save Draft

     Auto-save your working copy: a whole `definition` or a JSON merge `patch`, and its base `revision`.

    The working copy may be incomplete or invalid (it is what the editor holds); it is
    bounded by the format's size limits, and validated when the draft is committed.

    Args:
        workflow_id (UUID):
        version (str):
        body (DraftSave): One auto-save: the whole working copy, or an RFC 7386 merge patch
            against the save
            numbered ``revision`` (0: against the version itself). Either may leave the document
            incomplete or invalid; committing the draft validates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DraftSaved | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: DraftSave,
) -> DraftSaved | Problem | None:
    """Save Draft

     Auto-save your working copy: a whole `definition` or a JSON merge `patch`, and its base `revision`.

    The working copy may be incomplete or invalid (it is what the editor holds); it is
    bounded by the format's size limits, and validated when the draft is committed.

    Args:
        workflow_id (UUID):
        version (str):
        body (DraftSave): One auto-save: the whole working copy, or an RFC 7386 merge patch
            against the save
            numbered ``revision`` (0: against the version itself). Either may leave the document
            incomplete or invalid; committing the draft validates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DraftSaved | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        version=version,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: DraftSave,
) -> Response[DraftSaved | Problem]:
    """Save Draft

     Auto-save your working copy: a whole `definition` or a JSON merge `patch`, and its base `revision`.

    The working copy may be incomplete or invalid (it is what the editor holds); it is
    bounded by the format's size limits, and validated when the draft is committed.

    Args:
        workflow_id (UUID):
        version (str):
        body (DraftSave): One auto-save: the whole working copy, or an RFC 7386 merge patch
            against the save
            numbered ``revision`` (0: against the version itself). Either may leave the document
            incomplete or invalid; committing the draft validates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DraftSaved | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: DraftSave,
) -> DraftSaved | Problem | None:
    """Save Draft

     Auto-save your working copy: a whole `definition` or a JSON merge `patch`, and its base `revision`.

    The working copy may be incomplete or invalid (it is what the editor holds); it is
    bounded by the format's size limits, and validated when the draft is committed.

    Args:
        workflow_id (UUID):
        version (str):
        body (DraftSave): One auto-save: the whole working copy, or an RFC 7386 merge patch
            against the save
            numbered ``revision`` (0: against the version itself). Either may leave the document
            incomplete or invalid; committing the draft validates it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DraftSaved | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            version=version,
            client=client,
            body=body,
        )
    ).parsed
