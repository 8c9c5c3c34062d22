"""The reference engine (docs/engine-contract.md): enrols contacts, walks each through its
own version's graph on a simulated clock, reports every move with the revision it was
computed from, re-bases the moves wfv refuses as stale, and follows the change feed for
the contacts wfv moved. ``python -m examples.engine --help`` runs it against a server."""
