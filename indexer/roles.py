"""The service role's password, set by the schema owner.

Migration 0002 creates ``wfv_app`` (LOGIN, no password: fine where ``pg_hba`` trusts the
network, useless where it asks for one). ``wfv db upgrade --set-app-password`` gives it
the password of the service's own URL, so a deployment configures one secret, in one
place. The password is sent as a SCRAM-SHA-256 verifier computed by libpq, never as
plain text, so it cannot appear in the server's statement log.
"""

from psycopg import sql
from sqlalchemy import Engine, make_url

APP_ROLE = "wfv_app"


class RolePasswordError(ValueError):
    """The service URL cannot give the service role a password."""


def app_role_credentials(service_url: str) -> tuple[str, str]:
    """The (role, password) the service connects with; refused unless it is ``wfv_app``
    on PostgreSQL with a password (the role the migrations grant to)."""
    url = make_url(service_url)
    if url.get_backend_name() != "postgresql":
        raise RolePasswordError("the service role has a password on PostgreSQL only")
    if url.username != APP_ROLE:
        raise RolePasswordError(f"WFV_DATABASE_URL connects as {url.username!r}, not {APP_ROLE!r}")
    if not url.password:
        raise RolePasswordError("WFV_DATABASE_URL has no password to give the service role")
    return APP_ROLE, str(url.password)


def set_role_password(owner: Engine, role: str, password: str) -> None:
    """``ALTER ROLE <role> WITH LOGIN PASSWORD <SCRAM verifier>``, as the schema owner."""
    with owner.begin() as conn:
        driver = conn.connection.driver_connection
        verifier = driver.pgconn.encrypt_password(  # type: ignore[union-attr]
            password.encode(), role.encode(), b"scram-sha-256"
        )
        statement = sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(verifier.decode("ascii"))
        )
        conn.exec_driver_sql(statement.as_string(driver))
