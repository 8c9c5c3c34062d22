"""An execution engine on wfv's generated Python client (docs/engine-example.md).

The engine runs contacts through a workflow's actions; wfv keeps the record of where each
one is, so that a new version can be compared with the contacts in flight and migrations
can move them. Each tick of :meth:`Engine.tick`:

1. at start-up, reads the workflow's current version; after that, new versions arrive by
   wfv's signed ``version.published`` (and ``version.rolled_back``) webhook, whose receiver
   (:func:`receive_events`, :meth:`Engine.on_event`) hands each to one function,
   :meth:`Engine.on_published`; an engine without a reachable receiver can poll instead
   (``Engine(..., poll=True)``);
2. enrols the contacts that arrived (``POST …/executions``: on the current version, at the
   trigger's first action);
3. moves every contact in flight one step along the actions of *its own* version (a new
   version changes nothing for the contacts already running) and reports all the new
   positions in one all-or-nothing call (``POST …/executions/positions``).

Run it against a server (``make serve``) from the project folder::

    .venv/bin/python -m clients.examples.engine_loop --workflow <id> --contacts c-1 c-2 \\
        --token "$(.venv/bin/wfv token --user engine --org acme --perm workflows:edit)"

Register the receiver once (an admin token), and keep the secret the answer shows::

    curl -s -X POST "$WFV/api/v1/admin/webhooks" -H "Authorization: Bearer $ADMIN" \
        -H 'Content-Type: application/json' \
        -d '{"url": "https://engine.example.com/wfv-events",
             "event_types": ["version.published", "version.rolled_back"]}'

The actions are simulated: a ``send_*`` is done at once, a ``wait`` or ``wait_until`` takes
one tick (the contact is ``waiting``), an ``if_else`` always takes its ``then`` branch.
"""

import argparse
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from uuid import UUID

from standardwebhooks import Webhook, WebhookVerificationError
from wfv_client import AuthenticatedClient
from wfv_client.api.executions import enroll, list_executions, report_positions
from wfv_client.api.versions import get_version
from wfv_client.api.workflows import get_workflow
from wfv_client.models import (
    EnrollRequest,
    EnrollResult,
    ExecutionList,
    ExecutionPublic,
    ListExecutionsStatusType0,
    PositionMove,
    PositionMoveStatus,
    PositionsRequest,
    PositionsResult,
    Problem,
    VersionDetail,
    WorkflowDefinition,
    WorkflowPublic,
)
from wfv_client.types import UNSET, Unset

T = TypeVar("T")
PAGE = 1000  # executions per page, the API's most
BATCH = 10_000  # contacts per enrolment and moves per report, the API's most
WAITS = ("wait", "wait_until")  # the action types a contact waits on
NEW_CURRENT = ("version.published", "version.rolled_back")  # events that change the current version


class ApiProblem(Exception):
    """The API answered with an RFC 9457 problem (or with nothing it declares)."""

    def __init__(self, problem: Problem | None) -> None:
        self.problem = problem
        said = f"{problem.status} {problem.type_}: {problem.detail}" if problem else "an undeclared answer"
        super().__init__(said)


def expect(answer: T | Problem | None, kind: type[T]) -> T:
    """The answer when it is the model the call promises; its problem raised otherwise."""
    if isinstance(answer, kind):
        return answer
    raise ApiProblem(answer if isinstance(answer, Problem) else None)


@dataclass(frozen=True)
class Step:
    """Where a contact goes next: an action and its status, or the end of the workflow."""

    action_id: str
    status: PositionMoveStatus


def next_step(definition: WorkflowDefinition, action_id: str | None) -> Step | None:
    """One simulated step from ``action_id``; None when the contact has nowhere to go."""
    actions = {action.id: action for action in definition.actions or []}
    action = actions.get(action_id or "")
    if action is None:
        return None
    if action.type_ == "if_else" and not isinstance(action.config, Unset):
        target = action.config.additional_properties.get("then")
    else:
        target = action.next_ if isinstance(action.next_, str) else None
    if not isinstance(target, str) or target not in actions:
        return Step(action.id, PositionMoveStatus.COMPLETED)
    waiting = actions[target].type_ in WAITS
    return Step(target, PositionMoveStatus.WAITING if waiting else PositionMoveStatus.ACTIVE)


