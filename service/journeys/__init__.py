"""Journeys: every change of an execution's position, kept for
``WFV_JOURNEY_RETENTION_DAYS``: one execution's journey, where a contact was at an instant
(``history.py``), and the daily expiry of what is older (``retention.py``). The rows are
written with each change, in its transaction (``indexer.journey``)."""
