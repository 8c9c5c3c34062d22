from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.list_items_outcome_type_0 import ListItemsOutcomeType0
from ...models.migration_item_list import MigrationItemList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    outcome: ListItemsOutcomeType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_outcome: None | str | Unset
    if isinstance(outcome, Unset):
        json_outcome = UNSET
    elif isinstance(outcome, ListItemsOutcomeType0):
        json_outcome = outcome.value
    else:
        json_outcome = outcome
    params["outcome"] = json_outcome

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
        "url": "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/items".format(
            workflow_id=quote(str(workflow_id), safe=""),
            migration_id=quote(str(migration_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MigrationItemList | Problem:
    if response.status_code == 200:
        response_200 = MigrationItemList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MigrationItemList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    outcome: ListItemsOutcomeType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[MigrationItemList | Problem]:
    """List Items

     The executions a migration did not move, one row each, with the reason.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        outcome (ListItemsOutcomeType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationItemList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
        outcome=outcome,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    outcome: ListItemsOutcomeType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> MigrationItemList | Problem | None:
    """List Items

     The executions a migration did not move, one row each, with the reason.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        outcome (ListItemsOutcomeType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationItemList | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        migration_id=migration_id,
        client=client,
        outcome=outcome,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    outcome: ListItemsOutcomeType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[MigrationItemList | Problem]:
    """List Items

     The executions a migration did not move, one row each, with the reason.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        outcome (ListItemsOutcomeType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationItemList | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
        outcome=outcome,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    outcome: ListItemsOutcomeType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> MigrationItemList | Problem | None:
    """List Items

     The executions a migration did not move, one row each, with the reason.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        outcome (ListItemsOutcomeType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationItemList | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            migration_id=migration_id,
            client=client,
            outcome=outcome,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
