"""What a verified token's claims may hold, beyond what its signature proves.

A signature says the identity provider wrote the claims, not that they are fit for this
service: a user's id may come from whatever a sign-up form or an admin console let through,
and several applications share one provider's keys. So, once the signature holds:

- the times (``exp``, ``nbf``, ``iat``) are JSON numbers a clock can hold, never strings
  PyJWT would quietly convert, nor integers too large for the float a cache compares with;
- ``sub`` and the tenant id show as themselves: no control, separator, bidi or invisible
  character (``alice`` + U+200B reads as ``alice`` in the audit trail and the UI), no
  space but U+0020, and in Unicode's composed form (NFC), so two ids that look alike are
  one id;
- ``system:`` actors are wfv's own (``system:archival``, ``system:reconcile``): no token
  can act, or be recorded, as one of them;
- when an allow-list of authorised parties is configured, ``azp`` names one of them.
"""

import unicodedata
from typing import Any

from service.errors import Unauthorized

RESERVED_ACTOR_PREFIX = "system:"
TIME_CLAIMS = ("exp", "nbf", "iat")
# 9999-12-31T23:59:59Z: later times overflow a datetime (and very large ones a float).
_LATEST_TIME = 253_402_300_799
# What does not show as itself: controls (Cc), format characters (Cf: bidi overrides and
# isolates, zero-width spaces and joiners, the BOM, the soft hyphen), surrogates (Cs),
# private-use (Co) and unassigned (Cn) code points, separators of lines (Zl), paragraphs
# (Zp) and every space but U+0020 (Zs).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def shows_as_itself(text: str) -> bool:
    """Whether ``text`` reads as exactly one string: nothing hidden, nothing reordered,
    and no second spelling of the same letters (its NFC form is itself)."""
    for ch in text:
        if ch != " " and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            return False
    return unicodedata.is_normalized("NFC", text)


def identifier(value: Any, name: str, limit: int) -> str:
    """A claim usable as an id: a non-blank, unpadded string of at most ``limit``
    characters that shows as itself (see ``shows_as_itself``); else a 401. The id is
    written as a commit trailer and into the index and the audit trail, and must read back
    exactly as it was given (a NUL would reach PostgreSQL, a line break a git header)."""
    if not isinstance(value, str) or not value.strip() or value != value.strip() or len(value) > limit:
        raise Unauthorized(f"the token's '{name}' claim is missing or invalid")
    if not shows_as_itself(value):
        raise Unauthorized(
            f"the token's '{name}' claim holds a control, separator, bidi, invisible or uncomposed character"
        )
    return value


def display_text(value: Any, fallback: str) -> str:
    """A ``name`` or ``email`` claim as shown in commits: any string UTF-8 can carry (git
    cleans what a terminal would act on), else ``fallback``; a lone surrogate would make
    the commit unwritable, a 500 for a cosmetic claim."""
    if not isinstance(value, str):
        return fallback
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return fallback
    return value[:255]


def actor(value: Any) -> str:
    """The token's ``sub`` as an actor id: an identifier not in wfv's reserved namespace
    (compared as a reader sees it: any case, full-width letters included)."""
    user_id = identifier(value, "sub", 255)
    if unicodedata.normalize("NFKC", user_id).casefold().startswith(RESERVED_ACTOR_PREFIX):
        raise Unauthorized(f"'{RESERVED_ACTOR_PREFIX}' actors are reserved for wfv itself")
    return user_id


def check_times(claims: dict[str, Any]) -> None:
    """``exp``, ``nbf`` and ``iat``, where present, are numbers between 1970 and 9999
    (RFC 7519's NumericDate); PyJWT alone accepts ``"exp": "1735689600"``."""
    for name in TIME_CLAIMS:
        if name not in claims:
            continue
        value = claims[name]
        # The range also refuses NaN and infinity, and compares a huge integer exactly.
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= _LATEST_TIME:
            raise Unauthorized(f"the token's '{name}' claim must be a number of seconds since 1970")


def check_authorized_party(claims: dict[str, Any], allowed: list[str]) -> None:
    """With an allow-list, the token must say it was issued to one of the listed
    applications (``azp``, OpenID Connect's authorised party); a token without one, or
    issued to another application of the same provider, is refused."""
    if allowed and claims.get("azp") not in allowed:
        raise Unauthorized("the token was issued to an application this service does not accept (azp)")
