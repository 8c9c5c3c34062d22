"""The production-shaped stack the chaos run breaks: a PRIVATE PostgreSQL cluster (the
processes connect as ``wfv_app``, row-level security on), a PRIVATE Redis with an
append-only file (production now refuses a Redis that would lose acknowledged draft saves),
two ``wfv serve`` processes on ports of their own and one ``wfv worker``, all with
``WFV_ENVIRONMENT=production``. The machine's shared PostgreSQL and Redis are never touched.

Built from the fault tests' harness (``tests/faults``), so the run and the tests break the
same processes the same way.
"""

import secrets
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from tests.e2e.helpers import free_port
from tests.factories import migration_ready
from tests.faults.conftest import production_env
from tests.faults.pgcluster import PrivateCluster
from tests.faults.stack import SECRET, FaultStack, WfvProcess
from tests.redis_support import RedisProcess
from tests.tasks.conftest import container_for

ORG = "acme"


@dataclass
class ChaosStack:
    workdir: Path
    cluster: PrivateCluster
    redis: RedisProcess
    stack: FaultStack
    ports: list[int]
    apis: list[WfvProcess] = field(default_factory=list)
    worker: WfvProcess | None = None

    def start_processes(self) -> None:
        for n, port in enumerate(self.ports):
            self.apis.append(self.stack.serve(name=f"serve-{n}", port=port))
        # Ready when its metrics endpoint answers (served just before the consumer runs):
        # a restarted worker's recovery is timed from there, not from its first import.
        self.worker = self.stack.worker(name="worker", metrics_port=free_port())

    def movers(self, count: int, contacts: int) -> list[uuid.UUID]:
        """Workflows with ``contacts`` waiting on v1 and v2 published: each fault starts
        one's migration just before it, so a migration is always running when it strikes."""
        return [migration_ready(self.stack.container, contacts)[0] for _ in range(count)]

    def close(self) -> None:
        self.stack.close()
        self.redis.kill()
        self.cluster.remove()

    def logs(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{p.log_text()[-3000:]}" for p in self.stack.processes)


def open_chaos_stack(api_processes: int = 2) -> ChaosStack:
    workdir = Path(tempfile.mkdtemp(prefix="wfv-chaos-"))
    cluster = PrivateCluster()
    redis_dir = workdir / "redis"
    redis_dir.mkdir()
    redis = RedisProcess(redis_dir, appendonly=True)
    try:
        cluster.prepare()
        redis.start()
        ports = [free_port() for _ in range(api_processes)]
        keys = Fernet.generate_key().decode("ascii")
        production = {
            "WFV_ENVIRONMENT": "production",
            "WFV_JWT_SECRET": SECRET,
            "WFV_PUBLIC_URL": f"http://127.0.0.1:{ports[0]}",
            "WFV_DRAFT_KEYS": keys,
            "WFV_METRICS_TOKEN": secrets.token_urlsafe(32),
        }
        env = production_env(workdir / "var", cluster, redis, **production)
        container = container_for(env, jwt_secret=SECRET, draft_keys=keys)
        stack = FaultStack("postgres", env, workdir, container, port=ports[0])
    except BaseException:
        redis.kill()
        cluster.remove()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return ChaosStack(workdir, cluster, redis, stack, ports)
