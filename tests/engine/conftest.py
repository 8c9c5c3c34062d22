"""The reference engine's tests run on the fault tests' stacks: real ``wfv serve`` and
``wfv worker`` processes on SQLite, or on a PostgreSQL cluster and a Redis of the test's
own (the change feed waits for every write transaction of its cluster: a private one keeps
the rest of the suite's out of it)."""

import pytest

from tests.faults.conftest import pg_cluster, pg_stack, redis_server, sqlite_stack
from tests.faults.stack import FaultStack

__all__ = ["pg_cluster", "pg_stack", "redis_server", "sqlite_stack"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack(request: pytest.FixtureRequest) -> FaultStack:
    stack: FaultStack = request.getfixturevalue(
        {"sqlite": "sqlite_stack", "postgres": "pg_stack"}[request.param]
    )
    return stack
