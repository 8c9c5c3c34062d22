"""The ``wfv`` command: serve, worker, db upgrade, reindex, check, token."""

import logging
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from indexer.revisions import upgrade
from service.ops.logs import configure_logging
from service.ops.metrics_dir import MULTIPROC_ENV, prepare_metrics_dir
from service.settings import Settings

if TYPE_CHECKING:
    from service.container import Container
    from service.healing.check import ConsistencyReport

app = typer.Typer(help="wfv: git-backed workflow versioning.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)


def _settings() -> Settings:
    """The settings, or a plain message and exit code 2 when they are refused (production
    without its secrets), instead of a traceback in a container's log."""
    try:
        return Settings()
    except ValidationError as exc:
        reasons = "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())
        console.print(f"wfv: configuration refused: {reasons}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _container() -> "Container":
    from service.container import build_container

    return build_container(_settings())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(help="Background task threads (embedded consumer).")] = 2,
    embedded_worker: Annotated[bool, typer.Option(help="Run the Huey consumer in this process.")] = True,
    processes: Annotated[
        int, typer.Option(min=1, help="API worker processes (uvicorn workers); metrics add up across them.")
    ] = 1,
) -> None:
    """Migrate the database, then serve the API (and, embedded, the task consumer)."""
    settings = _settings()
    log_config = configure_logging(settings)
    # Before anything imports prometheus_client: it picks its storage at import time.
    multiprocess = processes > 1 or bool(os.environ.get(MULTIPROC_ENV))
    metrics_dir = prepare_metrics_dir() if multiprocess else None
    import uvicorn

    from service.api.header_limits import PROTOCOL as HEAD_BOUNDED_PROTOCOL
    from tasks import runtime

    container = _container()
    upgrade(container.migration_engine(), draft_keys=container.settings.draft_key_list())
    runtime.configure(container)
    _schedule_draft_flushes(container)
    # Once, in this process: with several API processes it supervises them and serves nothing.
    consumer = _start_consumer(workers) if embedded_worker else None
    bind_host, bind_port = host or settings.host, port or settings.port
    logging.getLogger("wfv.serve").info(
        "wfv on http://%s:%s (data: %s, %s process(es))", bind_host, bind_port, settings.data_dir, processes
    )
    try:
        if processes > 1:
            uvicorn.run(
                "service.api.app:app_from_environment",
                factory=True,
                workers=processes,
                log_config=log_config,
                access_log=False,
                http=HEAD_BOUNDED_PROTOCOL,
                host=bind_host,
                port=bind_port,
            )
        else:
            from service.api.app import create_app
            from service.ops.gc_tuning import tune_collector

            app_ = create_app(container=container)
            tune_collector(settings)
            uvicorn.run(
                app_,
                log_config=log_config,
                access_log=False,
                http=HEAD_BOUNDED_PROTOCOL,
                host=bind_host,
                port=bind_port,
            )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        container.close()
        if metrics_dir is not None:
            metrics_dir.cleanup()


def _schedule_draft_flushes(container: "Container") -> None:
    """Drafts saved to Redis ask the queue for their write-behind (``tasks/drafts.py``)."""
    from tasks.drafts import flush_scheduler

    container.draft_flush_scheduler = flush_scheduler(container.settings)


def _start_consumer(workers: int) -> Any:
    import tasks.archival
    import tasks.drafts  # (registers the tasks)
    import tasks.git_upkeep
    import tasks.migrations
    import tasks.reconcile  # noqa: F401  (registers the tasks)
    from tasks.periodic import create_consumer
    from tasks.queue import huey

    if huey.immediate:
        return None
    consumer = create_consumer(huey, workers=workers, periodic=True, worker_type="thread")
    consumer.start()
    return consumer


