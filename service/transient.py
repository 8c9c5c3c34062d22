"""Which errors are an outage rather than a fault: the database or the queue away for a
while. Background work that fails on one is worth doing again as it is (a migration batch
is idempotent under its row lock); any other error is a bug or bad data, and retrying it
would only repeat it.

The classification of database errors for HTTP answers is ``service.errors``'; this one
only decides "try again", so it also looks through the chain of causes (``raise ... from``):
a lost COMMIT surfaces as ``CommitOutcomeUnknown`` raised from the driver's error."""

import psycopg
import redis.exceptions
from sqlalchemy import exc as sa_exc

from service.errors import DatabaseUnavailable

_OUTAGES: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,  # server gone, restarting, refusing connections
    sa_exc.InterfaceError,  # "connection is closed"
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # the pool had no connection to give in time
    psycopg.OperationalError,  # raised on the raw connection, outside SQLAlchemy's translation
    DatabaseUnavailable,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    """True when ``error``, or an error it was raised from, means "unreachable for now"."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, _OUTAGES):
            return True
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__
    return False
