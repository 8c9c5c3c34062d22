"""Outgoing webhooks, signed by the Standard Webhooks specification
(https://www.standardwebhooks.com): ``webhook-id``, ``webhook-timestamp`` and
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``.

The timestamp is inside the signature, so a receiver using any Standard Webhooks library
refuses a captured request replayed outside its tolerance (five minutes), and the id lets
it drop a repeat inside it. Signing uses the specification's own package rather than
code of ours. A webhook is never sent unsigned: the settings refuse a URL without a secret.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from service.settings import Settings

log = logging.getLogger("wfv.webhooks")
SECRET_PREFIX = "whsec_"


def signer(secret: str) -> Webhook:
    """A ``whsec_<base64>`` secret is the specification's form (the key is its decoded
    bytes); any other string is used as its UTF-8 bytes, so an existing secret keeps
    working (the receiver passes the same bytes to its library)."""
    if secret.startswith(SECRET_PREFIX):
        return Webhook(secret)
    return Webhook(secret.encode("utf-8"))


def signed_headers(secret: str, body: bytes, *, message_id: str, at: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body`` sent at ``at``."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signer(secret).sign(message_id, at, body.decode("utf-8")),
    }


def notify_migration_finished(settings: Settings, payload: dict[str, Any], *, message_id: str) -> None:
    """POST the event; a failure is logged (the migration itself is done and recorded).
    ``message_id`` names the event, not the attempt, so a receiver can drop a repeat."""
    if not settings.migration_webhook_url:
        return
    if not settings.webhook_secret:  # the settings refuse this; an unsigned call is never sent
        log.error("migration webhook not sent: WFV_WEBHOOK_SECRET is not set")
        return
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "X-Wfv-Event": str(payload.get("event", "")),
        **signed_headers(settings.webhook_secret, body, message_id=message_id, at=datetime.now(UTC)),
    }
    try:
        response = httpx.post(settings.migration_webhook_url, content=body, headers=headers, timeout=5)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.error("migration webhook to %s failed: %s", settings.migration_webhook_url, exc)
