"""Readiness: can this process do its work right now? The database answers, Redis answers
(when configured; in production, with the persistence drafts need: ``service.drafts.durability``),
and the repository volume takes a write that reaches the disk.

Each check runs in a thread of a small pool of its own and is abandoned after
``WFV_READINESS_TIMEOUT_SECONDS``: a hung dependency makes the probe answer "not ready",
never hang, and cannot eat the threads requests run in. Results name the check and the
kind of failure only; the details (hosts, URLs) go to the log, not to the caller.
"""

import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import anyio
import redis

from indexer.db import ping
from service.container import Container
from service.drafts.durability import check_draft_durability, enforced
from service.settings import Settings

log = logging.getLogger("wfv.readiness")

OK = "ok"
Check = Callable[[], None]


def check_redis(client: redis.Redis) -> None:
    if not client.ping():
        raise ConnectionError("Redis did not answer PING")


def _durable(client: redis.Redis, settings: Settings) -> None:
    check_draft_durability(client, settings)


def check_repos_writable(repos_dir: Path) -> None:
    """Create, fsync and remove a probe file where repositories are written (a dot file
    next to the tenant folders, which nothing that lists repositories reads)."""
    probe = repos_dir / f".wfv-ready-{os.getpid()}-{secrets.token_hex(4)}"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, b"ready\n")
        os.fsync(fd)
    finally:
        os.close(fd)
        probe.unlink()


class Readiness:
    """The checks of one app; ``await run()`` -> ``{"database": "ok", ...}``."""

    def __init__(self, container: Container) -> None:
        settings = container.settings
        self.timeout = settings.readiness_timeout_seconds
        self.checks: dict[str, Check] = {
            "database": lambda: ping(container.engine),
            "repos": lambda: check_repos_writable(settings.repos_dir),
        }
        self._redis: redis.Redis | None = None
        if settings.redis_url:
            # The socket gives up after the probe does, so a hung Redis reads "timeout"
            # (the probe's own word), and the abandoned thread is still freed soon after.
            socket = 2 * self.timeout
            client = self._redis = redis.Redis.from_url(
                settings.redis_url, socket_timeout=socket, socket_connect_timeout=socket
            )
            self.checks["redis"] = lambda: check_redis(client)
            if enforced(settings):
                # Every probe: a failover to a replica without an AOF is caught too.
                self.checks["redis_persistence"] = lambda: _durable(client, settings)
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self) -> dict[str, str]:
        if self._limiter is None:
            # Enough for one probe's checks side by side, and a bound on abandoned threads.
            self._limiter = anyio.CapacityLimiter(2 * len(self.checks))
        results: dict[str, str] = {}
        async with anyio.create_task_group() as group:
            for name, check in self.checks.items():
                group.start_soon(self._one, name, check, self._limiter, results)
        return {name: results[name] for name in self.checks}

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()

    async def _one(
        self, name: str, check: Check, limiter: anyio.CapacityLimiter, results: dict[str, str]
    ) -> None:
        try:
            with anyio.fail_after(self.timeout):
                await anyio.to_thread.run_sync(check, abandon_on_cancel=True, limiter=limiter)
            results[name] = OK
        except TimeoutError:
            log.warning("readiness: %s did not answer within %ss", name, self.timeout)
            results[name] = "timeout"
        except Exception as exc:
            log.warning("readiness: %s failed: %s", name, exc)
            results[name] = f"failed ({type(exc).__name__})"
