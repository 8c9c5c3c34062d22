"""Pydantic models of the workflow document and the API, canonical JSON, structure checks.

Pure: no I/O of any kind, so every other package can depend on it.
"""
