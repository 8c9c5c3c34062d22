"""``Idempotency-Key`` on the routes that create or act: the header, the dependency that
claims the key or replays the first answer, and what a route does with its answer.

A route opts in with an :data:`Idempotent` parameter (after its permission parameter, so
a caller who may not act never claims a key) and hands its answer to
:meth:`Idempotency.answer` inside its unit of work, before the commit. Without the
header, the dependency yields a shared do-nothing handle: no SQL, no thread hop, and the
route's answer goes out exactly as before. See ``service/idempotency.py`` for the claim,
the settle in the effect's transaction, and what is kept or released after a failure.
"""

import hashlib
import json
import re
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, FastAPI, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from indexer.idempotency import KeyScope
from indexer.models import WorkflowVersion
from schemas.history import VersionEvent
from schemas.status import InvalidTransition
from service import idempotency
from service.api.deps import ContainerDep, current_principal
from service.api.problems import problem_answer, transition_answer
from service.auth import Principal
from service.container import Container
from service.errors import IdempotencyKeyInUse, InvalidIdempotencyKey, Problem, RefsMoved
from service.idempotency import Answer, Claim
from service.uow import UnitOfWork
from service.versions import retries
from service.versions.editing import VersionRef
from service.versions.workflows import load_workflow

REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# The headers of an answer that belong to it (the rest are every answer's: request id,
# security headers, added on the way out each time).
KEPT_HEADERS = ("content-type", "location", "etag")
# A stored answer's mark: its body is sealed (an answer that holds a secret, such as a
# webhook's registration: ``SecretSeal.seal_answer``), opened again to be replayed.
SEALED = "x-wfv-sealed"
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
# Refusals that depend on the moment, not on the request: a retry may well succeed, so
# they are not kept (the claim is released instead).
_WORTH_RETRYING: tuple[type[BaseException], ...] = (IdempotencyKeyInUse, RefsMoved)

M = TypeVar("M", bound=BaseModel)


def parse_key(value: str) -> str:
    """The key: a Structured Field string as the draft has it (``"..."``), or the bare
    token Stripe's clients send; 1 to 255 printable ASCII characters either way."""
    text = value.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = re.sub(r"\\([\\\"])", r"\1", text[1:-1])
    if not text:
        raise InvalidIdempotencyKey("Idempotency-Key is empty", field="Idempotency-Key")
    if len(text) > MAX_KEY_LENGTH:
        raise InvalidIdempotencyKey(
            f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters", field="Idempotency-Key"
        )
    if _PRINTABLE.fullmatch(text) is None:
        raise InvalidIdempotencyKey(
            "Idempotency-Key may hold printable ASCII characters only (a UUID is a good key)",
            field="Idempotency-Key",
        )
    return text


def fingerprint(method: str, path: str, query: str, if_match: str, body: bytes) -> str:
    """What makes two requests "the same": method, path and query, If-Match (it changes
    what a publish or a commit does) and the body: as JSON, what it parses to (a client
    that serialises its retry again, with other spacing or key order, sends the same
    request), else its bytes."""
    digest = hashlib.sha256()
    for part in (method, path, query, if_match):
        digest.update(part.encode("latin-1", "replace"))
        digest.update(b"\0")
    digest.update(_normalised(body))
    return digest.hexdigest()


def _normalised(body: bytes) -> bytes:
    if not body:
        return body
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (the route refuses it): its bytes
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode("ascii")


def request_fingerprint(request: Request, body: bytes) -> str:
    url = request.url
    return fingerprint(request.method, url.path, url.query, request.headers.get("if-match", ""), body)


