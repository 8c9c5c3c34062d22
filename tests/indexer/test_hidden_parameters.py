"""A failed statement's error (which the 500 handler logs) names no parameter value."""

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from indexer.db import make_engine
from tests.conftest import app_role_url


def test_statement_errors_do_not_carry_their_parameters(database_url: str) -> None:
    sqlite = database_url.startswith("sqlite")
    engine = make_engine(database_url if sqlite else app_role_url(database_url))
    secret = "s3cret-user-text"
    with engine.connect() as conn, pytest.raises(sa_exc.DBAPIError) as caught:
        conn.execute(text("SELECT * FROM no_such_table WHERE x = :value"), {"value": secret})
    assert secret not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
    engine.dispose()