@app.command()
def worker(
    workers: Annotated[int, typer.Option(help="Worker threads.")] = 2,
    periodic: Annotated[
        bool, typer.Option(help="Schedule periodic tasks (each tick runs once across all workers).")
    ] = True,
) -> None:
    """Run a Huey consumer for background tasks."""
    settings = _settings()
    configure_logging(settings)
    import tasks.archival
    import tasks.drafts  # (registers the tasks)
    import tasks.git_upkeep
    import tasks.migrations
    import tasks.reconcile  # noqa: F401  (registers the tasks)
    from tasks import runtime
    from tasks.periodic import create_consumer
    from tasks.queue import huey

    runtime.configure(_container())
    if settings.worker_metrics_port is not None:
        from prometheus_client import start_http_server

        from service.ops.metrics import scrape_registry

        start_http_server(
            settings.worker_metrics_port,
            addr=settings.worker_metrics_host,
            registry=scrape_registry(huey.pending_count),
        )
        logging.getLogger("wfv.worker").info(
            "metrics on http://%s:%s/metrics", settings.worker_metrics_host, settings.worker_metrics_port
        )
    create_consumer(huey, workers=workers, periodic=periodic, worker_type="thread").run()


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    set_app_password: Annotated[
        bool,
        typer.Option(help="Then give the service role (wfv_app) the password in WFV_DATABASE_URL."),
    ] = False,
) -> None:
    """Apply the Alembic migrations."""
    from indexer.roles import RolePasswordError, app_role_credentials, set_role_password

    container = _container()
    try:
        credentials = (
            app_role_credentials(container.settings.resolved_database_url) if set_app_password else None
        )
    except RolePasswordError as exc:
        container.close()
        raise typer.BadParameter(str(exc), param_hint="--set-app-password") from exc
    owner = container.migration_engine()
    upgrade(owner, revision, draft_keys=container.settings.draft_key_list())
    console.print(f"database at {revision}")
    if credentials is not None:
        set_role_password(owner, *credentials)
        console.print(f"{credentials[0]} may log in with the password of WFV_DATABASE_URL")
    if owner is not container.engine:
        owner.dispose()
    container.close()


@app.command()
def reindex() -> None:
    """Rebuild the versions index of every workflow from the git repositories alone."""
    from service.healing.scan import reindex_all

    container = _container()
    upgrade(container.migration_engine(), draft_keys=container.settings.draft_key_list())
    paths = list(container.store.iter_repos())
    with Progress(console=console) as progress:
        bar = progress.add_task("reindexing", total=len(paths))
        summary = reindex_all(container, lambda _path: progress.advance(bar))
    container.close()
    console.print(
        f"{summary.repositories} repositories, {summary.workflows_created} workflows created, "
        f"{summary.versions_changed} versions changed, {len(summary.errors)} errors"
    )
    for error in summary.errors:
        console.print(f"[red]{error}[/red]")
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def check(
    tenant: Annotated[list[str] | None, typer.Option(help="Only this tenant; repeat for several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check that git and the index agree (exit code 1 when there are problems)."""
    import json

    from service.healing.check import check_consistency

    container = _container()
    try:
        report = check_consistency(container, tenant_ids=tenant)
    finally:
        container.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: "ConsistencyReport") -> None:
    from rich.table import Table

    out = Console()
    out.print(
        f"{report.tenants_checked} tenants, {report.workflows_checked} workflows, "
        f"{report.versions_checked} versions, {report.executions_checked} executions checked"
    )
    sections = (("problems", report.problems, "red"), ("healable", report.healable, "yellow"))
    for title, found, style in sections:
        if not found:
            continue
        table = Table("kind", "tenant", "workflow", "version", "detail", title=title, title_style=style)
        for p in found:
            number = "" if p.version_number is None else f"v{p.version_number}"
            table.add_row(p.kind, p.tenant_id, str(p.workflow_id or ""), number, p.detail)
        out.print(table)
    out.print("[green]consistent[/green]" if report.ok else f"[red]{len(report.problems)} problem(s)[/red]")


@app.command()
def token(
    user: Annotated[str, typer.Option(help="The user id (sub).")],
    org: Annotated[str, typer.Option(help="The tenant (org_id).")],
    perm: Annotated[list[str], typer.Option(help="A permission; repeat for several.")],
    hours: Annotated[int, typer.Option(help="Lifetime in hours.")] = 12,
) -> None:
    """Print a development token the server with the same data dir accepts."""
    from datetime import timedelta

    from service.auth import Permission, issue_token

    unknown = [p for p in perm if p not in Permission._value2member_map_]
    if unknown:
        raise typer.BadParameter(f"unknown permission(s): {', '.join(unknown)}", param_hint="--perm")
    secret = _settings().signing_secret()
    typer.echo(issue_token(secret=secret, user=user, org=org, permissions=perm, ttl=timedelta(hours=hours)))
