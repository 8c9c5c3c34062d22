"""A real local HTTP receiver of webhooks, scripted per request: answer a status, hang
past the sender's timeout, or drop the connection without answering."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook

HANG = "hang"  # answer nothing for ``hang_seconds`` (past the sender's timeout)
DROP = "drop"  # close the connection without an answer


@dataclass
class Request:
    body: bytes
    headers: dict[str, str]
    path: str


@dataclass
class Receiver:
    """``script``: what to do with each request in turn (an int is a status to answer);
    past its end every request gets ``then``."""

    script: list[int | str] = field(default_factory=list)
    then: int | str = 204
    hang_seconds: float = 5.0
    received: list[Request] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def next_move(self, request: Request) -> int | str:
        with self._lock:
            self.received.append(request)
            index = len(self.received) - 1
            return self.script[index] if index < len(self.script) else self.then

    def wait_for(self, count: int, seconds: float) -> list[Request]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def verified(self, secret: str) -> list[dict[str, Any]]:
        """Every request's payload, each checked with the specification's own library."""
        return [Webhook(secret).verify(r.body, r.headers) for r in self.received]


@contextmanager
def receiving(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            move = receiver.next_move(Request(body, headers, self.path))
            if move == HANG:
                time.sleep(receiver.hang_seconds)
                move = 204
            if move == DROP:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            try:
                self.send_response(int(move))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except (BrokenPipeError, ConnectionResetError):
                # A sender that gave up while we hung: what ``HANG`` is for, not an error
                # (the server would print its traceback after the test run's summary).
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
