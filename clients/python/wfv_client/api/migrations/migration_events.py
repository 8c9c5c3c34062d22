from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    workflow_id: UUID,
    migration_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/events".format(
            workflow_id=quote(str(workflow_id), safe=""),
            migration_id=quote(str(migration_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
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
) -> Response[Any | Problem]:
    """Migration Events

     Live progress as server-sent events (`progress`, then `done`), for the UI; `end`
    (with its reason) when the token expires or after an hour: reconnect with a fresh token.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
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
) -> Any | Problem | None:
    """Migration Events

     Live progress as server-sent events (`progress`, then `done`), for the UI; `end`
    (with its reason) when the token expires or after an hour: reconnect with a fresh token.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        migration_id=migration_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Any | Problem]:
    """Migration Events

     Live progress as server-sent events (`progress`, then `done`), for the UI; `end`
    (with its reason) when the token expires or after an hour: reconnect with a fresh token.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Any | Problem | None:
    """Migration Events

     Live progress as server-sent events (`progress`, then `done`), for the UI; `end`
    (with its reason) when the token expires or after an hour: reconnect with a fresh token.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            migration_id=migration_id,
            client=client,
        )
    ).parsed
