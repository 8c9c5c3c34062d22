"""The ``wfv`` app itself: its options, the settings and container every command starts
from, and ``main``, which turns a failure into one line and an exit code."""

import logging
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console

from service.cli.failures import FAILED, Refused, first_line, settings_refused
from service.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from service.container import Container

# Plain tracebacks (no locals: they would print settings and secrets), and only when asked
# for with WFV_LOG_LEVEL=DEBUG (``main``).
app = typer.Typer(
    help="wfv: git-backed workflow versioning.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """One line on stderr, as written (no markup: messages quote user input)."""
    console.print(message, markup=False)


def _package_version() -> str:
    try:
        return version("wfv")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"wfv {_package_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """wfv: git-backed workflow versioning (docs/cli.md)."""


def load_settings() -> Settings:
    """The settings, or one line naming each refused one (exit code 2)."""
    try:
        return Settings()
    except (ValidationError, SettingsError) as exc:
        raise settings_refused(exc) from None


def open_container(settings: Settings | None = None) -> "Container":
    """The container for ``settings``, its database(s) reached once: a server that is not
    there is named here, before any work starts, not in a traceback halfway through it."""
    from service.container import build_container

    container = build_container(settings or load_settings())
    try:
        reach(container.engine)
        migration = container.migration_engine()
        if migration is not container.engine:
            try:
                reach(migration)
            finally:
                migration.dispose()
    except Refused:
        container.close()
        raise
    return container


def reach(engine: "Engine") -> None:
    """Connect once, or refuse naming the database (without its password) and the reason."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise Refused(f"wfv: cannot use the database {where}: {first_line(exc.orig or exc)}") from None


def main() -> None:
    """The console script: ``app``, with every failure one line on stderr."""
    try:
        app()
    except Refused as exc:
        say(str(exc))
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("WFV_LOG_LEVEL", "").upper() == "DEBUG":
            raise
        logging.getLogger("wfv.cli").debug("failed", exc_info=True)
        say(_unforeseen(exc))
        sys.exit(FAILED)


def _unforeseen(exc: Exception) -> str:
    """The failures no command catches itself, still in one line."""
    from redis.exceptions import ConnectionError as RedisDown
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, RedisDown):
        return f"wfv: cannot reach Redis (WFV_REDIS_URL): {first_line(exc)}"
    if isinstance(exc, DBAPIError):
        return f"wfv: database error: {first_line(exc.orig or exc)}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"wfv: {exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    return f"wfv: failed: {type(exc).__name__}: {first_line(exc)} (WFV_LOG_LEVEL=DEBUG shows the traceback)"
