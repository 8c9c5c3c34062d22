"""The HTTP layer: the FastAPI app, its routes (``routes``), dependencies, problem
documents, request bounds, the request observer, event streams, probes and the UI."""
