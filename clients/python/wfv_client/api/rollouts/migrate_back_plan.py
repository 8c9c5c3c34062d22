from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.migration_plan import MigrationPlan
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    unmapped: str | Unset = "fail",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["unmapped"] = unmapped

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/rollout/migrate-back".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MigrationPlan | Problem:
    if response.status_code == 200:
        response_200 = MigrationPlan.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MigrationPlan | Problem]:
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
    unmapped: str | Unset = "fail",
) -> Response[MigrationPlan | Problem]:
    """Migrate Back Plan

     The dry run of migrating the rollout's target's live contacts back to its baseline
    (by action id; ``unmapped`` as a migration takes it): what ``guard.migrate_back`` does
    on a halt. Changes nothing.

    Args:
        workflow_id (UUID):
        unmapped (str | Unset):  Default: 'fail'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationPlan | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        unmapped=unmapped,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    unmapped: str | Unset = "fail",
) -> MigrationPlan | Problem | None:
    """Migrate Back Plan

     The dry run of migrating the rollout's target's live contacts back to its baseline
    (by action id; ``unmapped`` as a migration takes it): what ``guard.migrate_back`` does
    on a halt. Changes nothing.

    Args:
        workflow_id (UUID):
        unmapped (str | Unset):  Default: 'fail'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationPlan | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        unmapped=unmapped,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    unmapped: str | Unset = "fail",
) -> Response[MigrationPlan | Problem]:
    """Migrate Back Plan

     The dry run of migrating the rollout's target's live contacts back to its baseline
    (by action id; ``unmapped`` as a migration takes it): what ``guard.migrate_back`` does
    on a halt. Changes nothing.

    Args:
        workflow_id (UUID):
        unmapped (str | Unset):  Default: 'fail'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationPlan | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        unmapped=unmapped,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    unmapped: str | Unset = "fail",
) -> MigrationPlan | Problem | None:
    """Migrate Back Plan

     The dry run of migrating the rollout's target's live contacts back to its baseline
    (by action id; ``unmapped`` as a migration takes it): what ``guard.migrate_back`` does
    on a halt. Changes nothing.

    Args:
        workflow_id (UUID):
        unmapped (str | Unset):  Default: 'fail'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationPlan | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            unmapped=unmapped,
        )
    ).parsed
