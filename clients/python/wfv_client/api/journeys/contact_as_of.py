import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.as_of import AsOf
from ...models.problem import Problem
from ...types import UNSET, Response


def _get_kwargs(
    workflow_id: UUID,
    contact_id: str,
    *,
    at: datetime.datetime,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_at = at.isoformat()
    params["at"] = json_at

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/contacts/{contact_id}/as-of".format(
            workflow_id=quote(str(workflow_id), safe=""),
            contact_id=quote(str(contact_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AsOf | Problem:
    if response.status_code == 200:
        response_200 = AsOf.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AsOf | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: UUID,
    contact_id: str,
    *,
    client: AuthenticatedClient,
    at: datetime.datetime,
) -> Response[AsOf | Problem]:
    """Contact As Of

     Where the contact was at `at`: version, commit, action and status, and the event
    that put it there; `left` when its execution had ended by then. 404 before its first
    event (or past the retention).

    Args:
        workflow_id (UUID):
        contact_id (str):
        at (datetime.datetime): the instant, ISO 8601 with an offset

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AsOf | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        contact_id=contact_id,
        at=at,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    contact_id: str,
    *,
    client: AuthenticatedClient,
    at: datetime.datetime,
) -> AsOf | Problem | None:
    """Contact As Of

     Where the contact was at `at`: version, commit, action and status, and the event
    that put it there; `left` when its execution had ended by then. 404 before its first
    event (or past the retention).

    Args:
        workflow_id (UUID):
        contact_id (str):
        at (datetime.datetime): the instant, ISO 8601 with an offset

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AsOf | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        contact_id=contact_id,
        client=client,
        at=at,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    contact_id: str,
    *,
    client: AuthenticatedClient,
    at: datetime.datetime,
) -> Response[AsOf | Problem]:
    """Contact As Of

     Where the contact was at `at`: version, commit, action and status, and the event
    that put it there; `left` when its execution had ended by then. 404 before its first
    event (or past the retention).

    Args:
        workflow_id (UUID):
        contact_id (str):
        at (datetime.datetime): the instant, ISO 8601 with an offset

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AsOf | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        contact_id=contact_id,
        at=at,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    contact_id: str,
    *,
    client: AuthenticatedClient,
    at: datetime.datetime,
) -> AsOf | Problem | None:
    """Contact As Of

     Where the contact was at `at`: version, commit, action and status, and the event
    that put it there; `left` when its execution had ended by then. 404 before its first
    event (or past the retention).

    Args:
        workflow_id (UUID):
        contact_id (str):
        at (datetime.datetime): the instant, ISO 8601 with an offset

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AsOf | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            contact_id=contact_id,
            client=client,
            at=at,
        )
    ).parsed
