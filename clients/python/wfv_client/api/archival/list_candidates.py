from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.archival_candidates import ArchivalCandidates
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_workflow_id: None | str | Unset
    if isinstance(workflow_id, Unset):
        json_workflow_id = UNSET
    elif isinstance(workflow_id, UUID):
        json_workflow_id = str(workflow_id)
    else:
        json_workflow_id = workflow_id
    params["workflow_id"] = json_workflow_id

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/workflows/archival-candidates",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ArchivalCandidates | Problem:
    if response.status_code == 200:
        response_200 = ArchivalCandidates.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ArchivalCandidates | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[ArchivalCandidates | Problem]:
    """List Candidates

     What a run now would archive, and near-misses with the one rule that keeps each.

    Args:
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArchivalCandidates | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> ArchivalCandidates | Problem | None:
    """List Candidates

     What a run now would archive, and near-misses with the one rule that keeps each.

    Args:
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArchivalCandidates | Problem
    """

    return sync_detailed(
        client=client,
        workflow_id=workflow_id,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[ArchivalCandidates | Problem]:
    """List Candidates

     What a run now would archive, and near-misses with the one rule that keeps each.

    Args:
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArchivalCandidates | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> ArchivalCandidates | Problem | None:
    """List Candidates

     What a run now would archive, and near-misses with the one rule that keeps each.

    Args:
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArchivalCandidates | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            workflow_id=workflow_id,
            limit=limit,
        )
    ).parsed
