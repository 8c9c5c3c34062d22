from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.revert_plan import RevertPlan
from ...models.revert_public import RevertPublic
from ...models.revert_request import RevertRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    body: RevertRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/migrations/{migration_id}/revert".format(
            workflow_id=quote(str(workflow_id), safe=""),
            migration_id=quote(str(migration_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RevertPlan | RevertPlan | RevertPublic:
    if response.status_code == 200:
        response_200 = RevertPlan.from_dict(response.json())

        return response_200

    if response.status_code == 202:

        def _parse_response_202(data: object) -> RevertPlan | RevertPublic:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_0 = RevertPublic.from_dict(data)

                return response_202_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_202_type_1 = RevertPlan.from_dict(data)

            return response_202_type_1

        response_202 = _parse_response_202(response.json())

        return response_202

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RevertPlan | RevertPlan | RevertPublic]:
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
    body: RevertRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | RevertPlan | RevertPlan | RevertPublic]:
    """Revert Migration

     Put back every execution the (finished) migration moved that has not moved since
    and is not pinned, on the worker in batches; `dry_run` counts and lists the others.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (RevertRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevertPlan | RevertPlan | RevertPublic]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
        body=body,
        idempotency_key=idempotency_key,
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
    body: RevertRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | RevertPlan | RevertPlan | RevertPublic | None:
    """Revert Migration

     Put back every execution the (finished) migration moved that has not moved since
    and is not pinned, on the worker in batches; `dry_run` counts and lists the others.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (RevertRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevertPlan | RevertPlan | RevertPublic
    """

    return sync_detailed(
        workflow_id=workflow_id,
        migration_id=migration_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RevertRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | RevertPlan | RevertPlan | RevertPublic]:
    """Revert Migration

     Put back every execution the (finished) migration moved that has not moved since
    and is not pinned, on the worker in batches; `dry_run` counts and lists the others.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (RevertRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevertPlan | RevertPlan | RevertPublic]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        migration_id=migration_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    migration_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RevertRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | RevertPlan | RevertPlan | RevertPublic | None:
    """Revert Migration

     Put back every execution the (finished) migration moved that has not moved since
    and is not pinned, on the worker in batches; `dry_run` counts and lists the others.

    Args:
        workflow_id (UUID):
        migration_id (UUID):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (RevertRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevertPlan | RevertPlan | RevertPublic
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            migration_id=migration_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
