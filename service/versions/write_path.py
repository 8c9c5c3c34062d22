"""The write path: every change to a workflow, in the same four steps.

1. **git objects**: commits with wfv's trailers, trees, tags, notes (``write_*`` below,
   ``service.archival.state_in_git``, ``service.compare.reviews``): unreachable until a ref names them;
2. **index rows**, staged by the use case and flushed by :func:`move_refs`, so a
   constraint error surfaces before git moves;
3. **refs by compare-and-swap** from the values the index holds (:func:`move_refs`: the
   branch or tag, and the watermark ``refs/wfv/head``), so git is ahead of the index
   from here on, never behind; a ref not where the index left it was moved by hand and is
   refused (``service.healing.ref_guard``);
4. **commit** of the unit of work (``service.uow``): refs moved back if it fails, healing
   (``service.healing.reconcile``) if the process dies between 3 and 4.

Notes refs (review threads, records of pushed commits) are append-only logs that no
index row names: their old value is git's own, read under the workflow's lock.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from indexer.models import Workflow, WorkflowVersion
from repo_store import Identity, RefConflict, RefUpdate, WorkflowRepo
from schemas.history import MAIN_REF, RECORDS_REF, WATERMARK_REF, Trailer, VersionEvent, draft_ref, tag_ref
from service.healing.ref_guard import expect_refs
from service.idempotency import claim_trailers
from service.uow import UnitOfWork


@dataclass(frozen=True)
class Written:
    commit: str
    tree: str
    refs: list[RefUpdate]


def version_trailers(
    version: WorkflowVersion, event: VersionEvent, lock: int, actor: Identity
) -> dict[str, str]:
    return {
        Trailer.VERSION: str(version.version_number),
        Trailer.VERSION_ID: str(version.id),
        Trailer.EVENT: event.value,
        Trailer.LOCK: str(lock),
        Trailer.AUTHOR_ID: actor.id,
    } | claim_trailers()


def write_draft_commit(
    repo: WorkflowRepo,
    *,
    version: WorkflowVersion,
    event: VersionEvent,
    lock: int,
    document: bytes,
    parent: str | None,
    message: str,
    actor: Identity,
    when: datetime,
    extra: dict[str, str] | None = None,
    pushed: str | None = None,
) -> Written:
    """A commit on ``drafts/vN`` (create, edit or delete), or, for a ``pushed`` commit,
    that commit itself with wfv's record of it (:func:`record_pushed`).

    ``document`` is the version's canonical bytes (``canonical_json``), serialised once by
    the caller, which often needed them already (an edit compares them with the draft's).
    """
    trailers = version_trailers(version, event, lock, actor) | (extra or {})
    # The branch moves from where the index says this draft is (a hand-moved ref is refused).
    old = None if event == VersionEvent.CREATE else version.commit_sha
    if pushed is not None:
        return record_pushed(
            repo,
            version=version,
            old=old,
            trailers=trailers,
            document=document,
            pushed=pushed,
            actor=actor,
            when=when,
        )
    commit, tree = repo.write_commit(
        document=document,
        parents=[parent] if parent else [],
        message=message,
        trailers=trailers,
        author=actor,
        when=when,
    )
    return Written(commit, tree, [RefUpdate(draft_ref(version.version_number), old, commit)])


def record_pushed(
    repo: WorkflowRepo,
    *,
    version: WorkflowVersion,
    old: str | None,
    trailers: dict[str, str],
    document: bytes,
    pushed: str,
    actor: Identity,
    when: datetime,
) -> Written:
    """The pushed commit becomes the draft's head as it is, so the pusher's next push is a
    plain fast-forward. What wfv must know of it (version, event, lock, author, time, the
    head it was pushed onto, the canonical document's tree) goes to ``refs/wfv/records``,
    which nobody can push: the commit's own message and dates are the user's."""
    tree = repo.write_document_tree(document)
    record: dict[str, object] = {"trailers": trailers, "tree": tree, "previous": old, "at": when.isoformat()}
    before, after = repo.write_record(commit=pushed, record=record, author=actor, when=when)
    refs = [RefUpdate(draft_ref(version.version_number), old, pushed), RefUpdate(RECORDS_REF, before, after)]
    return Written(pushed, tree, refs)


def write_publish_commit(
    repo: WorkflowRepo,
    *,
    version: WorkflowVersion,
    main: str | None,
    lock: int,
    message: str,
    actor: Identity,
    when: datetime,
    extra: dict[str, str] | None = None,
) -> Written:
    """A commit on ``main`` with the draft's tree, and the annotated tag ``vN``.

    ``main`` is the current version's commit as the index knows it: the parent of the new
    commit and the CAS's expectation, never a fresh read of a ref someone may have moved.
    """
    trailers = version_trailers(version, VersionEvent.PUBLISH, lock, actor)
    trailers |= {Trailer.DRAFT_COMMIT: version.commit_sha} | (extra or {})
    tree = version.tree_sha  # the draft's canonical document, already in git
    commit = repo.commit_tree(
        tree=tree, parents=[main] if main else [], message=message, trailers=trailers, author=actor, when=when
    )
    name = f"v{version.version_number}"
    tag = repo.write_tag(name=name, target=commit, tagger=actor, when=when, message=message)
    refs = [
        RefUpdate(MAIN_REF, main, commit),
        RefUpdate(tag_ref(version.version_number), None, tag),
    ]
    return Written(commit, tree, refs)


def move_refs(
    uow: UnitOfWork,
    workflow: Workflow,
    repo: WorkflowRepo,
    refs: Sequence[RefUpdate],
    *,
    head: str | None,
    reflog: str,
    flushed: bool = False,
) -> None:
    """Steps 2 and 3 of every write (the module's docstring): flush the staged rows (unless
    the caller just did, for many workflows at once), the watermark's new value among
    them, then move the refs, and the watermark to ``head`` when the change is one the
    index is rebuilt from, by compare-and-swap from where the index left them. A swap that
    finds a ref elsewhere says which and why (a ref moved by hand is refused as such). The
    unit moves the refs back, and rolls the rows back, if it does not commit.
    ``head=None``: a review note, which no index row is rebuilt from."""
    updates = list(refs)
    if head is not None:
        updates.append(RefUpdate(WATERMARK_REF, workflow.git_head, head))
        workflow.git_head = head  # staged with the rest: one UPDATE of the workflow row, not two
    if not flushed:
        uow.session.flush()
    try:
        uow.swap_refs(repo, updates, reflog=reflog)
    except RefConflict:
        # The swap read every ref under its lock; read again to name what moved (only
        # on this rare path: the happy one reads each ref once).
        expect_refs(repo, workflow, updates)
        raise
