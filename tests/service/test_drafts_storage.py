"""Where drafts live: encrypted in both stores, the write-behind from Redis to the
database, a real Redis killed and hung, tabs saving at once, and the retention clock."""

import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select

from indexer import drafts as rows
from indexer.draft_seal import DraftSeal, associated_data
from indexer.drafts import DraftKey
from indexer.models import VersionDraft, VersionDraftRevision
from schemas.drafts import DraftSave
from service.api.app import create_app
from service.auth import Permission, Principal
from service.container import Container
from service.drafts import autosave as drafts
from service.drafts.common import SavedDraft
from service.drafts.records import DraftCipher, DraftUnreadable, row_from_record
from service.drafts.redis_store import RecentTargets, closed_mark
from service.drafts.upkeep import delete_stale_drafts, flush_dirty
from service.settings import Settings
from tests.factories import assert_problem, create_workflow_via_api, example
from tests.redis_support import RedisProcess, own_redis
from tests.service.conftest import open_container, with_redis
from tests.service.test_drafts_api import BASE, action, draft_url, named, restore, save, saved

MARKER = "Sekrit-marker-7f3a"
SECRET_DOC = named(BASE, "welcome", MARKER)


def raw_rows(container: Container) -> list[Any]:
    """The stored columns as they are, newest user last."""
    with container.uow("acme") as uow:
        query = select(
            VersionDraft.id, VersionDraft.user_id, VersionDraft.revision, VersionDraft.last_saved_at
        )
        return list(uow.session.execute(query.order_by(VersionDraft.user_id)).all())


def raw_revisions(container: Container, draft_id: uuid.UUID) -> dict[int, bytes]:
    """A draft's revision rows as stored: the sealed documents by number."""
    with container.uow("acme") as uow:
        query = select(VersionDraftRevision.revision, VersionDraftRevision.content).where(
            VersionDraftRevision.draft_id == draft_id
        )
        return {number: bytes(content) for number, content in uow.session.execute(query)}


def plaintext_in(blob: Any) -> bool:
    return any(
        needle in blob for needle in (MARKER.encode(), b"send_email", "Réponse".encode(), b'"actions"')
    )


@pytest.fixture
def editor(auth) -> dict[str, str]:
    headers: dict[str, str] = auth("workflows:edit")
    return headers


def test_drafts_are_encrypted_at_rest_in_both_stores(
    draft_client: TestClient, draft_container: Container, editor: dict[str, str]
) -> None:
    wid = create_workflow_via_api(draft_client, editor)["id"]
    saved(draft_client, editor, wid, {"definition": SECRET_DOC, "revision": 0})
    cache = draft_container.draft_cache
    if cache is not None:
        values = [v for k in cache.client.keys("wfv:draft:*") for v in cache.client.hgetall(k).values()]
        assert len(values) >= 4  # meta, rev, at, revisions 0 and 1
        assert not any(plaintext_in(value) for value in values)
        assert flush_dirty(draft_container).written == 1
    [row] = raw_rows(draft_container)
    assert row.revision == 1
    tokens = raw_revisions(draft_container, row.id)
    assert not any(plaintext_in(token) for token in tokens.values())
    assert sorted(tokens) == [0, 1]
    for token in tokens.values():
        with pytest.raises(zlib.error):
            zlib.decompress(token)
    key_file = draft_container.settings.data_dir / "draft-keys"
    assert key_file.stat().st_mode & 0o777 == 0o600
    with draft_container.uow("acme") as uow:
        version_id = uow.session.scalars(select(VersionDraft.version_id)).one()
    bound = associated_data("acme", version_id, "alice")
    opened = zlib.decompress(DraftSeal([key_file.read_text().strip()]).open(tokens[1], bound))
    assert MARKER.encode() in opened


