"""Reindex's part for rollouts: the rows made again from the records in
``refs/notes/rollouts`` (the newest line of each rollout wins; see ``indexer.rollouts.restore``).
A restored rollout has no cohort: contact ids are never written to git."""

from indexer import rollouts as rows
from indexer.models import Workflow
from schemas.history import ROLLOUTS_NOTES_REF
from schemas.rollouts import parse_note
from service.uow import UnitOfWork


def restore_rollouts(uow: UnitOfWork, workflow: Workflow) -> int:
    """Rows changed; the caller holds the workflow's lock (reindex's unit)."""
    notes = uow.repo(workflow.id).notes(ROLLOUTS_NOTES_REF)
    records = [record for text in notes.values() for record in parse_note(text)]
    return rows.restore(uow.session, workflow, records) if records else 0
