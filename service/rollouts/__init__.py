"""Guarded rollouts: a draft sent to a growing share of *new* enrolments while the current
version stays current, then published exactly as a publish does.

Owns the stable assignment of a contact to the target or the baseline (``assignment``),
the lifecycle (``start``; ``transitions``: pause, resume, promote, abort, halt), the
schedule the worker runs (``schedule``: one step at a time, compare-and-set, so a killed
worker resumes without skipping or repeating one), the records of every change (``records``:
an audit entry and a line in the target's git note ``refs/notes/rollouts``), the answer
of ``GET …/rollout`` (``view``) and the rows reindex restores from the notes (``restore``);
the guards' measurement and decision (``guards``, which halt through ``transitions.halt``)
and moving the target's live contacts back after a halt (``migrate_back``).

Not here: enrolment itself (``service.executions.enrolment`` asks ``assignment`` where
each contact goes).
"""
