from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.version_list import VersionList
from ...models.version_status import VersionStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: None | Unset | VersionStatus = UNSET,
    include_deleted: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, VersionStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["include_deleted"] = include_deleted

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/versions".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VersionList:
    if response.status_code == 200:
        response_200 = VersionList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | VersionList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: None | Unset | VersionStatus = UNSET,
    include_deleted: bool | Unset = False,
) -> Response[Problem | VersionList]:
    """List Versions

     List versions newest first (cursor pagination, optional status filter).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        status (None | Unset | VersionStatus):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionList]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
        cursor=cursor,
        status=status,
        include_deleted=include_deleted,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: None | Unset | VersionStatus = UNSET,
    include_deleted: bool | Unset = False,
) -> Problem | VersionList | None:
    """List Versions

     List versions newest first (cursor pagination, optional status filter).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        status (None | Unset | VersionStatus):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionList
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        limit=limit,
        cursor=cursor,
        status=status,
        include_deleted=include_deleted,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: None | Unset | VersionStatus = UNSET,
    include_deleted: bool | Unset = False,
) -> Response[Problem | VersionList]:
    """List Versions

     List versions newest first (cursor pagination, optional status filter).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        status (None | Unset | VersionStatus):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionList]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
        cursor=cursor,
        status=status,
        include_deleted=include_deleted,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: None | Unset | VersionStatus = UNSET,
    include_deleted: bool | Unset = False,
) -> Problem | VersionList | None:
    """List Versions

     List versions newest first (cursor pagination, optional status filter).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        status (None | Unset | VersionStatus):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionList
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            limit=limit,
            cursor=cursor,
            status=status,
            include_deleted=include_deleted,
        )
    ).parsed