@dataclass
class Engine:
    """One workflow's contacts, run through its versions and reported to wfv."""

    client: AuthenticatedClient
    workflow_id: UUID
    # The version new contacts are enrolled on, as the engine last learned it.
    current: VersionDetail | None = None
    arrivals: list[str] = field(default_factory=list)
    log: Callable[[str], None] = print
    # Without a webhook receiver, look for a new version at every tick.
    poll: bool = False
    # The receiver's signing secret, as registering it answered (``whsec_…``).
    webhook_secret: str | None = None
    _definitions: dict[UUID, WorkflowDefinition] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def on_published(self, version: VersionDetail) -> None:
        """The reaction to a newly published version, and the only one: new contacts start
        on it, contacts in flight stay on theirs (moving them is a migration, wfv's job).
        Called once per version: a webhook redelivered (delivery is at least once) or a
        version seen by a poll as well as by its event changes nothing."""
        with self._lock:
            if self.current is not None and self.current.id == version.id:
                return
            self.current = version
            self._definitions[version.id] = WorkflowDefinition.from_dict(version.definition.to_dict())
        self.log(f"version {version.version_number} is published: new contacts start on it")

    def on_event(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """A webhook delivery, verified by the Standard Webhooks signature (raises
        ``WebhookVerificationError`` otherwise); an event that makes another version of
        this workflow current is handed to :meth:`on_published`. Returns whether it was one."""
        if self.webhook_secret is None:
            raise WebhookVerificationError("no webhook secret configured: nothing can be verified")
        event: dict[str, Any] = Webhook(self.webhook_secret).verify(body, dict(headers))
        if event.get("type") not in NEW_CURRENT or event.get("workflow_id") != str(self.workflow_id):
            return False
        self.on_published(self._version(UUID(event["data"]["version_id"])))
        return True

    def watch_versions(self) -> VersionDetail | None:
        """The published version when it is new to the engine (handed to :meth:`on_published`)."""
        workflow = expect(get_workflow.sync(self.workflow_id, client=self.client), WorkflowPublic)
        current_id = workflow.current_version_id
        if current_id is None or (self.current is not None and self.current.id == current_id):
            return None
        version = self._version(current_id)
        self.on_published(version)
        return version

    def enrol(self, contact_ids: Sequence[str]) -> EnrollResult:
        """Enrol contacts on the current version (those already in flight are not enrolled again)."""
        body = EnrollRequest(contact_ids=list(contact_ids))
        result = expect(enroll.sync(self.workflow_id, client=self.client, body=body), EnrollResult)
        self.log(
            f"enrolled {result.enrolled} on version {result.version_number} at '{result.action_id}'"
            f" ({result.already_enrolled} already enrolled)"
        )
        return result

    def advance(self) -> int:
        """Move every contact in flight one step and report all the moves in one call."""
        moves = []
        for execution in self.in_flight():
            step = next_step(self._definition(execution.version_id), execution.current_action_id)
            if step is None:
                continue  # an action its version does not have: leave it for a human
            moves.append(
                PositionMove(execution_id=execution.id, action_id=step.action_id, status=step.status)
            )
        updated = 0
        for start in range(0, len(moves), BATCH):
            body = PositionsRequest(moves=moves[start : start + BATCH])
            answer = report_positions.sync(self.workflow_id, client=self.client, body=body)
            updated += expect(answer, PositionsResult).updated
        return updated

    def tick(self) -> int:
        """One turn of the loop: the current version (read at the first tick, then pushed by
        the webhook unless ``poll``), then arrivals, then moves."""
        if self.poll or self.current is None:
            self.watch_versions()
        while self.arrivals:
            batch, self.arrivals = self.arrivals[:BATCH], self.arrivals[BATCH:]
            self.enrol(batch)
        return self.advance()

    def in_flight(self) -> Iterable[ExecutionPublic]:
        """Every active or waiting execution of the workflow, page by page."""
        for status in (ListExecutionsStatusType0.ACTIVE, ListExecutionsStatusType0.WAITING):
            cursor: str | Unset = UNSET
            while True:
                answer = list_executions.sync(
                    self.workflow_id, client=self.client, status=status, limit=PAGE, cursor=cursor
                )
                page = expect(answer, ExecutionList)
                yield from page.items
                if not isinstance(page.next_cursor, str):
                    break
                cursor = page.next_cursor

    def _version(self, version_id: UUID) -> VersionDetail:
        answer = get_version.sync(self.workflow_id, str(version_id), client=self.client)
        return expect(answer, VersionDetail)

    def _definition(self, version_id: UUID) -> WorkflowDefinition:
        """A version's document, read once: a version's content never changes once published."""
        if version_id not in self._definitions:
            version = self._version(version_id)
            self._definitions[version_id] = WorkflowDefinition.from_dict(version.definition.to_dict())
        return self._definitions[version_id]


@contextmanager
def receive_events(engine: Engine, port: int = 0) -> Iterator[str]:
    """A small HTTP receiver for wfv's webhooks (yields its URL): 204 for a verified
    delivery, 400 for one whose signature does not verify (wfv records the refusal and
    retries; a forger gets nothing). Put it behind your TLS terminator: wfv sends to
    ``https://`` URLs only, unless the operator allows ``http://``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(min(int(self.headers.get("Content-Length", "0")), 1 << 20))
            try:
                engine.on_event(body, {k.lower(): v for k, v in self.headers.items()})
                status = 204
            except WebhookVerificationError:
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 (quiet)
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/wfv-events"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run contacts through a workflow, reporting to wfv.")
    parser.add_argument("--url", default=os.environ.get("WFV", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("WFV_TOKEN"), help="a JWT with workflows:edit")
    parser.add_argument("--workflow", type=UUID, required=True)
    parser.add_argument("--contacts", nargs="*", default=[], help="contacts to enrol at the first tick")
    parser.add_argument("--ticks", type=int, default=10)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between ticks")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token (or WFV_TOKEN)")
    with AuthenticatedClient(base_url=args.url, token=args.token, raise_on_unexpected_status=True) as client:
        engine = Engine(client, args.workflow, arrivals=list(args.contacts), poll=True)
        for tick in range(args.ticks):
            if tick:
                time.sleep(args.interval)
            print(f"tick {tick + 1}: {engine.tick()} contacts moved")


if __name__ == "__main__":
    main()
