"""The Huey instance, chosen by the settings: Redis in production, SQLite embedded,
memory (immediate) in unit tests. ``huey_consumer tasks.queue.huey`` finds it here."""

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from service.settings import Settings


def build_huey(settings: Settings) -> Huey:
    kind = settings.resolved_queue
    common = {"name": "wfv", "store_intermediate_errors": False}
    if kind == "redis":
        if not settings.redis_url:
            raise ValueError("WFV_QUEUE=redis needs WFV_REDIS_URL")
        return RedisHuey(url=settings.redis_url, **common)
    if kind == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(filename=str(settings.data_dir / "queue.db"), **common)
    return MemoryHuey(immediate=True, **common)


huey = build_huey(Settings())
