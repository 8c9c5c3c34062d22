"""The operator's commands: ``db upgrade``, ``reindex``, ``check``."""

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from indexer.revisions import upgrade
from service.cli.app import app, console, db_app, load_settings, open_container, say
from service.cli.failures import FAILED, REFUSED, Refused

if TYPE_CHECKING:
    from service.healing.check import ConsistencyReport


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(metavar="REVISION", help="Target revision.")] = "head",
    set_app_password: Annotated[
        bool,
        typer.Option(help="Then give the service role (wfv_app) the password in WFV_DATABASE_URL."),
    ] = False,
) -> None:
    """Apply the Alembic revisions ('wfv serve' does it too, at every start)."""
    from alembic.util.exc import CommandError

    from indexer.roles import RolePasswordError, app_role_credentials, set_role_password

    settings = load_settings()
    try:
        # Refused before anything is touched (not even an SQLite file created).
        credentials = app_role_credentials(settings.resolved_database_url) if set_app_password else None
    except RolePasswordError as exc:
        raise Refused(f"wfv: --set-app-password: {exc}", REFUSED) from None
    container = open_container(settings)
    owner = container.migration_engine()
    try:
        upgrade(owner, revision, draft_keys=container.settings.draft_key_list())
        say(f"database at {revision}")
        if credentials is not None:
            set_role_password(owner, *credentials)
            say(f"{credentials[0]} may log in with the password of WFV_DATABASE_URL")
    except CommandError as exc:  # Alembic's own: an unknown revision, say
        raise Refused(f"wfv: db upgrade {revision}: {exc}", REFUSED) from None
    finally:
        if owner is not container.engine:
            owner.dispose()
        container.close()


@app.command()
def reindex() -> None:
    """Rebuild the versions index of every workflow from the git repositories alone
    (exit code 1 when a repository could not be read)."""
    from service.healing.scan import reindex_all

    container = open_container()
    try:
        upgrade(container.migration_engine(), draft_keys=container.settings.draft_key_list())
        paths = list(container.store.iter_repos())
        with Progress(console=console) as progress:
            bar = progress.add_task("reindexing", total=len(paths))
            summary = reindex_all(container, lambda _path: progress.advance(bar))
    finally:
        container.close()
    say(
        f"{summary.repositories} repositories, {summary.workflows_created} workflows created, "
        f"{summary.versions_changed} versions changed, {summary.rollouts_restored} rollouts restored, "
        f"{len(summary.errors)} errors"
    )
    for error in summary.errors:
        console.print(f"[red]{error}[/red]")
    if summary.errors:
        raise typer.Exit(FAILED)


@app.command()
def check(
    tenant: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TENANT", help="Only this tenant; repeat for several.", show_default="every tenant"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check that git and the index agree; heals nothing (exit code 1 when there are
    problems, or a tenant named with --tenant has no workflow and no repository)."""
    import json

    from service.healing.check import check_consistency, unknown_tenants

    container = open_container()
    try:
        unknown = unknown_tenants(container, tenant) if tenant is not None else []
        known = None if tenant is None else [name for name in tenant if name not in unknown]
        report = check_consistency(container, tenant_ids=known)
    finally:
        container.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict() | {"unknown_tenants": unknown}, indent=2))
    else:
        _print_report(report, unknown)
    if not report.ok or unknown:
        raise typer.Exit(FAILED)


def _print_report(report: "ConsistencyReport", unknown: list[str]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"{report.tenants_checked} tenants, {report.workflows_checked} workflows, "
        f"{report.versions_checked} versions, {report.executions_checked} executions checked"
    )
    for name in unknown:
        out.print(
            f"[red]unknown tenant {escape(repr(name))}[/red]: no workflow and no repository "
            "(tenant ids are the org_id of tokens, e.g. acme)"
        )
    sections = (("problems", report.problems, "red"), ("healable", report.healable, "yellow"))
    for title, found, style in sections:
        if not found:
            continue
        table = Table("kind", "tenant", "workflow", "version", "detail", title=title, title_style=style)
        for p in found:
            number = "" if p.version_number is None else f"v{p.version_number}"
            table.add_row(p.kind, escape(p.tenant_id), str(p.workflow_id or ""), number, escape(p.detail))
        out.print(table)
    if report.ok and not unknown:
        out.print("[green]consistent[/green]")
    elif not report.ok:
        out.print(f"[red]{len(report.problems)} problem(s)[/red]")
