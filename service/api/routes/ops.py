"""Probes and metrics for orchestrators and Prometheus: no user token, no secrets shown."""

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from service.api.deps import ContainerDep
from service.api.problems import PROBLEM_JSON, problem_response
from service.api.readiness import OK, Readiness
from service.errors import Unauthorized

router = APIRouter(tags=["ops"])
NO_STORE = {"Cache-Control": "no-store"}


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Ready,
    responses={503: {"content": {PROBLEM_JSON: {}}, "description": "a check failed; `checks` says which"}},
)
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database, Redis (when configured) and the repository volume answer."""
    readiness: Readiness = request.app.state.readiness
    checks = await readiness.run()
    failed = [name for name, result in checks.items() if result != OK]
    if failed:
        response = problem_response(
            503, "Not ready", "not-ready", f"failing: {', '.join(failed)}", checks=checks
        )
    else:
        response = JSONResponse({"status": "ready", "checks": checks})
    response.headers.update(NO_STORE)
    return response


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}},
)
def metrics(
    request: Request, container: ContainerDep, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Prometheus metrics of every process of this server (bearer ``WFV_METRICS_TOKEN`` when set)."""
    token = container.settings.metrics_token
    if token is not None:
        expected = f"Bearer {token}".encode()
        if authorization is None or not hmac.compare_digest(authorization.strip().encode(), expected):
            raise Unauthorized("/metrics needs Authorization: Bearer <WFV_METRICS_TOKEN>")
    body = generate_latest(request.app.state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers=NO_STORE)
