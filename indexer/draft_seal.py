"""The sealed format of a draft revision, bound to whose draft of which version it is.

A token is ``b"\\x02" + nonce (12 bytes) + AES-GCM-SIV ciphertext and tag``, encrypted with
the draft's (tenant, version, user) as associated data: a token copied into another
tenant's, version's or user's row fails to decrypt there, where a Fernet token (the format
before revision 0010) opened anywhere. AES-GCM-SIV keeps random nonces safe however many
saves one key seals. Each configured key (a Fernet key, ``WFV_DRAFT_KEYS``) gives an AES
key through HKDF; the first seals, every one opens, so keys still rotate without a rewrite.

Kept in ``indexer`` because the draft tables store it and migration 0010 writes it.
"""

import base64
import json
import os
import uuid
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x02"
_NONCE = 12
_INFO = b"wfv draft revision, AES-GCM-SIV, v2"


class SealBroken(ValueError):
    """No key opens the token for this place: a wrong key, or a token moved here."""


def associated_data(tenant_id: str, version_id: uuid.UUID, user_id: str) -> bytes:
    """Whose draft of which version, unambiguously (a JSON array: no separator to forge)."""
    return json.dumps(["wfv-draft", tenant_id, str(version_id), user_id]).encode("utf-8")


def _aead(fernet_key: str) -> AESGCMSIV:
    secret = base64.urlsafe_b64decode(fernet_key.encode("ascii"))
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)
    return AESGCMSIV(derived)


class DraftSeal:
    """Seals with the first key, opens with any (a rotation keeps old tokens readable)."""

    def __init__(self, fernet_keys: Sequence[str]) -> None:
        if not fernet_keys:
            raise ValueError("at least one draft key is needed")
        self._aeads = [_aead(key) for key in fernet_keys]

    def seal(self, plaintext: bytes, associated: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return VERSION + nonce + self._aeads[0].encrypt(nonce, plaintext, associated)

    def open(self, token: bytes, associated: bytes) -> bytes:
        if token[:1] != VERSION or len(token) < 1 + _NONCE + 16:
            raise SealBroken("not a bound draft token")
        nonce, sealed = token[1 : 1 + _NONCE], token[1 + _NONCE :]
        for aead in self._aeads:
            try:
                return aead.decrypt(nonce, sealed, associated)
            except InvalidTag:
                continue
        raise SealBroken("no configured key opens this token here")
