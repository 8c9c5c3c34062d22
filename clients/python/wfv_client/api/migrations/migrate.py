from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.migration_create import MigrationCreate
from ...models.migration_plan import MigrationPlan
from ...models.migration_public import MigrationPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    version: str,
    *,
    body: MigrationCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/versions/{version}/migrate".format(
            workflow_id=quote(str(workflow_id), safe=""),
            version=quote(str(version), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MigrationPlan | MigrationPlan | MigrationPublic | Problem:
    if response.status_code == 200:
        response_200 = MigrationPlan.from_dict(response.json())

        return response_200

    if response.status_code == 202:

        def _parse_response_202(data: object) -> MigrationPlan | MigrationPublic:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_0 = MigrationPublic.from_dict(data)

                return response_202_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_202_type_1 = MigrationPlan.from_dict(data)

            return response_202_type_1

        response_202 = _parse_response_202(response.json())

        return response_202

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MigrationPlan | MigrationPlan | MigrationPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[MigrationPlan | MigrationPlan | MigrationPublic | Problem]:
    """Migrate

     Move executions of `from_versions` to this (active) version; `dry_run` only plans.

    Args:
        workflow_id (UUID):
        version (str):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (MigrationCreate): ``unmapped``: ``fail`` (the execution stays and is reported),
            ``exit``, or ``to:<action>``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationPlan | MigrationPlan | MigrationPublic | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> MigrationPlan | MigrationPlan | MigrationPublic | Problem | None:
    """Migrate

     Move executions of `from_versions` to this (active) version; `dry_run` only plans.

    Args:
        workflow_id (UUID):
        version (str):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (MigrationCreate): ``unmapped``: ``fail`` (the execution stays and is reported),
            ``exit``, or ``to:<action>``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationPlan | MigrationPlan | MigrationPublic | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        version=version,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[MigrationPlan | MigrationPlan | MigrationPublic | Problem]:
    """Migrate

     Move executions of `from_versions` to this (active) version; `dry_run` only plans.

    Args:
        workflow_id (UUID):
        version (str):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (MigrationCreate): ``unmapped``: ``fail`` (the execution stays and is reported),
            ``exit``, or ``to:<action>``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MigrationPlan | MigrationPlan | MigrationPublic | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    body: MigrationCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> MigrationPlan | MigrationPlan | MigrationPublic | Problem | None:
    """Migrate

     Move executions of `from_versions` to this (active) version; `dry_run` only plans.

    Args:
        workflow_id (UUID):
        version (str):
        idempotency_key (None | str | Unset): Any unique string up to 255 printable ASCII
            characters (a UUID): the same request sent again with the same key within 24 h gets the
            first answer, and is not done twice. See docs/api-conventions.md.
        body (MigrationCreate): ``unmapped``: ``fail`` (the execution stays and is reported),
            ``exit``, or ``to:<action>``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MigrationPlan | MigrationPlan | MigrationPublic | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            version=version,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
