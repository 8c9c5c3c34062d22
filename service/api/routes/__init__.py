"""REST routes under ``/api/v1``: parse, call one use case, shape the answer."""
