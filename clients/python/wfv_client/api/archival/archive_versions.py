from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.archival_run_public import ArchivalRunPublic
from ...models.archive_request import ArchiveRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ArchiveRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/workflows/archive-versions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ArchivalRunPublic | Problem:
    if response.status_code == 200:
        response_200 = ArchivalRunPublic.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ArchivalRunPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ArchiveRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ArchivalRunPublic | Problem]:
    """Archive Versions

     Run archival now in this tenant (or one workflow); `dry_run` only counts. A retry
    with the same ``Idempotency-Key`` gets the first run's record and starts no other run
    (the run commits workflow by workflow: its answer is kept once it is done).

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (ArchiveRequest): Run archival now for the caller's tenant (or one workflow);
            ``dry_run`` changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArchivalRunPublic | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ArchiveRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> ArchivalRunPublic | Problem | None:
    """Archive Versions

     Run archival now in this tenant (or one workflow); `dry_run` only counts. A retry
    with the same ``Idempotency-Key`` gets the first run's record and starts no other run
    (the run commits workflow by workflow: its answer is kept once it is done).

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (ArchiveRequest): Run archival now for the caller's tenant (or one workflow);
            ``dry_run`` changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArchivalRunPublic | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ArchiveRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ArchivalRunPublic | Problem]:
    """Archive Versions

     Run archival now in this tenant (or one workflow); `dry_run` only counts. A retry
    with the same ``Idempotency-Key`` gets the first run's record and starts no other run
    (the run commits workflow by workflow: its answer is kept once it is done).

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (ArchiveRequest): Run archival now for the caller's tenant (or one workflow);
            ``dry_run`` changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArchivalRunPublic | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ArchiveRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> ArchivalRunPublic | Problem | None:
    """Archive Versions

     Run archival now in this tenant (or one workflow); `dry_run` only counts. A retry
    with the same ``Idempotency-Key`` gets the first run's record and starts no other run
    (the run commits workflow by workflow: its answer is kept once it is done).

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (ArchiveRequest): Run archival now for the caller's tenant (or one workflow);
            ``dry_run`` changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArchivalRunPublic | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
