from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.download_report_format import DownloadReportFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    run_id: UUID,
    *,
    format_: DownloadReportFormat | Unset = DownloadReportFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/workflows/archival-runs/{run_id}/report".format(
            run_id=quote(str(run_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: DownloadReportFormat | Unset = DownloadReportFormat.JSON,
) -> Response[Any | Problem]:
    """Download Report

     A finished run's report (archived versions; per rule, the versions kept), streamed.

    Args:
        run_id (UUID):
        format_ (DownloadReportFormat | Unset):  Default: DownloadReportFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: DownloadReportFormat | Unset = DownloadReportFormat.JSON,
) -> Any | Problem | None:
    """Download Report

     A finished run's report (archived versions; per rule, the versions kept), streamed.

    Args:
        run_id (UUID):
        format_ (DownloadReportFormat | Unset):  Default: DownloadReportFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        run_id=run_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: DownloadReportFormat | Unset = DownloadReportFormat.JSON,
) -> Response[Any | Problem]:
    """Download Report

     A finished run's report (archived versions; per rule, the versions kept), streamed.

    Args:
        run_id (UUID):
        format_ (DownloadReportFormat | Unset):  Default: DownloadReportFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: DownloadReportFormat | Unset = DownloadReportFormat.JSON,
) -> Any | Problem | None:
    """Download Report

     A finished run's report (archived versions; per rule, the versions kept), streamed.

    Args:
        run_id (UUID):
        format_ (DownloadReportFormat | Unset):  Default: DownloadReportFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            run_id=run_id,
            client=client,
            format_=format_,
        )
    ).parsed
