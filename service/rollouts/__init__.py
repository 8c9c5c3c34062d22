"""Guarded rollout of a version to new enrolments."""
