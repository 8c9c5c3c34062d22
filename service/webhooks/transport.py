"""One attempt at sending a webhook: a POST to a checked address, no redirect followed,
each phase bounded by the timeout, at most :data:`MAX_READ` bytes of the answer read
(and then dropped: a receiver's body is never stored nor logged). What went wrong is said
in our own words (:class:`Answer`), never the receiver's."""

import time
from dataclasses import dataclass

import httpx

from service.webhooks import urls

MAX_READ = 4096


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _error(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the receiver broke the HTTP exchange"
    return f"request failed ({type(exc).__name__})"


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    rules: urls.Rules | None,
) -> Answer:
    """POST ``body``. ``rules`` None: the operator's own URL (from the environment), sent
    as it is; else the URL is checked (and resolved) again now, and the request goes to
    the address checked."""
    started = time.perf_counter()

    def took() -> int:
        return int((time.perf_counter() - started) * 1000)

    extensions: dict[str, object] = {}
    sent_headers = dict(headers)
    if rules is not None:
        try:
            target = urls.check(url, rules)
        except urls.InvalidWebhookUrl as exc:
            return Answer(None, took(), f"refused: {exc.detail}"[:300])
        url, sent_headers["Host"] = target.url, target.host
        if target.url.startswith("https:"):
            extensions["sni_hostname"] = target.server_name
    try:
        # No proxy from the environment (trust_env): the address checked is the one reached.
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", url, content=body, headers=sent_headers)
            request.extensions.update(extensions)
            response = client.send(request, stream=True)
            try:
                read = 0
                for chunk in response.iter_raw():
                    read += len(chunk)
                    if read >= MAX_READ:
                        break
            finally:
                response.close()
    except httpx.HTTPError as exc:
        return Answer(None, took(), _error(exc))
    status = response.status_code
    error = None if 200 <= status < 300 else f"answered HTTP {status}"
    if 300 <= status < 400:
        error = f"answered HTTP {status} (redirects are not followed)"
    return Answer(status, took(), error)
