"""What an acknowledged draft save survives, and production's refusal of a Redis that
would lose it.

A save acknowledged by Redis lives only there until the write-behind copies it into the
database (``WFV_DRAFT_FLUSH_SECONDS``, about 2 s). With an append-only file a killed Redis
comes back with it (``appendfsync everysec``: the file is written before the answer, so
only a machine crash loses up to a second; ``always``: not even that). Without one, a
Redis restart loses the saves of those last seconds: the restore gives an older revision.
RDB snapshots do not change that (a snapshot is minutes old; the database copy is newer).

So production asks Redis, at start-up and in every ``/readyz``, and refuses one without
an append-only file unless the operator chose otherwise: acknowledgement after the
database write (``WFV_DRAFT_ACK_AFTER_DATABASE``, nothing then depends on Redis) or the
risk accepted in writing (``WFV_DRAFT_ACCEPT_VOLATILE_REDIS``).

A managed Redis often refuses ``CONFIG``; ``INFO persistence`` (which they allow) says
whether the append-only file is on. When neither answers, the promise cannot be checked,
and production refuses as it would a Redis known to lack it: an unverifiable promise is
not made to users; an operator who knows the service keeps an AOF says so with
``WFV_DRAFT_ACCEPT_VOLATILE_REDIS``.
"""

import logging
from dataclasses import dataclass

import redis

from service.settings import Settings

log = logging.getLogger("wfv.drafts")


class DraftsNotDurable(RuntimeError):
    """Production's Redis would lose acknowledged draft saves, and nobody accepted that."""


@dataclass(frozen=True)
class RedisPersistence:
    aof: bool | None  # None: Redis would not say
    fsync: str | None  # always, everysec or no (known only through CONFIG)
    snapshots: bool | None  # RDB ``save`` points configured
    source: str  # where it was read: config, info or nothing

    def describe(self) -> str:
        if self.aof is None:
            return "unknown (Redis refused both CONFIG GET and INFO persistence)"
        if self.aof:
            return f"append-only file (appendfsync {self.fsync or 'unknown'})"
        return "RDB snapshots only" if self.snapshots else "none"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


def read_persistence(client: "redis.Redis") -> RedisPersistence:
    """``CONFIG GET`` when allowed, else ``INFO persistence``; connection errors propagate."""
    try:
        config: dict[str | None, str | None] = {}
        for name in ("appendonly", "appendfsync", "save"):
            config |= client.config_get(name)
    except redis.ResponseError as exc:
        log.info("Redis refused CONFIG GET (%s); reading INFO persistence instead", exc)
    else:
        found = {_text(name): _text(value) for name, value in config.items()}
        return RedisPersistence(
            aof=found.get("appendonly") == "yes",
            fsync=found.get("appendfsync") or None,
            snapshots=bool(found.get("save", "").strip()),
            source="config",
        )
    try:
        info = client.info("persistence")
    except redis.ResponseError as exc:
        log.warning("Redis refused INFO persistence too (%s): its durability is unknown", exc)
        return RedisPersistence(aof=None, fsync=None, snapshots=None, source="nothing")
    aof = info.get("aof_enabled")
    return RedisPersistence(
        aof=None if aof is None else bool(int(aof)), fsync=None, snapshots=None, source="info"
    )


def enforced(settings: Settings) -> bool:
    """Whether this configuration must refuse a Redis without an append-only file."""
    return (
        settings.environment == "production"
        and bool(settings.redis_url)
        and not settings.draft_ack_after_database
        and not settings.draft_accept_volatile_redis
    )


def check_draft_durability(client: "redis.Redis", settings: Settings) -> RedisPersistence:
    """Raise ``DraftsNotDurable`` when ``enforced`` and Redis has no append-only file."""
    persistence = read_persistence(client)
    if enforced(settings) and not persistence.aof:
        raise DraftsNotDurable(
            f"Redis persistence for drafts: {persistence.describe()}. A Redis restart would lose "
            "acknowledged draft saves: enable appendonly yes (appendfsync everysec or always), or set "
            "WFV_DRAFT_ACK_AFTER_DATABASE=true, or accept the loss with WFV_DRAFT_ACCEPT_VOLATILE_REDIS=true"
        )
    return persistence


def check_at_start(settings: Settings) -> None:
    """Start-up: refuse to serve on a Redis known to lose acknowledged saves. A Redis that
    does not answer yet does not stop the start: ``/readyz`` keeps asking, and says not
    ready until it answers with an append-only file."""
    if not settings.redis_url:
        return
    timeout = settings.readiness_timeout_seconds
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        persistence = check_draft_durability(client, settings)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.warning("could not ask Redis about its persistence at start-up (%s); /readyz will", exc)
        return
    finally:
        client.close()
    if not persistence.aof and not settings.draft_ack_after_database:
        log.warning(
            "drafts: Redis persistence is %s; a Redis restart loses the saves of the last seconds",
            persistence.describe(),
        )
