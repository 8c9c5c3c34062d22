"""Event webhooks: tenants' endpoints (registered by admins through the API), events
written to an outbox in the same transaction as the change they describe
(``events.emit``), and their delivery by the workers (``delivery``): signed by the
Standard Webhooks specification (``signing``), retried with backoff for up to a day,
every attempt recorded, to URLs checked at registration and again before each attempt
(``urls``). The environment's migration webhook (``WFV_MIGRATION_WEBHOOK_URL``) is one
more endpoint of this machinery: the operator's, receiving ``migration.completed`` of
every tenant. docs/webhooks.md is the user's side of it."""
