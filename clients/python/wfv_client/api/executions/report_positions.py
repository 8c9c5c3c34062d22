from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.positions_request import PositionsRequest
from ...models.positions_result import PositionsResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    body: PositionsRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/executions/positions".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PositionsResult | Problem:
    if response.status_code == 200:
        response_200 = PositionsResult.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PositionsResult | Problem]:
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
    body: PositionsRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PositionsResult | Problem]:
    """Report Positions

     Report where contacts are now, each move checked against its execution's version
    (all or nothing), and against its base if it names one: a stale move is refused alone
    and answered with where its execution is now (docs/engine-contract.md).

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PositionsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PositionsResult | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PositionsRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> PositionsResult | Problem | None:
    """Report Positions

     Report where contacts are now, each move checked against its execution's version
    (all or nothing), and against its base if it names one: a stale move is refused alone
    and answered with where its execution is now (docs/engine-contract.md).

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PositionsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PositionsResult | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PositionsRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PositionsResult | Problem]:
    """Report Positions

     Report where contacts are now, each move checked against its execution's version
    (all or nothing), and against its base if it names one: a stale move is refused alone
    and answered with where its execution is now (docs/engine-contract.md).

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PositionsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PositionsResult | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PositionsRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> PositionsResult | Problem | None:
    """Report Positions

     Report where contacts are now, each move checked against its execution's version
    (all or nothing), and against its base if it names one: a stale move is refused alone
    and answered with where its execution is now (docs/engine-contract.md).

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PositionsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PositionsResult | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