def test_a_draft_token_moved_into_another_users_row_does_not_open_there(
    client: TestClient, container: Container, auth
) -> None:
    """Issue 18: sealed tokens were not bound to their row, so one copied (by anyone who
    may write the revision rows, as the service role may) into another user's draft opened
    there and served the first user's document."""
    alice, bob = auth("workflows:edit", user="alice"), auth("workflows:edit", user="bob")
    wid = create_workflow_via_api(client, alice)["id"]
    saved(client, alice, wid, {"definition": SECRET_DOC, "revision": 0})
    saved(client, bob, wid, {"definition": BASE, "revision": 0})
    ids = {row.user_id: row.id for row in raw_rows(container)}
    stolen = raw_revisions(container, ids["alice"])[1]
    with container.uow("acme", write=True) as uow:
        theirs = (VersionDraftRevision.draft_id == ids["bob"], VersionDraftRevision.revision == 1)
        uow.session.execute(delete(VersionDraftRevision).where(*theirs))
        moved = {"draft_id": ids["bob"], "revision": 1, "tenant_id": "acme", "content": stolen}
        uow.session.execute(insert(VersionDraftRevision).values(**moved))
        uow.commit()
    answer = client.get(draft_url(wid), headers=bob)
    assert_problem(answer, 500, "draft-unreadable")
    assert MARKER not in answer.text
    assert restore(client, alice, wid)["definition"] == SECRET_DOC


@pytest.mark.parametrize(
    "elsewhere",
    [
        DraftKey("globex", uuid.UUID(int=1), uuid.UUID(int=2), "alice"),
        DraftKey("acme", uuid.UUID(int=1), uuid.UUID(int=3), "alice"),
        DraftKey("acme", uuid.UUID(int=1), uuid.UUID(int=2), "bob"),
    ],
)
def test_a_sealed_draft_opens_only_as_its_tenants_versions_and_users(elsewhere: DraftKey) -> None:
    cipher = DraftCipher([Fernet.generate_key().decode()])
    home = DraftKey("acme", uuid.UUID(int=1), uuid.UUID(int=2), "alice")
    token = cipher.seal(b'{"name": "mine"}', home)
    assert cipher.open(token, home) == {"name": "mine"}
    with pytest.raises(DraftUnreadable):
        cipher.open(token, elsewhere)


def test_keys_rotate_without_rewriting_drafts(settings: Settings, editor: dict[str, str]) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    def serving(keys: str) -> tuple[Container, TestClient]:
        container = open_container(Settings(**{**settings.model_dump(), "draft_keys": keys}, _env_file=None))
        return container, TestClient(create_app(container=container))

    first, api = serving(old)
    wid = create_workflow_via_api(api, editor)["id"]
    saved(api, editor, wid, {"definition": SECRET_DOC, "revision": 0})
    first.close()
    rotated, api = serving(f"{new},{old}")
    assert restore(api, editor, wid)["definition"] == SECRET_DOC
    saved(api, editor, wid, {"definition": BASE, "revision": 1})
    rotated.close()
    only_old, api = serving(old)
    assert_problem(api.get(draft_url(wid), headers=editor), 500, "draft-unreadable")
    only_old.close()
    only_new, api = serving(new)
    assert restore(api, editor, wid)["definition"] == BASE
    only_new.close()


def test_settings_refuse_keys_that_are_not_fernet_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="key #2 is not a Fernet key"):
        Settings(data_dir=tmp_path, draft_keys=f"{Fernet.generate_key().decode()},changeme", _env_file=None)


@pytest.fixture
def redis_container(settings: Settings, session_redis: RedisProcess) -> Iterator[Container]:
    """Redis in front of the database (the session's own redis-server, emptied)."""
    session_redis.client().flushall()
    container = open_container(with_redis(settings, session_redis.url))
    yield container
    container.close()


@pytest.fixture
def redis_client(redis_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=redis_container)) as client:
        yield client


@pytest.fixture
def redis_app(settings: Settings, redis_workdir: Path, auth) -> Any:
    """A server of our own behind a real redis-server of our own, to kill and restart."""
    with own_redis(redis_workdir) as server:
        container = open_container(with_redis(settings, server.url, draft_redis_retry_seconds=0.2))
        with TestClient(create_app(container=container)) as client:
            yield server, container, client, create_workflow_via_api(client, auth("workflows:edit"))["id"]
        container.close()


