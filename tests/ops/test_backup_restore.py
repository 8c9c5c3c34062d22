"""The backup and restore procedure of docs/operations.md, performed: a real ``wfv serve`` on
PostgreSQL takes creations, edits and publishes from threads while ``pg_dump`` runs and then
``scripts/backup-repos`` copies the repositories; both are restored into a new database and
a new data folder, wfv starts on them, ``wfv reindex`` heals what the repositories hold
beyond the dump, and ``wfv check`` says consistent.

And the wrong order (repositories copied before the dump, writes in between): the restored
index is ahead of its repositories, which ``wfv check`` reports by workflow and version
(exit code 1, no traceback), and which healing refuses rather than "heals" backwards.
"""

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from cryptography.fernet import Fernet

from service.auth import issue_token
from tests.conftest import PG_ADMIN_URL, REQUIRE_SERVICES, _postgres_or_skip, app_role_url
from tests.e2e.helpers import WFV, running, wfv_env
from tests.factories import example, renamed
from tests.faults.checks import durability_problems
from tests.faults.load import Load
from tests.faults.stack import SECRET, FaultStack, open_stack
from tests.tasks.conftest import container_for

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]

ROOT = Path(__file__).parents[2]
BACKUP_REPOS = ROOT / "scripts" / "backup-repos"
DRAFT_KEYS = Fernet.generate_key().decode()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if REQUIRE_SERVICES:
            pytest.fail(f"{name} is required (WFV_REQUIRE_SERVICES=1) but not installed")
        pytest.skip(f"no {name} (PostgreSQL's client programs)")
    return found


