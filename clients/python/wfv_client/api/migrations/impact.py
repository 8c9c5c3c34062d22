from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.impact_bucket_type_0 import ImpactBucketType0
from ...models.impact_preview import ImpactPreview
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workflow_id: UUID,
    version: str,
    *,
    from_: list[str],
    map_: list[str] | None | Unset = UNSET,
    unmapped: str | Unset = "fail",
    bucket: ImpactBucketType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_

    params["from"] = json_from_

    json_map_: list[str] | None | Unset
    if isinstance(map_, Unset):
        json_map_ = UNSET
    elif isinstance(map_, list):
        json_map_ = map_

    else:
        json_map_ = map_
    params["map"] = json_map_

    params["unmapped"] = unmapped

    json_bucket: None | str | Unset
    if isinstance(bucket, Unset):
        json_bucket = UNSET
    elif isinstance(bucket, ImpactBucketType0):
        json_bucket = bucket.value
    else:
        json_bucket = bucket
    params["bucket"] = json_bucket

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}/versions/{version}/impact".format(
            workflow_id=quote(str(workflow_id), safe=""),
            version=quote(str(version), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImpactPreview | Problem:
    if response.status_code == 200:
        response_200 = ImpactPreview.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImpactPreview | Problem]:
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
    from_: list[str],
    map_: list[str] | None | Unset = UNSET,
    unmapped: str | Unset = "fail",
    bucket: ImpactBucketType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[ImpactPreview | Problem]:
    """Impact

     Before publishing or migrating: every live contact of `from` (repeatable) in one
    bucket of moving them to this version with the migration's `map` (repeatable
    `source:target`) and `unmapped` policy; with `bucket`, a page of its contacts.

    Args:
        workflow_id (UUID):
        version (str):
        from_ (list[str]):
        map_ (list[str] | None | Unset):
        unmapped (str | Unset):  Default: 'fail'.
        bucket (ImpactBucketType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactPreview | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        from_=from_,
        map_=map_,
        unmapped=unmapped,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
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
    from_: list[str],
    map_: list[str] | None | Unset = UNSET,
    unmapped: str | Unset = "fail",
    bucket: ImpactBucketType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> ImpactPreview | Problem | None:
    """Impact

     Before publishing or migrating: every live contact of `from` (repeatable) in one
    bucket of moving them to this version with the migration's `map` (repeatable
    `source:target`) and `unmapped` policy; with `bucket`, a page of its contacts.

    Args:
        workflow_id (UUID):
        version (str):
        from_ (list[str]):
        map_ (list[str] | None | Unset):
        unmapped (str | Unset):  Default: 'fail'.
        bucket (ImpactBucketType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactPreview | Problem
    """

    return sync_detailed(
        workflow_id=workflow_id,
        version=version,
        client=client,
        from_=from_,
        map_=map_,
        unmapped=unmapped,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    from_: list[str],
    map_: list[str] | None | Unset = UNSET,
    unmapped: str | Unset = "fail",
    bucket: ImpactBucketType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[ImpactPreview | Problem]:
    """Impact

     Before publishing or migrating: every live contact of `from` (repeatable) in one
    bucket of moving them to this version with the migration's `map` (repeatable
    `source:target`) and `unmapped` policy; with `bucket`, a page of its contacts.

    Args:
        workflow_id (UUID):
        version (str):
        from_ (list[str]):
        map_ (list[str] | None | Unset):
        unmapped (str | Unset):  Default: 'fail'.
        bucket (ImpactBucketType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactPreview | Problem]
    """

    kwargs = _get_kwargs(
        workflow_id=workflow_id,
        version=version,
        from_=from_,
        map_=map_,
        unmapped=unmapped,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_id: UUID,
    version: str,
    *,
    client: AuthenticatedClient,
    from_: list[str],
    map_: list[str] | None | Unset = UNSET,
    unmapped: str | Unset = "fail",
    bucket: ImpactBucketType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> ImpactPreview | Problem | None:
    """Impact

     Before publishing or migrating: every live contact of `from` (repeatable) in one
    bucket of moving them to this version with the migration's `map` (repeatable
    `source:target`) and `unmapped` policy; with `bucket`, a page of its contacts.

    Args:
        workflow_id (UUID):
        version (str):
        from_ (list[str]):
        map_ (list[str] | None | Unset):
        unmapped (str | Unset):  Default: 'fail'.
        bucket (ImpactBucketType0 | None | Unset):
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactPreview | Problem
    """

    return (
        await asyncio_detailed(
            workflow_id=workflow_id,
            version=version,
            client=client,
            from_=from_,
            map_=map_,
            unmapped=unmapped,
            bucket=bucket,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