def test_a_killed_redis_falls_back_to_the_database_without_an_error(
    redis_app: Any, editor: dict[str, str]
) -> None:
    server, container, client, wid = redis_app
    saved(client, editor, wid, {"definition": named(BASE, "welcome", "one"), "revision": 0})
    assert flush_dirty(container).written == 1  # the database has revision 1
    saved(client, editor, wid, {"definition": named(BASE, "welcome", "two"), "revision": 1})
    server.kill()  # revision 2 was only in Redis, which kept nothing
    late_patch = save(client, editor, wid, {"patch": {"x-after": 1}, "revision": 2})
    assert_problem(late_patch, 409, "draft-base-unknown")  # its base died with Redis
    answer = saved(client, editor, wid, {"definition": named(BASE, "welcome", "three"), "revision": 2})
    assert answer["revision"] == 3
    assert saved(client, editor, wid, {"patch": {"x-after": 1}, "revision": 3})["revision"] == 4
    found = restore(client, editor, wid)
    assert (found["revision"], action(found["definition"], "welcome")["name"]) == (4, "three")
    assert [row.revision for row in raw_rows(container)] == [4]

    server.start()  # back, empty, on the same port
    time.sleep(0.3)  # past WFV_DRAFT_REDIS_RETRY_SECONDS
    assert (
        saved(client, editor, wid, {"definition": named(BASE, "welcome", "five"), "revision": 4})["revision"]
        == 5
    )
    [name] = server.client().keys("wfv:draft:*")
    assert server.client().hget(name, "rev") == b"5"
    assert [row.revision for row in raw_rows(container)] == [4]  # until the write-behind runs
    assert restore(client, editor, wid)["revision"] == 5
    assert flush_dirty(container).written == 1
    assert [row.revision for row in raw_rows(container)] == [5]


def test_a_hung_redis_times_out_and_its_stale_copy_is_evicted(redis_app: Any, editor: dict[str, str]) -> None:
    server, container, client, wid = redis_app
    saved(client, editor, wid, {"definition": named(BASE, "welcome", "one"), "revision": 0})
    saved(client, editor, wid, {"definition": named(BASE, "welcome", "two"), "revision": 1})
    flush_dirty(container)
    server.client().execute_command("CLIENT", "PAUSE", "2500", "WRITE")  # writes hang, reads answer
    started = time.monotonic()
    answer = saved(client, editor, wid, {"definition": named(BASE, "welcome", "three"), "revision": 2})
    assert answer["revision"] == 3
    assert time.monotonic() - started < 2.0  # the 0.5 s timeout, not the pause, decided
    assert [row.revision for row in raw_rows(container)] == [3]
    time.sleep(max(0.0, 2.7 - (time.monotonic() - started)))  # the pause is over, the breaker closed
    assert restore(client, editor, wid)["revision"] == 3
    four = saved(client, editor, wid, {"definition": named(BASE, "welcome", "four"), "revision": 3})
    assert four["revision"] == 4
    found = restore(client, editor, wid)
    assert (found["revision"], action(found["definition"], "welcome")["name"]) == (4, "four")
    [name] = server.client().keys("wfv:draft:*")
    assert server.client().hget(name, "rev") == b"4"


def test_redis_drafts_expire_after_the_retention(
    redis_client: TestClient, redis_container: Container, editor: dict[str, str]
) -> None:
    draft_client, draft_container = redis_client, redis_container
    wid = create_workflow_via_api(draft_client, editor)["id"]
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    assert draft_container.draft_cache is not None
    client = draft_container.draft_cache.client
    [name] = client.keys("wfv:draft:*")
    week = 7 * 86_400
    assert week - 60 < client.ttl(name) <= week
    client.expire(name, 5)
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 1})
    assert client.ttl(name) > week - 60  # refreshed by the save


