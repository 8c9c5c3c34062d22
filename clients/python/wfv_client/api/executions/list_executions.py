from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.execution_list import ExecutionList
from ...models.list_executions_status_type_0 import ListExecutionsStatusType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    version: None | str | Unset = UNSET,
    status: ListExecutionsStatusType0 | None | Unset = UNSET,
    action: None | str | Unset = UNSET,
    migration: None | Unset | UUID = UNSET,
    contact: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_version: None | str | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListExecutionsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_migration: None | str | Unset
    if isinstance(migration, Unset):
        json_migration = UNSET
    elif isinstance(migration, UUID):
        json_migration = str(migration)
    else:
        json_migration = migration
    params["migration"] = json_migration

    json_contact: None | str | Unset
    if isinstance(contact, Unset):
        json_contact = UNSET
    else:
        json_contact = contact
    params["contact"] = json_contact

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/executions".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ExecutionList | Problem:
    if response.status_code == 200:
        response_200 = ExecutionList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ExecutionList | Problem]:
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
    version: None | str | Unset = UNSET,
    status: ListExecutionsStatusType0 | None | Unset = UNSET,
    action: None | str | Unset = UNSET,
    migration: None | Unset | UUID = UNSET,
    contact: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[ExecutionList | Problem]:
    """List Executions

     Executions, filtered by version (id or number), status, action, moving migration or
    contact (a contact that re-entered has several, each on the version it ran).

    Args:
        workflow_id (UUID):
        version (None | str | Unset):
        status (ListExecutionsStatusType0 | None | Unset):
        action (None | str | Unset):
        migration (None | Unset | UUID):
        contact (None | str | Unset): one contact's executions: every one it had here, on any
            version
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecutionList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        status=status,
        action=action,
        migration=migration,
        contact=contact,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    version: None | str | Unset = UNSET,
    status: ListExecutionsStatusType0 | None | Unset = UNSET,
    action: None | str | Unset = UNSET,
    migration: None | Unset | UUID = UNSET,
    contact: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> ExecutionList | Problem | None:
    """List Executions

     Executions, filtered by version (id or number), status, action, moving migration or
    contact (a contact that re-entered has several, each on the version it ran).

    Args:
        workflow_id (UUID):
        version (None | str | Unset):
        status (ListExecutionsStatusType0 | None | Unset):
        action (None | str | Unset):
        migration (None | Unset | UUID):
        contact (None | str | Unset): one contact's executions: every one it had here, on any
            version
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecutionList | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        version=version,
        status=status,
        action=action,
        migration=migration,
        contact=contact,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    version: None | str | Unset = UNSET,
    status: ListExecutionsStatusType0 | None | Unset = UNSET,
    action: None | str | Unset = UNSET,
    migration: None | Unset | UUID = UNSET,
    contact: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[ExecutionList | Problem]:
    """List Executions

     Executions, filtered by version (id or number), status, action, moving migration or
    contact (a contact that re-entered has several, each on the version it ran).

    Args:
        workflow_id (UUID):
        version (None | str | Unset):
        status (ListExecutionsStatusType0 | None | Unset):
        action (None | str | Unset):
        migration (None | Unset | UUID):
        contact (None | str | Unset): one contact's executions: every one it had here, on any
            version
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecutionList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        status=status,
        action=action,
        migration=migration,
        contact=contact,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    version: None | str | Unset = UNSET,
    status: ListExecutionsStatusType0 | None | Unset = UNSET,
    action: None | str | Unset = UNSET,
    migration: None | Unset | UUID = UNSET,
    contact: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> ExecutionList | Problem | None:
    """List Executions

     Executions, filtered by version (id or number), status, action, moving migration or
    contact (a contact that re-entered has several, each on the version it ran).

    Args:
        workflow_id (UUID):
        version (None | str | Unset):
        status (ListExecutionsStatusType0 | None | Unset):
        action (None | str | Unset):
        migration (None | Unset | UUID):
        contact (None | str | Unset): one contact's executions: every one it had here, on any
            version
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecutionList | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            version=version,
            status=status,
            action=action,
            migration=migration,
            contact=contact,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
