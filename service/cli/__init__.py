"""The ``wfv`` command: ``serve``, ``worker``, ``db upgrade``, ``reindex``, ``check``, ``token``.

``main`` is the console script: every failure a user can fix is one line on stderr and a
non-zero exit, never a traceback (``failures.py``). Importing the command modules here
registers their commands on the one ``app``.
"""

from service.cli import admin, servers, tokens  # noqa: F401  (registers the commands)
from service.cli.app import app, main

__all__ = ["app", "main"]
