from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.audit_list import AuditList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    version_id: None | Unset | UUID = UNSET,
    action: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_version_id: None | str | Unset
    if isinstance(version_id, Unset):
        json_version_id = UNSET
    elif isinstance(version_id, UUID):
        json_version_id = str(version_id)
    else:
        json_version_id = version_id
    params["version_id"] = json_version_id

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/audit".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditList | Problem:
    if response.status_code == 200:
        response_200 = AuditList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditList | Problem]:
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
    version_id: None | Unset | UUID = UNSET,
    action: None | str | Unset = UNSET,
) -> Response[AuditList | Problem]:
    """List Audit

     The workflow's audit entries, newest first (a deleted workflow's: for admins).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        version_id (None | Unset | UUID):
        action (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
        cursor=cursor,
        version_id=version_id,
        action=action,
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
    version_id: None | Unset | UUID = UNSET,
    action: None | str | Unset = UNSET,
) -> AuditList | Problem | None:
    """List Audit

     The workflow's audit entries, newest first (a deleted workflow's: for admins).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        version_id (None | Unset | UUID):
        action (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditList | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        limit=limit,
        cursor=cursor,
        version_id=version_id,
        action=action,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    version_id: None | Unset | UUID = UNSET,
    action: None | str | Unset = UNSET,
) -> Response[AuditList | Problem]:
    """List Audit

     The workflow's audit entries, newest first (a deleted workflow's: for admins).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        version_id (None | Unset | UUID):
        action (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
        cursor=cursor,
        version_id=version_id,
        action=action,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    version_id: None | Unset | UUID = UNSET,
    action: None | str | Unset = UNSET,
) -> AuditList | Problem | None:
    """List Audit

     The workflow's audit entries, newest first (a deleted workflow's: for admins).

    Args:
        workflow_id (UUID):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):
        version_id (None | Unset | UUID):
        action (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditList | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            limit=limit,
            cursor=cursor,
            version_id=version_id,
            action=action,
        )
    ).parsed
