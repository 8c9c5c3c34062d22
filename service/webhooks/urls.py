"""Where a webhook may be sent: checked when an endpoint is registered and again before
every attempt (a name can be pointed elsewhere after registration: DNS rebinding).

Refused unless the settings allow them: plain ``http`` (``WFV_WEBHOOK_ALLOW_HTTP``), and
any address that is not public (``WFV_WEBHOOK_ALLOW_PRIVATE_NETWORKS``): private,
loopback, link-local, multicast, unspecified, reserved and shared ranges, IPv4 inside
IPv6 included. Always refused: another scheme, credentials in the URL, a fragment. A
request is then sent to the very address that was checked (:class:`Target`), with the
name kept for the Host header and TLS, so a second resolution cannot swap it.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

from service.errors import Problem

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL = 2048


class InvalidWebhookUrl(Problem):
    status_code, title, slug = 422, "Invalid webhook URL", "invalid-webhook-url"


@dataclass(frozen=True)
class Rules:
    allow_http: bool = False
    allow_private: bool = False


@dataclass(frozen=True)
class Target:
    """A checked URL: sent to ``url`` (the address in place of the name), with ``host``
    as the Host header and ``server_name`` for TLS (SNI and certificate checks)."""

    url: str
    host: str
    server_name: str


def _refused(problem: str) -> InvalidWebhookUrl:
    return InvalidWebhookUrl(problem, field="url")


def check_form(url: str, rules: Rules) -> SplitResult:
    """The URL's shape: scheme, host, no credentials or fragment."""
    if len(url) > MAX_URL:
        raise _refused(f"a webhook URL has at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is no number or out of range
    except ValueError as exc:
        raise _refused("the webhook URL does not parse") from exc
    allowed = ("https", "http") if rules.allow_http else ("https",)
    if parts.scheme not in allowed:
        raise _refused(
            "a webhook URL must be https"
            if parts.scheme in ("http", "https")
            else f"a webhook URL must be {' or '.join(allowed)}"
        )
    if not parts.hostname:
        raise _refused("the webhook URL has no host")
    if parts.username is not None or parts.password is not None:
        raise _refused("a webhook URL holds no credentials: the signature authenticates us")
    if parts.fragment:
        raise _refused("a webhook URL has no fragment")
    if port == 0:
        raise _refused("the webhook URL's port must be 1 to 65535")
    return parts


def address_problem(address: IpAddress) -> str | None:
    """Why an address is not public (None: it is)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for flag, what in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(address, flag):
            return what
    return None if address.is_global else "not public"


def _addresses(parts: SplitResult) -> list[IpAddress]:
    host = parts.hostname or ""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise _refused("the webhook URL's host name does not resolve") from exc
    seen: list[IpAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    if not seen:
        raise _refused("the webhook URL's host name does not resolve")
    return seen


def check(url: str, rules: Rules) -> Target:
    """The URL checked and resolved: every address it resolves to must be allowed (one
    private address among public ones is refused: which one a client picks is not ours
    to know). The first is the one the request goes to."""
    parts = check_form(url, rules)
    addresses = _addresses(parts)
    if not rules.allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem is not None:
                raise _refused(
                    f"the webhook URL reaches a {problem} address ({address}): only public addresses "
                    "are allowed"
                )
    chosen = addresses[0]
    literal = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host = parts.netloc.rsplit("@", 1)[-1]
    return Target(url=pinned, host=host, server_name=parts.hostname or "")
