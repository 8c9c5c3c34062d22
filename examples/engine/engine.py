"""The reference engine: the contract between wfv and an execution engine, as a program
(docs/engine-contract.md).

wfv keeps where each contact is; the engine runs the steps. Both move the same rows: the
engine by its position reports, wfv by migrations and their reverts. The engine keeps its
own copy of every contact's position and **revision**, and the contract keeps the two
copies equal:

- every report names its **base** (``base_revision``, the revision the engine read), so a
  move computed on a graph the contact has left (wfv migrated it meanwhile) is refused
  alone, answered with where the contact is now, and **re-based**: computed again from
  there, without performing again a step the engine already performed;
- the engine **follows the change feed** (``GET /api/v1/executions/changes``) for what wfv
  moved, applying each change whose revision is newer than its copy's (older ones it has
  already learned from a stale answer).

Time is a simulated clock (``Engine.clock``), moved by the caller, so a ``wait`` of a day
takes a tick, not a day. ``if_else`` branches on the contact's attributes
(``Engine.attributes``). Everything goes through the generated Python client."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from wfv_client import AuthenticatedClient
from wfv_client.api.executions import enroll, list_executions, report_positions
from wfv_client.api.journeys import execution_changes
from wfv_client.api.versions import get_version
from wfv_client.models import (
    ChangePage,
    EnrollRequest,
    EnrollResult,
    ExecutionChange,
    ExecutionList,
    ListExecutionsStatusType0,
    PositionMove,
    PositionMoveStatus,
    PositionsRequest,
    PositionsResult,
    Problem,
    StaleMove,
    VersionDetail,
)
from wfv_client.types import UNSET, Unset

from examples.engine.graph import Graph

T = TypeVar("T")
BATCH = 10_000  # contacts per enrolment and moves per report: the API's most
PAGE = 1000  # changes or executions per page: the API's most
LIVE = ("active", "waiting")
REBASES = 5  # rounds of re-basing in one report before leaving the rest to the next tick


class ApiProblem(Exception):
    """The API answered with an RFC 9457 problem (or with nothing it declares)."""

    def __init__(self, problem: Problem | None) -> None:
        self.problem = problem
        super().__init__(f"{problem.status} {problem.type_}: {problem.detail}" if problem else "no answer")


def expect(answer: T | Problem | None, kind: type[T]) -> T:
    """The answer when it is the model the call promises; its problem raised otherwise."""
    if isinstance(answer, kind):
        return answer
    raise ApiProblem(answer if isinstance(answer, Problem) else None)


@dataclass
class Contact:
    """The engine's copy of one contact's execution, and the steps it performed."""

    contact_id: str
    version_id: UUID
    action_id: str | None
    status: str
    revision: int
    since: datetime  # when it arrived where it is, on the engine's clock
    performed: list[str] = field(default_factory=list)  # action ids, in the order performed
    # The action performed whose move wfv has not accepted yet: after a refusal the contact
    # may still be on it (on another version), and it must not be performed twice.
    unreported: str | None = None

    @property
    def live(self) -> bool:
        return self.status in LIVE


@dataclass(frozen=True)
class Move:
    """A contact's next position, computed on its version's graph from its revision."""

    contact: Contact
    action_id: str
    status: str
    performs: str | None  # the action performed to take this move (None: only a wait begins)
    base_revision: int


@dataclass
class Tally:
    enrolled: int = 0
    reported: int = 0  # moves wfv applied
    stale: int = 0  # moves refused because wfv had moved the contact
    rebased: int = 0  # refused moves computed again from where wfv said the contact is
    followed: int = 0  # changes of the feed applied to the engine's copy
    known: int = 0  # changes of the feed the engine already had (from a stale answer)


@dataclass
class Engine:
    """One workflow's contacts, run step by step and reported to wfv with their bases."""

    client: AuthenticatedClient
    workflow_id: UUID
    attributes: Callable[[str], Mapping[str, Any]] = lambda _contact: {}
    clock: datetime = field(default_factory=lambda: datetime.now(UTC))
    contacts: dict[str, Contact] = field(default_factory=dict)
    cursor: str | None = None  # the change feed's: keep it across restarts
    tally: Tally = field(default_factory=Tally)
    _graphs: dict[UUID, Graph] = field(default_factory=dict)

    def tick(self, seconds: float) -> int:
        """One turn: learn what wfv moved, move every contact that is due, then let
        ``seconds`` pass on the clock. Returns the moves wfv applied."""
        self.follow()
        moved = self.advance()
        self.clock += timedelta(seconds=seconds)
        return moved

    def enrol(self, contact_ids: Sequence[str]) -> int:
        """Enrol contacts; each starts where wfv put it (the current version, or a rollout's
        target: ``assignments`` says which) at that version's first action."""
        enrolled = 0
        for start in range(0, len(contact_ids), BATCH):
            body = EnrollRequest(contact_ids=list(contact_ids[start : start + BATCH]))
            answer = enroll.sync(self.workflow_id, client=self.client, body=body, assignments=True)
            result = expect(answer, EnrollResult)
            for assigned in result.assignments or []:
                graph = self.graph(assigned.version_id)
                self.contacts[assigned.contact_id] = Contact(
                    assigned.contact_id, assigned.version_id, graph.first, "active", 1, self.clock
                )
            enrolled += result.enrolled
        self.tally.enrolled += enrolled
        return enrolled

    def load(self) -> int:
        """The engine's copy rebuilt from wfv (after a restart): every contact in flight,
        each since wfv's time of its last change (``updated_at``, so a wait goes on where
        it was; the clock should then be real time). Follow the feed from the kept cursor
        afterwards: changes the list already shows are skipped by their revision."""
        loaded = 0
        for status in (ListExecutionsStatusType0.ACTIVE, ListExecutionsStatusType0.WAITING):
            for execution in self._pages(status):
                self.contacts[execution.contact_id] = Contact(
                    execution.contact_id,
                    execution.version_id,
                    execution.current_action_id,
                    str(execution.status),
                    execution.revision,
                    datetime.fromisoformat(execution.updated_at),
                )
                loaded += 1
        return loaded

    def follow(self, wait: float = 0) -> int:
        """Apply every change wfv made since the cursor, page by page; ``wait`` seconds for
        the first one when there is none (the feed answers as soon as one commits)."""
        applied = 0
        while True:
            answer = execution_changes.sync(
                client=self.client,
                after=self.cursor if self.cursor is not None else UNSET,
                workflow_id=self.workflow_id,
                limit=PAGE,
                wait=wait,
            )
            page = expect(answer, ChangePage)
            for change in page.items:
                applied += self.on_change(change)
                self.cursor = change.cursor
            if len(page.items) < PAGE:
                return applied
            wait = 0

    def on_change(self, change: ExecutionChange) -> int:
        """One change of the feed: applied when newer than the engine's copy."""
        contact = self.contacts.get(change.contact_id)
        if contact is None:
            return 0  # not a contact this engine runs
        if change.revision <= contact.revision:
            self.tally.known += 1
            return 0
        self._place(contact, change)
        self.tally.followed += 1
        return 1

    def advance(self) -> int:
        """Move every contact that is due one step, reported with bases; refused moves are
        re-based on the spot. Returns the moves wfv applied."""
        moves = [move for contact in self.contacts.values() if (move := self.step(contact)) is not None]
        applied = 0
        for _round in range(REBASES):
            if not moves:
                break
            applied_now, moves = self._report(moves)
            applied += applied_now
        return applied

    def step(self, contact: Contact) -> Move | None:
        """The contact's next move on its own version's graph, or None: it has ended, its
        wait is not over, or it is on an action its version lacks (a human must look)."""
        graph = self.graph(contact.version_id)
        here = contact.action_id
        if not contact.live or here is None or not graph.has(here):
            return None
        if graph.waits(here):
            if contact.status == "active":  # it has just arrived: the wait begins
                return Move(contact, here, "waiting", None, contact.revision)
            if self.clock < graph.wakes(here, contact.since):
                return None
        following = graph.after(here, self.attributes(contact.contact_id))
        if following is None:
            return Move(contact, here, "completed", here, contact.revision)
        status = "waiting" if graph.waits(following) else "active"
        return Move(contact, following, status, here, contact.revision)

    def graph(self, version_id: UUID) -> Graph:
        """A version's graph, read once: a published version never changes."""
        if version_id not in self._graphs:
            answer = get_version.sync(self.workflow_id, str(version_id), client=self.client)
            version = expect(answer, VersionDetail)
            self._graphs[version_id] = Graph.of(
                version.id, version.version_number, version.definition.to_dict()
            )
        return self._graphs[version_id]

    def _report(self, moves: list[Move]) -> tuple[int, list[Move]]:
        """Perform each move's step, report the moves in batches; returns how many applied
        and the re-based moves of those refused as stale."""
        applied, rebased = 0, []
        for start in range(0, len(moves), BATCH):
            batch = moves[start : start + BATCH]
            for move in batch:
                self._perform(move)
            body = PositionsRequest(moves=[_wire(move) for move in batch])
            answer = report_positions.sync(self.workflow_id, client=self.client, body=body)
            result = expect(answer, PositionsResult)
            refusals = result.stale_moves if not isinstance(result.stale_moves, Unset) else []
            stale = {refused.index: refused for refused in refusals}
            for index, move in enumerate(batch):
                refused = stale.get(index)
                if refused is None:
                    self._apply(move)
                    continue
                self._place(move.contact, refused)
                again = self.step(move.contact)
                if again is not None:
                    rebased.append(again)
            applied += result.updated
            self.tally.reported += result.updated
            self.tally.stale += len(stale)
        self.tally.rebased += len(rebased)
        return applied, rebased

    def _perform(self, move: Move) -> None:
        """The step's work (a real engine sends the mail here), once: not again for a move
        re-based onto the action it already performed."""
        contact = move.contact
        if move.performs is None or move.performs == contact.unreported:
            return
        contact.performed.append(move.performs)
        contact.unreported = move.performs

    def _apply(self, move: Move) -> None:
        contact = move.contact
        contact.action_id, contact.status = move.action_id, move.status
        contact.revision += 1
        contact.since, contact.unreported = self.clock, None

    def _place(self, contact: Contact, where: ExecutionChange | StaleMove) -> None:
        """Where wfv says the contact is now (a change of the feed, or a stale move's
        answer). A contact left waiting on the same wait keeps its start (the wait's new
        length counts from it); anywhere else it starts now."""
        status = str(where.status)
        waits_on = contact.status == status == "waiting" and where.action_id == contact.action_id
        contact.version_id, contact.action_id, contact.status = where.version_id, where.action_id, status
        contact.revision = where.revision
        if not waits_on:
            contact.since = self.clock

    def _pages(self, status: ListExecutionsStatusType0) -> Iterator[Any]:
        cursor: str | Unset = UNSET
        while True:
            answer = list_executions.sync(
                self.workflow_id, client=self.client, status=status, limit=PAGE, cursor=cursor
            )
            page = expect(answer, ExecutionList)
            yield from page.items
            if not isinstance(page.next_cursor, str):
                return
            cursor = page.next_cursor


def _wire(move: Move) -> PositionMove:
    """The move as the API takes it: named by contact, based on the revision it was computed from."""
    return PositionMove(
        contact_id=move.contact.contact_id,
        action_id=move.action_id,
        status=PositionMoveStatus(move.status),
        base_revision=move.base_revision,
    )
