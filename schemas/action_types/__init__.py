"""The action types wfv ships: one JSON Schema (Draft 2020-12) per type, ``<type>.json``,
for an action's ``config``. Data, not code: ``schemas.catalogue`` reads them with
``importlib.resources`` and compiles them once; docs/workflow-format.md lists them."""
