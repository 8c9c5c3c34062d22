"""The FastAPI application, built from the settings (or container) it is given."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service.api import (
    actions,
    archival,
    audit,
    compare,
    consistency,
    drafts,
    executions,
    git,
    migrations,
    reviews,
    versions,
    workflows,
)
from service.container import Container, build_container
from service.errors import install_problem_handlers
from service.limits import BodyLimitMiddleware
from service.settings import Settings
from service.ui import mount_ui


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    """The app. Give a ``container`` to share one with tests or workers."""
    settings = container.settings if container else (settings or Settings())
    owned = container is None
    built = container or build_container(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            built.close()

    app = FastAPI(
        title="wfv",
        version="0.1.0",
        summary="Git-backed versioning of automation workflows",
        lifespan=lifespan,
    )
    app.state.container = built
    install_problem_handlers(app)
    # git pushes outgrow a JSON body: /git/ bounds its own (WFV_GIT_MAX_PUSH_BYTES).
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, exempt_prefixes=("/git/",))
    for module in (
        workflows,
        compare,
        versions,
        drafts,
        reviews,
        actions,
        executions,
        migrations,
        audit,
        git,
        consistency,
    ):
        app.include_router(module.router)
    app.include_router(archival.version_router)
    app.include_router(archival.admin_router)
    mount_ui(app)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    return app
