"""What tasks run with, set at start-up by the process that hosts the consumer (``wfv
serve`` / ``wfv worker``, the tests): the container, and through its settings the queue and
the periodic schedules. A process nobody configured builds both once from the environment."""

from service.container import Container, build_container
from service.settings import Settings
from tasks.queue import huey

_container: Container | None = None


def configure(container: Container) -> None:
    """Run tasks with ``container``, on the queue its settings name."""
    global _container
    _container = container
    huey.configure(container.settings)


def container() -> Container:
    global _container
    if _container is None:
        _container = build_container(Settings())
    return _container


def settings() -> Settings:
    """The running process's settings: what the periodic schedules read at each tick."""
    return _container.settings if _container is not None else Settings()
