"""Which PostgreSQL errors mean "the server is gone": classified once, for every statement.

SQLAlchemy decides per error whether the connection is lost (``is_disconnect``); when it
is, the connection is invalidated, every other pooled connection is recycled on its next
checkout, and the caller gets a ``DBAPIError`` with ``connection_invalidated`` (a 503 in
the service, a retry in the worker). The psycopg dialect looks only at whether the driver
marked its connection broken; a restarting server also answers with SQLSTATE codes that
say so (``57P01`` administrator shutdown, ``57P03`` cannot connect now, class ``08``),
and those are disconnects too (the ``handle_error`` event below).

A pooled connection whose server went away while it sat idle is caught at checkout,
without a round trip: an idle connection has nothing to read, so a readable socket means
the server wrote its goodbye (or closed it). Such a connection is replaced before anyone
uses it, so the first request after a restart succeeds instead of failing on it.
"""

import select
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DisconnectionError

# SQLSTATEs a server sends as it shuts down, crashes or starts up: the connection is over.
SERVER_GONE_STATES = frozenset({"57P01", "57P02", "57P03"})
CONNECTION_EXCEPTION_CLASS = "08"


def server_gone(error: BaseException) -> bool:
    """Does this driver error mean the connection (or the server) is gone?

    An ``OperationalError`` without a SQLSTATE never came from the server: the driver lost
    its socket (closed, reset, timed out)."""
    if not isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return False
    state = error.sqlstate
    if state is None:
        return True
    return state in SERVER_GONE_STATES or state.startswith(CONNECTION_EXCEPTION_CLASS)


def idle_connection_dead(dbapi_connection: Any) -> bool:
    """A pooled psycopg connection that can no longer be used, seen without a round trip."""
    if dbapi_connection.closed:
        return True
    poller = select.poll()  # poll, not select: a descriptor above 1024 is fine
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def classify_disconnects(engine: Engine) -> None:
    """Install the classification and the checkout check on a PostgreSQL engine."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if not context.is_disconnect and server_gone(context.original_exception):
            context.is_disconnect = True

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if idle_connection_dead(dbapi_connection):
            # The pool invalidates this one connection and checks out a fresh one.
            raise DisconnectionError("the server closed this pooled connection while it was idle")
