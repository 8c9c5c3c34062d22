from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.workflow_create import WorkflowCreate
from ...models.workflow_created import WorkflowCreated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WorkflowCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkflowCreated:
    if response.status_code == 201:
        response_201 = WorkflowCreated.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WorkflowCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkflowCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | WorkflowCreated]:
    """Create Workflow

     Create a workflow, its git repository and version 1 as a draft.

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowCreated]
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
    body: WorkflowCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | WorkflowCreated | None:
    """Create Workflow

     Create a workflow, its git repository and version 1 as a draft.

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowCreated
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkflowCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | WorkflowCreated]:
    """Create Workflow

     Create a workflow, its git repository and version 1 as a draft.

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowCreated]
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
    body: WorkflowCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | WorkflowCreated | None:
    """Create Workflow

     Create a workflow, its git repository and version 1 as a draft.

    Args:
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
