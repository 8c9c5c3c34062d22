"""Bounds on a request's head (request line and headers), enforced while it arrives.

uvicorn's httptools protocol (the one ``wfv serve`` runs) bounds neither: llhttp parses
any number of headers of any size, and uvicorn appends each to the scope, so an 8 MiB
header or 400,000 small ones were read, kept and handed to the app. By the time an ASGI
middleware could look, the memory is spent; the bound has to live in the protocol, where
the bytes come in. (h11 bounds the head at 16 KiB, but answers 400, not 431.)

:class:`BoundedHttpToolsProtocol` counts the bytes of the head as they arrive and the
headers as llhttp completes them, and past either bound answers a 431 problem and closes
the connection. At most one read past the bound is ever held.
"""

import json
import sys
from functools import cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.api.problems import PROBLEM_JSON
from service.settings import Settings

# What uvicorn is given (``http=``): an import path, so ``--processes N`` workers find it too.
PROTOCOL = "service.api.header_limits:BoundedHttpToolsProtocol"


class HeadTooLarge(Exception):
    """Raised inside an llhttp callback to stop the parse; the protocol answers 431."""


@cache
def _limits() -> tuple[int, int]:
    """Once per process, from the same ``WFV_*`` environment the app is built from."""
    settings = Settings()
    return settings.max_header_bytes, settings.max_header_count


def head_too_large_response(detail: str) -> bytes:
    """A complete HTTP/1.1 431 answer with an RFC 9457 body: no app runs for this request."""
    body = json.dumps(
        {
            "type": "/problems/request-header-fields-too-large",
            "title": "Request header fields too large",
            "status": 431,
            "detail": detail,
        }
    ).encode("utf-8")
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        f"content-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a byte bound on the head and a count bound on
    its headers (``WFV_MAX_HEADER_BYTES``, ``WFV_MAX_HEADER_COUNT``)."""

    _in_head = True  # reading a head: since the connection opened or the last message ended
    _raw_bytes = 0  # bytes read while in a head: bounds what llhttp buffers of one header
    _head_bytes = 0  # request line and headers, as llhttp hands them over
    _header_count = 0
    _refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            self._raw_bytes += len(data)
            # Checked before parsing too, so a header that never ends is never fed past one read.
            if self._raw_bytes - len(data) > _limits()[0]:
                self._refuse(self._too_many_bytes())
                return
        super().data_received(data)
        if self._in_head and not self._refused and self._raw_bytes > _limits()[0]:
            self._refuse(self._too_many_bytes())

    def on_message_begin(self) -> None:
        self._head_bytes, self._header_count = 0, 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > _limits()[1]:
            raise HeadTooLarge(f"a request carries at most {_limits()[1]} headers (WFV_MAX_HEADER_COUNT)")
        self._count_head(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # What comes next on this connection is the next request's head.
        self._in_head, self._raw_bytes = True, 0

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > _limits()[0]:
            raise HeadTooLarge(self._too_many_bytes())

    def _too_many_bytes(self) -> str:
        return f"the request line and headers are limited to {_limits()[0]} bytes (WFV_MAX_HEADER_BYTES)"

    def send_400_response(self, msg: str) -> None:
        """llhttp reports an exception raised in a callback as a parse error (uvicorn's
        400); ours is a head too large, answered as such."""
        # Called from uvicorn's ``except HttpParserError``: httptools chains the cause.
        cause = getattr(sys.exc_info()[1], "__context__", None)
        if isinstance(cause, HeadTooLarge):
            self._refuse(str(cause))
            return
        super().send_400_response(msg)

    def _refuse(self, detail: str) -> None:
        self._refused = True
        self.logger.warning("431: %s", detail)
        self.transport.write(head_too_large_response(detail))
        self.transport.close()
