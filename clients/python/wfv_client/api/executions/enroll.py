from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.enroll_request import EnrollRequest
from ...models.enroll_result import EnrollResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    body: EnrollRequest,
    assignments: bool | Unset = False,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    params: dict[str, Any] = {}

    params["assignments"] = assignments

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/executions".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnrollResult | Problem:
    if response.status_code == 201:
        response_201 = EnrollResult.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EnrollResult | Problem]:
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
    body: EnrollRequest,
    assignments: bool | Unset = False,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[EnrollResult | Problem]:
    """Enroll

     Enrol up to 10,000 contacts on the current version, at the trigger's first action;
    while a guarded rollout is not over, each new contact gets the version its stable hash
    gives (docs/rollouts.md). `by_version` says how many went to each.

    Args:
        workflow_id (UUID):
        assignments (bool | Unset): also list the version each newly enrolled contact went to
            Default: False.
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (EnrollRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnrollResult | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        body=body,
        assignments=assignments,
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
    body: EnrollRequest,
    assignments: bool | Unset = False,
    idempotency_key: None | str | Unset = UNSET,
) -> EnrollResult | Problem | None:
    """Enroll

     Enrol up to 10,000 contacts on the current version, at the trigger's first action;
    while a guarded rollout is not over, each new contact gets the version its stable hash
    gives (docs/rollouts.md). `by_version` says how many went to each.

    Args:
        workflow_id (UUID):
        assignments (bool | Unset): also list the version each newly enrolled contact went to
            Default: False.
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (EnrollRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnrollResult | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        body=body,
        assignments=assignments,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    body: EnrollRequest,
    assignments: bool | Unset = False,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[EnrollResult | Problem]:
    """Enroll

     Enrol up to 10,000 contacts on the current version, at the trigger's first action;
    while a guarded rollout is not over, each new contact gets the version its stable hash
    gives (docs/rollouts.md). `by_version` says how many went to each.

    Args:
        workflow_id (UUID):
        assignments (bool | Unset): also list the version each newly enrolled contact went to
            Default: False.
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (EnrollRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnrollResult | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        body=body,
        assignments=assignments,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    body: EnrollRequest,
    assignments: bool | Unset = False,
    idempotency_key: None | str | Unset = UNSET,
) -> EnrollResult | Problem | None:
    """Enroll

     Enrol up to 10,000 contacts on the current version, at the trigger's first action;
    while a guarded rollout is not over, each new contact gets the version its stable hash
    gives (docs/rollouts.md). `by_version` says how many went to each.

    Args:
        workflow_id (UUID):
        assignments (bool | Unset): also list the version each newly enrolled contact went to
            Default: False.
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (EnrollRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnrollResult | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            body=body,
            assignments=assignments,
            idempotency_key=idempotency_key,
        )
    ).parsed
