"""Outgoing webhooks, signed with HMAC-SHA256 over the exact body bytes
(``X-Wfv-Signature: sha256=<hex>``), so a receiver can check who sent them."""

import hashlib
import hmac
import json
import logging
from typing import Any

import httpx

from service.settings import Settings

log = logging.getLogger("wfv.webhooks")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def notify_migration_finished(settings: Settings, payload: dict[str, Any]) -> None:
    """POST the event; a failure is logged (the migration itself is done and recorded)."""
    if not settings.migration_webhook_url:
        return
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "X-Wfv-Event": str(payload.get("event", ""))}
    if settings.webhook_secret:
        headers["X-Wfv-Signature"] = signature(settings.webhook_secret, body)
    try:
        response = httpx.post(settings.migration_webhook_url, content=body, headers=headers, timeout=5)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.error("migration webhook to %s failed: %s", settings.migration_webhook_url, exc)
