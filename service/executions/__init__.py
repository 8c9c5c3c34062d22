"""Contacts in flight: enrolment and the engine's position reports, and migrations that
move contacts between versions (plan, start, the runner's batches, windows, ETA, the
completion webhook)."""