def test_the_write_behind_copies_only_newer_open_drafts(
    redis_client: TestClient, redis_container: Container, auth, editor: dict[str, str]
) -> None:
    draft_client, draft_container = redis_client, redis_container
    cache = draft_container.draft_cache
    assert cache is not None
    wid = create_workflow_via_api(draft_client, editor)["id"]
    bob = auth("workflows:edit", user="bob")
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    saved(draft_client, bob, wid, {"definition": BASE, "revision": 0})
    assert raw_rows(draft_container) == []  # acknowledged by Redis alone so far
    assert cache.client.zcard("wfv:drafts:dirty") == 2
    assert flush_dirty(draft_container).written == 2
    assert [(r.user_id, r.revision) for r in raw_rows(draft_container)] == [("alice", 1), ("bob", 1)]
    assert cache.client.zcard("wfv:drafts:dirty") == 0
    assert flush_dirty(draft_container).written == 0

    saved(draft_client, editor, wid, {"definition": named(BASE, "welcome", "2"), "revision": 1})
    key = rows.DraftKey(
        "acme",
        uuid.UUID(wid),
        uuid.UUID(draft_client.get(f"/api/v1/workflows/{wid}/versions/1", headers=editor).json()["id"]),
        "alice",
    )
    stale = cache.load(key)  # what a slow flusher read before the discard below
    assert stale is not None
    assert stale.revision == 2
    assert draft_client.delete(draft_url(wid), headers=editor).status_code == 204
    with draft_container.uow("acme", write=True) as uow:
        assert rows.put_if_newer(uow.session, key, row_from_record(stale)) is False
        uow.commit()
    assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")

    saved(draft_client, bob, wid, {"definition": named(BASE, "welcome", "bob 2"), "revision": 1})
    bobs = rows.DraftKey(key.tenant_id, key.workflow_id, key.version_id, "bob")
    racing = cache.load(bobs)
    assert racing is not None
    assert draft_client.post(f"/api/v1/workflows/{wid}/versions/1/publish", headers=editor).status_code == 200
    assert raw_rows(draft_container) == []
    assert cache.load(bobs) is None
    # A save that checked the version before the publish and lands in Redis after it finds
    # the version closed; one that lands between the SQL commit and the closing mark
    # (taken away here to stand for that moment) is dropped by the write-behind.
    late = cache.put(bobs, expected=None, record=racing, fields=racing.history, replace=True)
    assert (late.ok, late.closed) == (False, True)
    cache.client.delete(closed_mark(key.version_id))
    assert cache.put(bobs, expected=None, record=racing, fields=racing.history, replace=True).ok
    summary = flush_dirty(draft_container)
    assert (summary.written, summary.dropped) == (0, 1)
    assert raw_rows(draft_container) == []
    assert cache.load(bobs) is None