@contextmanager
def database(label: str) -> Iterator[str]:
    """A database of this test's own on the shared server; its owner's URL (SQLAlchemy's)."""
    _postgres_or_skip()
    name = f"wfv_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def libpq(url: str) -> str:
    """The same URL as ``pg_dump`` and ``pg_restore`` read it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def stack_env(data: Path, owner_url: str) -> dict[str, str]:
    """Production's shape: the service as ``wfv_app``, migrations as the owner; the secrets
    given, as they must be the same after a restore (drafts at rest are encrypted)."""
    return wfv_env(
        data,
        WFV_DATABASE_URL=app_role_url(owner_url),
        WFV_MIGRATION_DATABASE_URL=owner_url,
        WFV_QUEUE="memory",
        WFV_DRAFT_KEYS=DRAFT_KEYS,
        WFV_JWT_SECRET=SECRET,
    )


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{args[:3]} failed ({done.returncode}): {done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def dump(owner_url: str, into: Path) -> None:
    run([_tool("pg_dump"), "-Fc", "--file", str(into), libpq(owner_url)])


def copy_repos(data: Path, into: Path) -> str:
    return run([str(BACKUP_REPOS), str(data / "repos"), str(into)])


def restore(dump_file: Path, owner_url: str, repos: Path, data: Path) -> dict[str, str]:
    """The procedure's restore steps up to starting wfv: the dump into the new (empty)
    database, the repositories into the new data folder, ``wfv db upgrade``."""
    run([_tool("pg_restore"), "--exit-on-error", "--dbname", libpq(owner_url), str(dump_file)])
    data.mkdir()
    shutil.copytree(repos, data / "repos", symlinks=True)
    env = stack_env(data, owner_url)
    run([WFV, "db", "upgrade"], env)
    return env


def check(env: dict[str, str]) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run(
        [WFV, "check", "--json"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    report: dict[str, Any] = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, report, done.stderr


def versions_indexed(owner_url: str) -> int:
    with psycopg.connect(libpq(owner_url)) as conn:
        row = conn.execute("SELECT count(*) FROM workflow_versions").fetchone()
    assert row is not None
    return int(row[0])


def wait_for_more_acks(load: Load, than: int, more: int) -> None:
    load.wait_for_acks(than + more, seconds=60)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[FaultStack]:
    with database("backup_src") as owner_url:
        stack = open_stack("postgres", stack_env(tmp_path / "var", owner_url), tmp_path)
        stack.env["WFV_MIGRATION_DATABASE_URL"] = owner_url
        try:
            stack.serve()
            yield stack
        finally:
            stack.close()


def test_a_hot_backup_in_the_documented_order_restores_consistent(source: FaultStack, tmp_path: Path) -> None:
    owner_url = source.env["WFV_MIGRATION_DATABASE_URL"]
    dump_file, repos_copy = tmp_path / "wfv.pgdump", tmp_path / "backup" / "repos"
    with Load(source, threads=3, versions_per_workflow=4) as load:
        load.wait_for_acks(15, seconds=60)
        dumped = time.monotonic()  # the dump's snapshot is taken as it starts
        dump(owner_url, dump_file)
        # Writes after the dump reach git before the copy: the copy is newer than the dump.
        wait_for_more_acks(load, len(load.acked()), 12)
        copy_started = time.monotonic()
        copied = copy_repos(source.container.settings.data_dir, repos_copy)
        wait_for_more_acks(load, len(load.acked()), 3)  # and writes go on during the copy
    source.close()
    acks = load.acked()
    assert "repositories copied" in copied
    assert [a for a in acks if a.at > copy_started], "no write went on while the repositories were copied"
    assert [a for a in acks if dumped < a.at < copy_started], "no write fell between the dump and the copy"

    with database("backup_dst") as restored_url:
        env = restore(dump_file, restored_url, repos_copy, tmp_path / "restored")
        from_dump = versions_indexed(restored_url)
        port = source.port
        base = f"http://127.0.0.1:{port}"
        serve = [WFV, "serve", "--port", str(port), "--no-embedded-worker"]
        with running(serve, env, tmp_path / "restored.log", f"{base}/healthz"):
            healed = run([WFV, "reindex"], env)
            code, report, stderr = check(env)
            assert code == 0, (report, stderr)
            assert report["ok"]
            assert report["problems"] == []
            assert report["healable"] == []
            assert report["workflows_checked"] >= len({a.workflow_id for a in acks if a.at < copy_started})
            # The repositories were newer than the dump: reindex indexed the difference.
            assert versions_indexed(restored_url) > from_dump, healed
            assert " 0 versions changed" not in healed
            # Every write acknowledged before the dump is back with its audit entry; those
            # between the dump and the copy are back too (their audit: reconcile's entry).
            view = container_for(env, jwt_secret=SECRET)
            try:
                assert durability_problems(view, [a for a in acks if a.at < dumped]) == []
                later = durability_problems(view, [a for a in acks if dumped < a.at < copy_started])
                assert [p for p in later if not p.endswith("audited")] == []
            finally:
                view.close()
            # And the restored service takes writes again on a restored workflow.
            _publish_a_new_version(base, acks[0].workflow_id)
        code, report, stderr = check(env)
        assert code == 0, report


def test_repositories_copied_before_the_dump_leave_the_index_ahead_and_check_names_it(
    source: FaultStack, tmp_path: Path
) -> None:
    owner_url = source.env["WFV_MIGRATION_DATABASE_URL"]
    dump_file, repos_copy = tmp_path / "wfv.pgdump", tmp_path / "backup" / "repos"
    with source.client() as client:
        kept = _create(client, "kept")
        draft = client.post(f"/workflows/{kept}/versions", json={"definition": example("welcome-small")})
        assert draft.status_code == 201, draft.text
        copy_repos(source.container.settings.data_dir, repos_copy)  # the wrong order
        # After the copy, before the dump: an edit of a copied draft, a new version of a
        # copied workflow, and a workflow the copy never saw.
        edit = {"definition": renamed(example("welcome-small"), "edited"), "lock_version": 1}
        edited = client.patch(f"/workflows/{kept}/versions/2", json=edit)
        assert edited.status_code == 200, edited.text
        made = client.post(f"/workflows/{kept}/versions", json={"definition": example("welcome-small")})
        assert made.status_code == 201, made.text
        newer = _create(client, "newer")
    dump(owner_url, dump_file)
    source.close()

    with database("backup_wrong") as restored_url:
        env = restore(dump_file, restored_url, repos_copy, tmp_path / "restored")
        code, report, stderr = check(env)
        assert code == 1, (report, stderr)
        assert "Traceback" not in stderr
        found = {(p["kind"], p["workflow_id"], p["version_number"]) for p in report["problems"]}
        assert ("index-ahead", kept, None) in found, report
        assert ("index-ahead", kept, 2) in found, report  # the edit the copy lacks
        assert ("commit-missing", kept, 2) in found, report
        assert ("commit-missing", kept, 3) in found, report
        assert ("repo-missing", newer, None) in found, report
        # Nothing of it is offered as healable: git is behind, not ahead.
        assert report["healable"] == [], report
        # Healing refuses to rewrite the index from the older repository.
        refused = subprocess.run(
            [WFV, "reindex"], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert kept in refused.stderr
        assert "older than the index" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert check(env)[1]["problems"] == report["problems"]
        # A service started on it reads what the index has and refuses to write on it.
        base = f"http://127.0.0.1:{source.port}"
        serve = [WFV, "serve", "--port", str(source.port), "--no-embedded-worker"]
        with running(serve, env, tmp_path / "restored.log", f"{base}/healthz"), _client(base) as client:
            read = client.get(f"/workflows/{kept}/versions/2")
            assert read.status_code == 200, read.text
            assert read.json()["lock_version"] == 2
            refused_edit = client.patch(f"/workflows/{kept}/versions/2", json=edit | {"lock_version": 2})
            assert refused_edit.status_code == 409, refused_edit.text
            assert refused_edit.headers["content-type"] == "application/problem+json"
            assert "older than the index" in refused_edit.json()["detail"]


def _create(client: httpx.Client, name: str) -> str:
    created = client.post("/workflows", json={"name": name, "definition": example("welcome-small")})
    assert created.status_code == 201, created.text
    workflow_id: str = created.json()["id"]
    published = client.post(f"/workflows/{workflow_id}/versions/1/publish")
    assert published.status_code == 200, published.text
    return workflow_id


def _client(base: str) -> httpx.Client:
    token = issue_token(secret=SECRET, user="alice", org="acme", permissions=["workflows:admin"])
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=30)


def _publish_a_new_version(base: str, workflow_id: str) -> None:
    with _client(base) as client:
        document = renamed(example("welcome-small"), "after the restore")
        made = client.post(f"/workflows/{workflow_id}/versions", json={"definition": document})
        assert made.status_code == 201, made.text
        number = made.json()["version_number"]
        published = client.post(f"/workflows/{workflow_id}/versions/{number}/publish")
        assert published.status_code == 200, published.text
