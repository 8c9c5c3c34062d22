"""``wfv token``: a development token the server with the same settings accepts."""

from datetime import timedelta
from typing import Annotated

import typer

from service.auth import Permission
from service.cli.app import app, load_settings
from service.cli.failures import Refused

MAX_HOURS = 24 * 365  # a trial token; anything longer belongs to an identity provider


@app.command()
def token(
    user: Annotated[str, typer.Option(metavar="USER", help="The user id (the token's sub).")],
    org: Annotated[str, typer.Option(metavar="TENANT", help="The tenant (the token's org_id), e.g. acme.")],
    perm: Annotated[
        list[Permission],
        typer.Option(
            metavar="PERMISSION",
            help=f"{', '.join(p.value for p in Permission)}; repeat for several. Each includes "
            "the ones before it: workflows:admin may also edit and read.",
        ),
    ],
    hours: Annotated[
        int, typer.Option(min=1, max=MAX_HOURS, metavar="HOURS", help="Lifetime in hours.")
    ] = 12,
) -> None:
    """Print a development token (HS256) for the server that uses the same data folder
    (WFV_DATA_DIR, by default ./var of the folder it starts in) or WFV_JWT_SECRET.

    Only 'wfv serve' creates the secret: run this where the server runs, or point
    WFV_DATA_DIR at its data folder. Exit code 1 when there is no secret to sign with.
    """
    from service.auth import issue_token

    settings = load_settings()
    if settings.environment == "production" and not settings.jwt_secret:
        raise Refused(
            "wfv: production accepts no development tokens without WFV_JWT_SECRET: "
            "ask your identity provider for a token"
        )
    secret = settings.existing_signing_secret()
    if secret is None:
        raise Refused(
            f"wfv: no token secret at {settings.signing_secret_path} (the data folder is WFV_DATA_DIR, "
            "else ./var of the current folder; only `wfv serve` creates the secret, on its first start). "
            "Run this command in the folder the server runs in, or set WFV_DATA_DIR to the server's "
            "data folder (or WFV_JWT_SECRET to its secret)."
        )
    permissions = [p.value for p in dict.fromkeys(perm)]
    typer.echo(
        issue_token(secret=secret, user=user, org=org, permissions=permissions, ttl=timedelta(hours=hours))
    )
