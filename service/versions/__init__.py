"""Workflows and their versions: create, edit, delete, publish, roll back, and the write
path every change to git and the index takes (``write_path``)."""
