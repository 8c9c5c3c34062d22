"""The container tasks run with: set by the process that hosts the consumer
(``wfv serve`` / ``wfv worker``), else built once from the environment."""

from service.container import Container, build_container
from service.settings import Settings

_container: Container | None = None


def configure(container: Container) -> None:
    global _container
    _container = container


def container() -> Container:
    global _container
    if _container is None:
        _container = build_container(Settings())
    return _container