class IdempotentReplay(Exception):
    """Raised by the dependency to answer with a stored answer instead of the route."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("replay")
        self.answer = answer


def replay_response(answer: Answer) -> Response:
    headers = {**answer.headers, REPLAYED: "true"}
    if answer.body is None:  # too big to keep: the status and the headers (Location) say what was done
        headers.pop("content-type", None)
    return Response(answer.body or b"", status_code=answer.status_code, headers=headers)


async def _on_replay(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    return replay_response(exc.answer)


def install_replay_handler(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _on_replay)


def _answer_of(response: Response) -> Answer:
    headers = {name: value for name, value in response.headers.items() if name in KEPT_HEADERS}
    return Answer(response.status_code, headers, bytes(response.body))


class Idempotency:
    """A route's handle on its request's key; without a key, every method is a pass-through."""

    def __init__(
        self, container: Container | None = None, claimed: Claim | None = None, status_code: int = 200
    ):
        self._container = container
        self.claimed = claimed
        self._status_code = status_code
        self._pending: Answer | None = None  # an answer no write unit took: kept after the route
        self._settled = False

    def answer(
        self, uow: UnitOfWork, build: Callable[[], M], response: Response, *, sealed: bool = False
    ) -> M | Response:
        """The route's answer: ``build()`` after the unit's changes are flushed (so the
        rows hold what the commit will save), with the headers the route set on
        ``response`` (Location, ETag). With a key, it is recorded in the unit's own
        transaction, to commit with the effect, and sent as built; ``sealed``: the answer
        holds a secret, and is kept sealed (a copy of the database alone does not show it)."""
        uow.session.flush()  # defaults and counters are set at the flush: read them after it
        model = build()
        if self.claimed is None:
            return model
        status = response.status_code or self._status_code
        headers = {name: value for name, value in response.headers.items() if name in KEPT_HEADERS}
        reply = Response(
            model.model_dump_json(), status_code=status, headers=headers, media_type="application/json"
        )
        return self.respond(uow, reply, sealed=sealed)

    def earlier_version(
        self, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, *events: VersionEvent
    ) -> WorkflowVersion | None:
        """When this request took over a claim whose lease lapsed: the version that claim's
        request made (its commit of one of ``events``, found in git after healing), to be
        answered instead of doing the work again (``service.versions.retries``)."""
        lapsed = self.claimed.lapsed if self.claimed is not None else None
        if lapsed is None:
            return None
        workflow = load_workflow(uow, principal, workflow_id, lock=True)
        return retries.earlier_version(uow, workflow, lapsed, events)

    def earlier_state_change(
        self, uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, ref: VersionRef
    ) -> WorkflowVersion | None:
        """The same for a retention change of version ``ref`` (unarchive, legal hold): the
        version as that claim's request left it, found by its state commit."""
        lapsed = self.claimed.lapsed if self.claimed is not None else None
        if lapsed is None:
            return None
        workflow = load_workflow(uow, principal, workflow_id, lock=True)
        return retries.earlier_state_change(uow, workflow, lapsed, ref)

    def earlier_workflow(self, principal: Principal) -> uuid.UUID | None:
        """The same for a create: the workflow a lapsed claim's request created, indexed
        (call it before opening the route's unit)."""
        lapsed = self.claimed.lapsed if self.claimed is not None else None
        if lapsed is None or self._container is None:
            return None
        return retries.earlier_workflow(self._container, principal, lapsed)

    def respond(self, uow: UnitOfWork, reply: Response, *, sealed: bool = False) -> Response:
        """A route's ready-made answer (a dry run's plan), recorded the same way: in the
        unit's transaction when it writes, else on its own once the route is done."""
        if self.claimed is None:
            return reply
        answer = _answer_of(reply)
        if sealed and self._container is not None and answer.body is not None:
            scope = self.claimed.scope
            body = self._container.webhook_seal.seal_answer(
                answer.body, scope.tenant_id, scope.user_id, scope.key
            )
            answer = Answer(answer.status_code, {**answer.headers, SEALED: "1"}, body)
        if uow.write:
            idempotency.settle(uow, self.claimed, answer)
            self._settled = True
        else:
            self._pending = answer
        return reply

    def finish(self, error: BaseException | None) -> None:
        """After the route (in a worker thread): keep a pending answer or a refusal the
        request will always get; release the key after anything worth retrying."""
        claimed, container = self.claimed, self._container
        if claimed is None or container is None or (self._settled and error is None):
            return
        if error is None and self._pending is not None:
            idempotency.keep(container, claimed, self._pending)
            return
        refusal = _refusal(error) if error is not None else None
        if refusal is not None:
            idempotency.keep(container, claimed, _answer_of(refusal))
        else:
            idempotency.release(container, claimed)


def _refusal(error: BaseException) -> Response | None:
    """The answer a request will get every time it is sent (a 4xx from the use case),
    rendered as the problem handlers render it; None for what is worth retrying: a 5xx,
    a database away or a conflict, a body that did not validate (nothing started; it
    fails the same way again without a stored answer)."""
    if isinstance(error, _WORTH_RETRYING):
        return None
    if isinstance(error, Problem) and 400 <= error.status_code < 500:
        return problem_answer(error)
    if isinstance(error, InvalidTransition):
        return transition_answer(error)
    return None


async def _idempotency(
    request: Request,
    container: ContainerDep,
    principal: Annotated[Principal, Depends(current_principal)],
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Any unique string up to 255 printable ASCII characters (a UUID): the same "
            "request sent again with the same key within 24 h gets the first answer, and is not "
            "done twice. See docs/api-conventions.md.",
        ),
    ] = None,
) -> AsyncIterator[Idempotency]:
    if idempotency_key is None:
        yield _NO_KEY
        return
    key = parse_key(idempotency_key)
    scope = KeyScope(principal.tenant_id, principal.user_id, key)
    print_ = request_fingerprint(request, await request.body())
    outcome = await run_in_threadpool(idempotency.claim, container, scope, print_)
    if isinstance(outcome, Answer):
        raise IdempotentReplay(_opened(container, scope, outcome))
    route = request.scope.get("route")
    handle = Idempotency(container, outcome, getattr(route, "status_code", None) or 200)
    # The route's commits carry the claim (the route runs in a copy of this context).
    with idempotency.acting_for(outcome):
        try:
            yield handle
        except BaseException as exc:
            await run_in_threadpool(handle.finish, exc)
            raise
    await run_in_threadpool(handle.finish, None)


def _opened(container: Container, scope: KeyScope, answer: Answer) -> Answer:
    """A stored answer as it is replayed: a sealed one opened (bound to this very key)."""
    if SEALED not in answer.headers:
        return answer
    headers = {name: value for name, value in answer.headers.items() if name != SEALED}
    body = answer.body
    if body is not None:
        body = container.webhook_seal.open_answer(body, scope.tenant_id, scope.user_id, scope.key)
    return Answer(answer.status_code, headers, body)


_NO_KEY = Idempotency()

# Exits before the answer is sent (``scope="function"``): a retry that arrives the moment
# the first answer does finds the key settled, never still claimed.
Idempotent = Annotated[Idempotency, Depends(_idempotency, scope="function")]
