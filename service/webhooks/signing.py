"""Outgoing webhooks, signed by the Standard Webhooks specification
(https://www.standardwebhooks.com): ``webhook-id``, ``webhook-timestamp`` and
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``.

The timestamp is inside the signature, so a receiver using any Standard Webhooks library
refuses a captured request replayed outside its tolerance (five minutes), and the id lets
it drop a repeat inside it. Signing uses the specification's own package rather than
code of ours: the one signing implementation of the service, for tenants' endpoints and
the operator's alike. A webhook is never sent unsigned.

An endpoint's secret is kept sealed in the database (:class:`SecretSeal`, with the draft
keys): the service needs it back to sign, so it cannot be a hash, and a copy of the
database alone does not give it away.
"""

import base64
import json
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks import Webhook

from indexer.draft_seal import DraftSeal

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


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


def new_secret() -> str:
    """A fresh endpoint secret in the specification's form: 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def body_of(payload: dict[str, object]) -> bytes:
    """The bytes sent (and signed): the same for every attempt of an event."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


class SecretSeal:
    """Seals an endpoint's secret bound to its tenant and id (a sealed secret copied into
    another row does not open there), with the draft keys: the first seals, all open."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._seal = DraftSeal(keys)

    @staticmethod
    def _bound(tenant_id: str, endpoint_id: uuid.UUID) -> bytes:
        return json.dumps(["wfv-webhook-secret", tenant_id, str(endpoint_id)]).encode("utf-8")

    def seal(self, secret: str, tenant_id: str, endpoint_id: uuid.UUID) -> bytes:
        return self._seal.seal(secret.encode("utf-8"), self._bound(tenant_id, endpoint_id))

    def open(self, token: bytes, tenant_id: str, endpoint_id: uuid.UUID) -> str:
        return self._seal.open(token, self._bound(tenant_id, endpoint_id)).decode("utf-8")

    # A registration's answer holds the secret; kept for its Idempotency-Key's replay, it is
    # sealed the same way, bound to that key (tenant, user, key): a copy of the database
    # alone gives away no secret, from the endpoint's row or from the stored answer.

    @staticmethod
    def _answer_bound(tenant_id: str, user_id: str, key: str) -> bytes:
        return json.dumps(["wfv-idempotent-answer", tenant_id, user_id, key]).encode("utf-8")

    def seal_answer(self, body: bytes, tenant_id: str, user_id: str, key: str) -> bytes:
        return self._seal.seal(body, self._answer_bound(tenant_id, user_id, key))

    def open_answer(self, token: bytes, tenant_id: str, user_id: str, key: str) -> bytes:
        return self._seal.open(token, self._answer_bound(tenant_id, user_id, key))
