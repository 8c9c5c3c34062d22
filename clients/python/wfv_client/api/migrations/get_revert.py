from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.revert_public import RevertPublic
from ...types import Response


def _get_kwargs(
    workflow_id: UUID,
    migration_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/revert".format(
            workflow_id=quote(str(workflow_id), safe=""),
            migration_id=quote(str(migration_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RevertPublic:
    if response.status_code == 200:
        response_200 = RevertPublic.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RevertPublic]:
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
) -> Response[Problem | RevertPublic]:
    """Get Revert

     The migration's revert: status and counts.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevertPublic]
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
) -> Problem | RevertPublic | None:
    """Get Revert

     The migration's revert: status and counts.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevertPublic
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
) -> Response[Problem | RevertPublic]:
    """Get Revert

     The migration's revert: status and counts.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevertPublic]
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
) -> Problem | RevertPublic | None:
    """Get Revert

     The migration's revert: status and counts.

    Args:
        workflow_id (UUID):
        migration_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevertPublic
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            migration_id=migration_id,
            client=client,
        )
    ).parsed
