"""The bridge to ``git http-backend`` (CGI) for clone and fetch, streamed.

git's own upload-pack answers: protocol v2, bitmaps, shallow and partial clones, all as
fast as a local ``file://`` clone. The request body is bounded and inflated as it
arrives (so a gzip bomb stops at the limit; a fetch's bound is small, WFV_GIT_MAX_FETCH_BYTES,
a push's its own), then written to the CGI's stdin in full *before* the
streaming response starts: Starlette's disconnect listener would otherwise race the
backend for the request body and the backend would wait for input forever.
"""

import logging
import re
import tempfile
import zlib
from collections.abc import AsyncIterator
from typing import IO

import anyio
from anyio.abc import Process
from fastapi import Request
from starlette.responses import StreamingResponse

from repo_store.gitenv import git_env
from service.errors import PayloadTooLarge, Problem, UnsupportedMediaType
from service.git.access import GitTarget

log = logging.getLogger("wfv.git_http")

UPLOAD_PACK = "git-upload-pack"
RECEIVE_PACK = "git-receive-pack"
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n")
_PASSED_HEADERS = {"content-type", "cache-control", "expires", "pragma"}
_GIT_PROTOCOL = re.compile(r"^[A-Za-z0-9=:._-]{1,256}$")
_CHUNK = 65536
# Served refs: ours are internal (the index watermark), so clones never see them, and
# what only they reach is never served (service/git/wants.py checks every id asked for).
HIDDEN_REFS = ("refs/wfv/",)
# Objects by id only as git_wants allows (the allow* defaults, stated: no host config can
# loosen them); partial clones, but no ``sparse:oid`` filter, which reads a blob by any name.
BACKEND_CONFIG = (
    *(("uploadpack.hideRefs", prefix) for prefix in HIDDEN_REFS),
    ("http.uploadpack", "true"),
    ("http.receivepack", "false"),
    ("http.getanyfile", "false"),
    ("uploadpack.allowFilter", "true"),
    ("uploadpackfilter.sparse:oid.allow", "false"),
    ("uploadpack.allowTipSHA1InWant", "false"),
    ("uploadpack.allowReachableSHA1InWant", "false"),
    ("uploadpack.allowAnySHA1InWant", "false"),
    ("uploadpack.allowRefInWant", "false"),
)


class MalformedBody(Problem):
    status_code, title, slug = 400, "Malformed body", "malformed-body"


class BackendFailed(Problem):
    status_code, title, slug = 502, "git backend failed", "git-backend-failed"


def require_content_type(request: Request, service: str) -> None:
    expected = f"application/x-{service}-request"
    given = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if given != expected:
        raise UnsupportedMediaType(f"a {service} request is {expected}, not {given or 'untyped'}")


