from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.compare_versions_format import CompareVersionsFormat
from ...models.problem import Problem
from ...models.version_comparison import VersionComparison
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    *,
    format_: CompareVersionsFormat | Unset = CompareVersionsFormat.JSON,
    from_: str,
    to: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["from"] = from_

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/versions/compare".format(
            workflow_id=quote(str(workflow_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VersionComparison:
    if response.status_code == 200:
        response_200 = VersionComparison.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | VersionComparison]:
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
    format_: CompareVersionsFormat | Unset = CompareVersionsFormat.JSON,
    from_: str,
    to: str,
) -> Response[Problem | VersionComparison]:
    """Compare Versions

     Compare two versions (ids or numbers): changes per part, classification, breaking impact.

    Args:
        workflow_id (UUID):
        format_ (CompareVersionsFormat | Unset):  Default: CompareVersionsFormat.JSON.
        from_ (str):
        to (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionComparison]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        format_=format_,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CompareVersionsFormat | Unset = CompareVersionsFormat.JSON,
    from_: str,
    to: str,
) -> Problem | VersionComparison | None:
    """Compare Versions

     Compare two versions (ids or numbers): changes per part, classification, breaking impact.

    Args:
        workflow_id (UUID):
        format_ (CompareVersionsFormat | Unset):  Default: CompareVersionsFormat.JSON.
        from_ (str):
        to (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionComparison
    """

    return sync_detailed(
        workflow_id=workflow_id,
        client=client,
        format_=format_,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CompareVersionsFormat | Unset = CompareVersionsFormat.JSON,
    from_: str,
    to: str,
) -> Response[Problem | VersionComparison]:
    """Compare Versions

     Compare two versions (ids or numbers): changes per part, classification, breaking impact.

    Args:
        workflow_id (UUID):
        format_ (CompareVersionsFormat | Unset):  Default: CompareVersionsFormat.JSON.
        from_ (str):
        to (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VersionComparison]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        format_=format_,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CompareVersionsFormat | Unset = CompareVersionsFormat.JSON,
    from_: str,
    to: str,
) -> Problem | VersionComparison | None:
    """Compare Versions

     Compare two versions (ids or numbers): changes per part, classification, breaking impact.

    Args:
        workflow_id (UUID):
        format_ (CompareVersionsFormat | Unset):  Default: CompareVersionsFormat.JSON.
        from_ (str):
        to (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VersionComparison
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            client=client,
            format_=format_,
            from_=from_,
            to=to,
        )
    ).parsed