def test_tabs_saving_at_once_lose_nothing(
    draft_client: TestClient, draft_container: Container, editor: dict[str, str]
) -> None:
    """Eight tabs, all based on revision 1, each renaming its own action: every save is
    acknowledged (merged as needed) and the final draft holds all eight edits."""
    base = example("nurture-50")
    wid = create_workflow_via_api(draft_client, editor, definition=base)["id"]
    saved(draft_client, editor, wid, {"definition": base, "revision": 0})
    ids = [a["id"] for a in base["actions"][:8]]
    answers: list[Any] = [None] * len(ids)
    start = threading.Barrier(len(ids))

    def tab(index: int) -> None:
        start.wait()
        mine = named(base, ids[index], f"tab {index}")
        answers[index] = save(draft_client, editor, wid, {"definition": mine, "revision": 1})

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(len(ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [200] * len(ids), [
        a.text for a in answers if a.status_code != 200
    ]
    assert sorted(a.json()["revision"] for a in answers) == list(range(2, 2 + len(ids)))
    found = restore(draft_client, editor, wid)
    assert found["revision"] == 1 + len(ids)
    assert [action(found["definition"], i)["name"] for i in ids] == [f"tab {n}" for n in range(len(ids))]


def test_drafts_not_saved_for_the_retention_are_deleted(
    draft_client: TestClient, draft_container: Container, auth, editor: dict[str, str], caplog: Any
) -> None:
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    draft_container.clock = lambda: start
    wid = create_workflow_via_api(draft_client, editor)["id"]
    saved(draft_client, editor, wid, {"definition": BASE, "revision": 0})
    later = start + timedelta(days=7, minutes=1)
    draft_container.clock = lambda: later
    bob = auth("workflows:edit", user="bob")
    assert saved(draft_client, bob, wid, {"definition": BASE, "revision": 0})["saved_at"].startswith(
        "2026-11-08"
    )
    flush_dirty(draft_container)
    assert delete_stale_drafts(draft_container, start + timedelta(days=6)) == 0
    with caplog.at_level("INFO", logger="wfv.drafts"):
        assert delete_stale_drafts(draft_container, later) == 1
    assert "deleted 1 draft(s) not saved for 7 days" in caplog.text
    assert [(r.user_id, r.last_saved_at) for r in raw_rows(draft_container)] == [("bob", later)]
    if draft_container.draft_cache is None:  # Redis copies end by their own TTL instead
        assert_problem(draft_client.get(draft_url(wid), headers=editor), 404, "draft-not-found")
    assert restore(draft_client, bob, wid)["revision"] == 1


def test_the_usual_save_is_one_redis_round_trip_in_the_event_loop(
    redis_client: TestClient, redis_container: Container, editor: dict[str, str]
) -> None:
    """A whole definition on top of the latest revision, for a version looked up in the
    last second, is saved without a worker thread; anything else is left to the full path
    (None), which merges, patches or falls back to the database."""
    wid = uuid.UUID(create_workflow_via_api(redis_client, editor)["id"])
    saved(redis_client, editor, str(wid), {"definition": BASE, "revision": 0})  # looks v1 up
    alice = Principal("alice", "acme", frozenset({Permission.EDIT}), "alice", "alice@example.com")

    def quickly(body: dict[str, Any]) -> SavedDraft | None:
        change = DraftSave.model_validate(body)
        call = partial(
            drafts.save_draft_quickly,
            container=redis_container,
            principal=alice,
            workflow_id=wid,
            ref=1,
            change=change,
        )
        return anyio.run(call)

    quick = quickly({"definition": named(BASE, "welcome", "quick"), "revision": 1})
    assert quick is not None
    assert (quick.revision, quick.merged) == (2, None)
    assert quickly({"definition": named(BASE, "welcome", "stale"), "revision": 1}) is None
    assert quickly({"patch": {"x-note": 1}, "revision": 2}) is None
    found = restore(redis_client, editor, str(wid))
    assert (found["revision"], action(found["definition"], "welcome")["name"]) == (2, "quick")
    assert redis_container.draft_cache is not None
    redis_container.draft_cache.targets = RecentTargets(seconds=0)  # nothing remembered
    assert quickly({"definition": BASE, "revision": 2}) is None


@pytest.mark.parametrize("ending", ["publish", "delete"])
def test_a_process_that_remembers_the_version_as_a_draft_still_refuses_saves_after_it_ends(
    redis_client: TestClient, redis_container: Container, editor: dict[str, str], ending: str
) -> None:
    """Two API processes (two containers: each its own memory of versions) on one Redis and
    one database: B remembers v1 as a draft for a minute, A publishes or deletes it, and B
    refuses the next save as the database would, storing nothing."""
    a, b_container = redis_client, open_container(redis_container.settings)
    with closing(b_container), TestClient(create_app(container=b_container)) as b:
        wid = create_workflow_via_api(a, editor)["id"]
        saved(b, editor, wid, {"definition": BASE, "revision": 0})  # B now remembers v1
        url = f"/api/v1/workflows/{wid}/versions/1"
        if ending == "publish":
            assert a.post(f"{url}/publish", json={"lock_version": 1}, headers=editor).status_code == 200
        else:
            assert a.request("DELETE", url, json={"lock_version": 1}, headers=editor).status_code == 200
        refused = save(b, editor, wid, {"definition": named(BASE, "welcome", "late"), "revision": 1})
        if ending == "publish":
            assert_problem(refused, 409, "version-not-draft")
        else:
            assert_problem(refused, 404, "version-not-found")
        assert redis_container.draft_cache is not None
        assert redis_container.draft_cache.client.keys("wfv:draft:*") == []
        assert raw_rows(redis_container) == []
