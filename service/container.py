"""Everything a request or a task needs, built once from the settings it is given."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from indexer.db import make_engine, make_session_factory, writer
from repo_store import PygitRepoStore
from service.settings import Settings
from service.uow import UnitOfWork


@dataclass
class Container:
    settings: Settings
    engine: Engine
    read_sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    store: PygitRepoStore

    def uow(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self, write=write)

    def close(self) -> None:
        self.engine.dispose()


def build_container(settings: Settings) -> Container:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.repos_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    return Container(
        settings=settings,
        engine=engine,
        read_sessions=make_session_factory(engine),
        write_sessions=make_session_factory(writer(engine)),
        store=PygitRepoStore(settings.repos_dir),
    )
