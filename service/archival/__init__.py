"""Retention: scheduled archival runs and their reports, an admin's unarchive and legal
holds, and the retention state written to git (``refs/wfv/state``)."""
