from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.pin_request import PinRequest
from ...models.pin_result import PinResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    body: PinRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/pins".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PinResult | Problem:
    if response.status_code == 200:
        response_200 = PinResult.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PinResult | Problem]:
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
    body: PinRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PinResult | Problem]:
    """Pin Contacts

     Pin up to 10,000 contacts to the version their live execution is on (a contact
    with none is pinned all the same); migrations, reverts and a rollout's migrate-back
    leave pinned contacts where they are. Already pinned: unchanged.

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PinRequest): The contacts to pin (``POST …/pins``) or to unpin (``POST
            …/pins/delete``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PinResult | Problem]
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
    body: PinRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> PinResult | Problem | None:
    """Pin Contacts

     Pin up to 10,000 contacts to the version their live execution is on (a contact
    with none is pinned all the same); migrations, reverts and a rollout's migrate-back
    leave pinned contacts where they are. Already pinned: unchanged.

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PinRequest): The contacts to pin (``POST …/pins``) or to unpin (``POST
            …/pins/delete``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PinResult | Problem
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
    body: PinRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[PinResult | Problem]:
    """Pin Contacts

     Pin up to 10,000 contacts to the version their live execution is on (a contact
    with none is pinned all the same); migrations, reverts and a rollout's migrate-back
    leave pinned contacts where they are. Already pinned: unchanged.

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PinRequest): The contacts to pin (``POST …/pins``) or to unpin (``POST
            …/pins/delete``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PinResult | Problem]
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
    body: PinRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> PinResult | Problem | None:
    """Pin Contacts

     Pin up to 10,000 contacts to the version their live execution is on (a contact
    with none is pinned all the same); migrations, reverts and a rollout's migrate-back
    leave pinned contacts where they are. Already pinned: unchanged.

    Args:
        workflow_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (PinRequest): The contacts to pin (``POST …/pins``) or to unpin (``POST
            …/pins/delete``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PinResult | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
