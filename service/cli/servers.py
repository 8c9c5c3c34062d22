"""``wfv serve`` and ``wfv worker``: the processes that run the service."""

import logging
import os
import socket
from typing import TYPE_CHECKING, Annotated, Any

import typer

from indexer.revisions import upgrade
from service.cli.app import app, load_settings, open_container
from service.cli.failures import Refused
from service.cli.listen import announce, bind, welcome
from service.ops.logs import configure_logging
from service.ops.metrics_dir import MULTIPROC_ENV, prepare_metrics_dir
from service.ops.tracing import configure_tracing
from service.settings import Settings

if TYPE_CHECKING:
    from service.container import Container

_DEFAULT_HOST = Settings.model_fields["host"].default
_DEFAULT_PORT = Settings.model_fields["port"].default


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(
            metavar="HOST", help="Interface to bind.", show_default=f"WFV_HOST, else {_DEFAULT_HOST}"
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=65535,
            metavar="PORT",
            help="Port to listen on.",
            show_default=f"WFV_PORT, else {_DEFAULT_PORT}",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, metavar="N", help="Background task threads (embedded consumer).")
    ] = 2,
    embedded_worker: Annotated[bool, typer.Option(help="Run the Huey consumer in this process.")] = True,
    processes: Annotated[
        int,
        typer.Option(
            min=1, metavar="N", help="API worker processes (uvicorn workers); metrics add up across them."
        ),
    ] = 1,
) -> None:
    """Migrate the database, then serve the API and the web UI (and, embedded, the task
    consumer). Says where to go once it answers."""
    settings = load_settings()
    log_config = configure_logging(settings)
    bind_host = host if host is not None else settings.host
    bind_port = port if port is not None else settings.port
    # First: a busy port stops us before anything starts (a consumer, a migration).
    sock = bind(bind_host, bind_port)
    bind_port = sock.getsockname()[1]  # port 0: the one the system chose
    # Before anything imports prometheus_client: it picks its storage at import time.
    multiprocess = processes > 1 or bool(os.environ.get(MULTIPROC_ENV))
    metrics_dir = prepare_metrics_dir() if multiprocess else None
    # Before the container: its engine and repositories trace when this process does.
    configure_tracing(settings)
    from tasks import runtime

    container = None
    consumer = None
    try:
        container = open_container(settings)
        upgrade(container.migration_engine(), draft_keys=container.settings.draft_key_list())
        runtime.configure(container)
        _schedule_draft_flushes(container)
        # Once, in this process: with several API processes it supervises them and serves nothing.
        consumer = _start_consumer(workers) if embedded_worker else None
        message = welcome(settings, bind_host, bind_port)
        json_lines = settings.resolved_log_format == "json"
        if processes > 1:
            # The socket listens already: connections wait in its backlog for the workers.
            announce(message, json_lines)
            _serve_processes(sock, processes, log_config)
        else:
            _serve_here(sock, container, log_config, lambda: announce(message, json_lines))
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        if container is not None:
            container.close()
        if metrics_dir is not None:
            metrics_dir.cleanup()
        sock.close()


def _uvicorn_options(log_config: dict[str, Any]) -> dict[str, Any]:
    from service.api.header_limits import PROTOCOL as HEAD_BOUNDED_PROTOCOL

    return {"log_config": log_config, "access_log": False, "http": HEAD_BOUNDED_PROTOCOL}


def _serve_here(sock: socket.socket, container: "Container", log_config: dict[str, Any], on_up: Any) -> None:
    """One process: the app built on our container, announced once uvicorn answers."""
    import uvicorn

    from service.api.app import create_app
    from service.ops.gc_tuning import tune_collector

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                on_up()

    config = uvicorn.Config(create_app(container=container), **_uvicorn_options(log_config))
    tune_collector(container.settings)
    server = AnnouncingServer(config)
    server.run(sockets=[sock])
    if not server.started:
        raise Refused("wfv: the server did not start (see the lines above)")


def _serve_processes(sock: socket.socket, processes: int, log_config: dict[str, Any]) -> None:
    """Several processes on our socket, each building the app from the environment."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "service.api.app:app_from_environment",
        factory=True,
        workers=processes,
        **_uvicorn_options(log_config),
    )
    Multiprocess(config, sockets=[sock]).run()


def _schedule_draft_flushes(container: "Container") -> None:
    """Drafts saved to Redis ask the queue for their write-behind (``tasks/drafts.py``)."""
    from tasks.drafts import flush_scheduler

    container.draft_flush_scheduler = flush_scheduler(container.settings)


def _register_tasks() -> Any:
    import tasks.archival
    import tasks.drafts
    import tasks.git_upkeep
    import tasks.idempotency
    import tasks.journeys
    import tasks.migrations
    import tasks.reconcile
    import tasks.reverts
    import tasks.rollouts
    import tasks.webhooks  # noqa: F401  (registers the tasks)
    from tasks.queue import huey

    return huey


def _start_consumer(workers: int) -> Any:
    from tasks.periodic import create_consumer

    huey = _register_tasks()
    if huey.immediate:
        return None
    consumer = create_consumer(huey, workers=workers, periodic=True, worker_type="thread")
    consumer.start()
    return consumer


@app.command()
def worker(
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Worker threads.")] = 2,
    periodic: Annotated[
        bool, typer.Option(help="Schedule periodic tasks (each tick runs once across all workers).")
    ] = True,
) -> None:
    """Run a Huey consumer for background tasks (for 'wfv serve --no-embedded-worker')."""
    settings = load_settings()
    configure_logging(settings)
    from tasks import runtime
    from tasks.jobs import QueueJobs
    from tasks.periodic import create_consumer

    huey = _register_tasks()
    configure_tracing(settings)
    container = open_container(settings)
    # Tasks ask for more work as routes do (a webhook's next attempt): on this queue.
    container.jobs = QueueJobs()
    runtime.configure(container)
    if settings.worker_metrics_port is not None:
        _serve_worker_metrics(settings.worker_metrics_host, settings.worker_metrics_port, huey)
    create_consumer(huey, workers=workers, periodic=periodic, worker_type="thread").run()


def _serve_worker_metrics(host: str, port: int, huey: Any) -> None:
    from prometheus_client import start_http_server

    from service.ops.metrics import scrape_registry

    try:
        start_http_server(port, addr=host, registry=scrape_registry(huey.pending_count))
    except OSError as exc:
        raise Refused(
            f"wfv: cannot serve the worker's metrics on {host}:{port} (WFV_WORKER_METRICS_PORT): "
            f"{exc.strerror or exc}"
        ) from None
    logging.getLogger("wfv.worker").info("metrics on http://%s:%s/metrics", host, port)
