"""The FastAPI application, built from the settings (or container) it is given."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import Depends, FastAPI
from starlette.types import ASGIApp

from service.api.boundary import check_request_text
from service.api.budgets import TenantBudgets
from service.api.idempotency import install_replay_handler
from service.api.limits import BodyLimitMiddleware
from service.api.observe import RequestObserver
from service.api.openapi import for_clients, operation_id
from service.api.problems import install_problem_handlers
from service.api.readiness import Readiness
from service.api.routes import (
    action_types,
    actions,
    archival,
    audit,
    changes,
    compare,
    consistency,
    drafts,
    executions,
    git,
    journeys,
    migrations,
    ops,
    pins,
    reverts,
    reviews,
    rollouts,
    versions,
    webhooks,
    workflows,
)
from service.api.security_headers import SecurityHeaders
from service.api.stream_slots import StreamSlots
from service.api.turns import Turns, TurnsMiddleware
from service.api.ui import mount_ui
from service.container import Container, build_container
from service.drafts.durability import check_at_start
from service.jobs import Jobs, NoQueue
from service.ops import tracing
from service.ops.gc_tuning import tune_collector
from service.ops.metrics import scrape_registry
from service.settings import Settings


class WfvApp(FastAPI):
    """FastAPI with the request observer and the security headers outermost, outside
    Starlette's error middleware, so even an unhandled error's 500 is timed, logged and
    carries its request id and the headers every answer carries. When the process traces,
    the request's server span is outermost of all (``service.ops.tracing``)."""

    traced = False

    def build_middleware_stack(self) -> ASGIApp:
        observed = RequestObserver(SecurityHeaders(super().build_middleware_stack()), traced=self.traced)
        return tracing.TracedRequests(observed) if self.traced else observed

    def openapi(self) -> dict[str, Any]:
        """FastAPI's document as clients read it (service/api/openapi.py)."""
        if self.openapi_schema is None:
            self.openapi_schema = for_clients(super().openapi())
        return self.openapi_schema


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    """The app. Give a ``container`` to share one with tests or workers."""
    settings = container.settings if container else (settings or Settings())
    # Before the container: its engine and repositories trace when the process does.
    traced = tracing.configure_tracing(settings)
    owned = container is None
    built = container or build_container(settings)

    readiness = Readiness(built)
    docs = settings.resolved_docs_enabled
    # A fair share per tenant (WFV_TENANT_BUDGET_*), charged once the caller is known (deps.py).
    budgets = TenantBudgets.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Production refuses a Redis that would lose acknowledged draft saves.
        await to_thread.run_sync(check_at_start, settings)
        yield
        if budgets is not None:
            await budgets.close()
        readiness.close()
        if owned:
            built.close()

    app = WfvApp(
        title="wfv",
        version="0.1.0",
        summary="Git-backed versioning of automation workflows",
        lifespan=lifespan,
        # One text rule for every route's query, path and headers (bodies: schemas/text.py).
        dependencies=[Depends(check_request_text)],
        # The OpenAPI document and its pages: WFV_DOCS_ENABLED, off in production by default.
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        # operationIds are the route functions' names: what generated clients call.
        generate_unique_id_function=operation_id,
    )
    app.traced = traced
    if isinstance(built.jobs, NoQueue):
        built.jobs = _queue_jobs()
    app.state.container = built
    app.state.readiness = readiness
    app.state.budgets = budgets
    # Event streams open in this process, per user (service/api/stream_slots.py).
    app.state.streams = StreamSlots()
    app.state.metrics_registry = scrape_registry(_queue_pending)
    install_problem_handlers(app)
    install_replay_handler(app)
    # git pushes outgrow a JSON body: /git/ bounds its own (WFV_GIT_MAX_PUSH_BYTES).
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        exempt_prefixes=("/git/",),
        batch_bytes=settings.max_batch_body_bytes,
    )
    if settings.request_slots:
        app.add_middleware(TurnsMiddleware, turns=Turns(settings.request_slots))
    for module in (
        ops,
        workflows,
        compare,
        versions,
        drafts,
        reviews,
        actions,
        action_types,
        executions,
        journeys,
        changes,
        migrations,
        pins,
        reverts,
        rollouts,
        audit,
        git,
        consistency,
        webhooks,
    ):
        app.include_router(module.router)
    app.include_router(archival.version_router)
    app.include_router(archival.admin_router)
    mount_ui(app)
    return app


def _queue_jobs() -> Jobs:
    """The app enqueues on the task queue (imported here, at build time: ``tasks/`` sits above
    the use cases; the process configured the queue at start-up, else it configures itself
    from the environment on first use)."""
    from tasks.jobs import QueueJobs

    return QueueJobs()


def _queue_pending() -> int:
    from tasks.queue import huey

    return int(huey.pending_count())


def app_from_environment() -> FastAPI:
    """The app uvicorn builds in each worker process (``wfv serve --processes N``), from
    the same ``WFV_*`` environment; drafts saved to Redis ask the queue for their flush."""
    from tasks.drafts import flush_scheduler
    from tasks.queue import huey

    settings = Settings()
    huey.configure(settings)
    app = create_app(settings)
    app.state.container.draft_flush_scheduler = flush_scheduler(settings)
    tune_collector(settings)
    return app