async def read_body(request: Request, limit: int, setting: str) -> bytes:
    """The request body, inflated as it arrives when gzip: neither what arrives nor what
    it inflates to is ever held past ``limit`` bytes (``setting`` names the bound)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise PayloadTooLarge(f"git request bodies are limited to {limit} bytes ({setting})")
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise UnsupportedMediaType(f"content-encoding {encoding!r} is not supported (gzip is)")
    body = _BoundedBody(limit, setting, gzip=encoding != "identity")
    async for chunk in request.stream():
        body.add(chunk)
    return body.finish()


class _BoundedBody:
    """Chunks in, at most ``limit`` bytes kept, counted before and after inflating."""

    def __init__(self, limit: int, setting: str, *, gzip: bool) -> None:
        self.limit, self.setting, self.received = limit, setting, 0
        self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self.out = bytearray()

    def add(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.limit:
            self._too_large("")
        if self.inflater is None:
            self.out += chunk
            return
        try:
            self.out += self.inflater.decompress(chunk, self.limit + 1 - len(self.out))
        except zlib.error as exc:
            raise MalformedBody(f"the gzip body is corrupt: {exc}") from exc
        if len(self.out) > self.limit or self.inflater.unconsumed_tail:
            self._too_large(" once inflated")

    def finish(self) -> bytes:
        if self.inflater is not None and not self.inflater.eof:
            raise MalformedBody("the gzip body is truncated")
        return bytes(self.out)

    def _too_large(self, when: str) -> None:
        raise PayloadTooLarge(f"git request bodies are limited to {self.limit} bytes{when} ({self.setting})")


def backend_env(
    target: GitTarget, request: Request, *, path_info: str, body: bytes, user: str
) -> dict[str, str]:
    """The CGI environment; ``PATH_INFO`` is built from the parsed workflow id only."""
    extra = {
        "GIT_PROJECT_ROOT": str(target.project_root),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{target.workflow_id}.git/{path_info}",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": f"service={UPLOAD_PACK}" if path_info == "info/refs" else "",
        "CONTENT_TYPE": request.headers.get("content-type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_USER": user,
        "REMOTE_ADDR": request.client.host if request.client else "",
    }
    protocol = request.headers.get("git-protocol")
    if protocol and _GIT_PROTOCOL.fullmatch(protocol):
        extra["HTTP_GIT_PROTOCOL"] = protocol
    return git_env(target.path, BACKEND_CONFIG, extra)


async def serve_upload_pack(env: dict[str, str], body: bytes) -> StreamingResponse:
    """Run the CGI; answer with its status and headers, then stream its output."""
    stderr = tempfile.TemporaryFile()
    process = await anyio.open_process(["git", "http-backend"], env=env, stderr=stderr)
    try:
        head, rest = await _feed_and_read_head(process, body)
        status, headers = _parse_head(head)
    except BaseException:
        await _stop(process, stderr)
        raise
    return StreamingResponse(_stream(process, rest, stderr), status_code=status, headers=headers)


async def _feed_and_read_head(process: Process, body: bytes) -> tuple[bytes, bytes]:
    """Write the body while reading the CGI's output (so neither pipe can fill up and
    stall the other) until the body is in and the header block is complete."""
    assert process.stdin is not None
    assert process.stdout is not None
    stdin, stdout = process.stdin, process.stdout
    output = bytearray()
    fed = anyio.Event()

    async def feed() -> None:
        try:
            await stdin.send(body)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            log.info("git http-backend stopped reading its input early; its answer says why")
        finally:
            await stdin.aclose()
            fed.set()

    async with anyio.create_task_group() as group:
        group.start_soon(feed)
        while not (fed.is_set() and _head_end(output) is not None):
            try:
                output += await stdout.receive(_CHUNK)
            except anyio.EndOfStream:
                break
    end = _head_end(output)
    if end is None:
        raise BackendFailed("git http-backend ended without an answer")
    return bytes(output[: end[0]]), bytes(output[end[0] + end[1] :])


def _head_end(output: bytearray) -> tuple[int, int] | None:
    found = [(output.find(sep), len(sep)) for sep in _HEAD_ENDS if output.find(sep) >= 0]
    return min(found) if found else None


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    status, headers = 200, {}
    for line in head.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        key = name.strip().lower()
        if key == "status":
            status = int(value.strip().split()[0])
        elif key in _PASSED_HEADERS:
            headers[key] = value.strip()
    return status, headers


async def _stream(process: Process, first: bytes, stderr: IO[bytes]) -> AsyncIterator[bytes]:
    assert process.stdout is not None
    try:
        if first:
            yield first
        async for chunk in process.stdout:
            yield chunk
        code = await process.wait()
        if code != 0:
            log.warning("git http-backend exited with %d: %s", code, _tail(stderr))
    finally:
        with anyio.CancelScope(shield=True):
            await _stop(process, stderr)


async def _stop(process: Process, stderr: IO[bytes]) -> None:
    """A client that went away leaves no git process behind."""
    if process.returncode is None:
        process.kill()
    await process.aclose()
    stderr.close()


def _tail(stderr: IO[bytes]) -> str:
    stderr.seek(0)
    return stderr.read()[-2000:].decode("utf-8", "replace").strip()
