"""Run the reference engine against a server (``make serve``), from the project folder::

    TOKEN="$(.venv/bin/wfv token --user engine --org acme --perm workflows:edit)"
    PYTHONPATH=clients/python .venv/bin/python -m examples.engine --workflow <id> \\
        --contacts 1000 --ticks 20 --token "$TOKEN"

Each tick follows the change feed, moves the contacts that are due and reports them, then
moves the simulated clock on by ``--hours`` (a ``wait`` of a day takes a few ticks)."""

import argparse
import os
import time
import zlib
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from wfv_client import AuthenticatedClient

from examples.engine.engine import Engine


def opened(contact_id: str) -> Mapping[str, Any]:
    """Simulated attributes: about half the contacts opened the welcome mail."""
    return {"email.opened": "welcome"} if zlib.crc32(contact_id.encode()) % 2 else {}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m examples.engine", description=__doc__.split("::")[0])
    parser.add_argument("--url", default=os.environ.get("WFV", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("WFV_TOKEN"), help="a JWT with workflows:edit")
    parser.add_argument("--workflow", type=UUID, required=True)
    parser.add_argument("--contacts", type=int, default=100, help="contacts c-0 … c-N enrolled at the start")
    parser.add_argument("--ticks", type=int, default=10)
    parser.add_argument("--hours", type=float, default=6.0, help="simulated hours per tick")
    parser.add_argument("--interval", type=float, default=1.0, help="real seconds between ticks")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token (or WFV_TOKEN)")
    with AuthenticatedClient(base_url=args.url, token=args.token, raise_on_unexpected_status=True) as client:
        engine = Engine(client, args.workflow, attributes=opened)
        engine.load()  # contacts already in flight (a restart)
        engine.enrol([f"c-{n}" for n in range(args.contacts)])
        for tick in range(args.ticks):
            if tick:
                time.sleep(args.interval)
            moved = engine.tick(args.hours * 3600)
            live = sum(contact.live for contact in engine.contacts.values())
            print(f"tick {tick + 1}: {moved} moved, {live} in flight, {engine.tally}")


if __name__ == "__main__":
    main()
