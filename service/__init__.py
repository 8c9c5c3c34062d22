"""The FastAPI service: routes, auth, use cases, settings, CLI."""
