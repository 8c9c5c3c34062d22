from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.change_page import ChangePage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: None | str | Unset = UNSET,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    json_workflow_id: None | str | Unset
    if isinstance(workflow_id, Unset):
        json_workflow_id = UNSET
    elif isinstance(workflow_id, UUID):
        json_workflow_id = str(workflow_id)
    else:
        json_workflow_id = workflow_id
    params["workflow_id"] = json_workflow_id

    params["limit"] = limit

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/executions/changes",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChangePage | Problem:
    if response.status_code == 200:
        response_200 = ChangePage.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChangePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,
) -> Response[ChangePage | Problem]:
    """Execution Changes

     Every change of position wfv itself made (migration moves and exits, reverts), in
    commit order after `after` (from the oldest kept without it), tenant-wide or for
    `workflow_id`; `next_cursor` goes on from there. With `wait`, an empty answer waits up
    to that many seconds and returns as soon as a change commits (docs/engine-contract.md).

    Args:
        after (None | str | Unset): a cursor from this feed
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.
        wait (float | Unset): seconds to wait for a change when none is there Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChangePage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        workflow_id=workflow_id,
        limit=limit,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,
) -> ChangePage | Problem | None:
    """Execution Changes

     Every change of position wfv itself made (migration moves and exits, reverts), in
    commit order after `after` (from the oldest kept without it), tenant-wide or for
    `workflow_id`; `next_cursor` goes on from there. With `wait`, an empty answer waits up
    to that many seconds and returns as soon as a change commits (docs/engine-contract.md).

    Args:
        after (None | str | Unset): a cursor from this feed
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.
        wait (float | Unset): seconds to wait for a change when none is there Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChangePage | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        workflow_id=workflow_id,
        limit=limit,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,
) -> Response[ChangePage | Problem]:
    """Execution Changes

     Every change of position wfv itself made (migration moves and exits, reverts), in
    commit order after `after` (from the oldest kept without it), tenant-wide or for
    `workflow_id`; `next_cursor` goes on from there. With `wait`, an empty answer waits up
    to that many seconds and returns as soon as a change commits (docs/engine-contract.md).

    Args:
        after (None | str | Unset): a cursor from this feed
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.
        wait (float | Unset): seconds to wait for a change when none is there Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChangePage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        workflow_id=workflow_id,
        limit=limit,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: None | str | Unset = UNSET,
    workflow_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
    wait: float | Unset = 0.0,
) -> ChangePage | Problem | None:
    """Execution Changes

     Every change of position wfv itself made (migration moves and exits, reverts), in
    commit order after `after` (from the oldest kept without it), tenant-wide or for
    `workflow_id`; `next_cursor` goes on from there. With `wait`, an empty answer waits up
    to that many seconds and returns as soon as a change commits (docs/engine-contract.md).

    Args:
        after (None | str | Unset): a cursor from this feed
        workflow_id (None | Unset | UUID):
        limit (int | Unset):  Default: 100.
        wait (float | Unset): seconds to wait for a change when none is there Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChangePage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            workflow_id=workflow_id,
            limit=limit,
            wait=wait,
        )
    ).parsed
