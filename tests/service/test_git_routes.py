"""The /git routes in process, on both databases: who may reach what, bounded bodies, the
answers to malformed and stale pushes at the wire level, and ``GET …/git``."""

import base64
import gzip
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from repo_store.incoming import QUARANTINE_PREFIX
from repo_store.upkeep import count_loose, count_packs
from repo_store.wire import ZERO_ID, pkt_line
from service.container import Container
from tests.factories import assert_problem, create_workflow_via_api, post_publish, post_version, renamed

UPLOAD_REQUEST = "application/x-git-upload-pack-request"
RECEIVE_REQUEST = "application/x-git-receive-pack-request"


@pytest.fixture
def wid(client: TestClient, auth) -> str:
    """v1 published, v2 a draft."""
    admin = auth("workflows:admin")
    created = create_workflow_via_api(client, admin)
    post_publish(client, admin, created["id"], 1)
    post_version(client, admin, created["id"])
    return str(created["id"])


def _advert(client: TestClient, wid: str, service: str, headers: dict[str, str]):
    return client.get(f"/git/{wid}.git/info/refs", params={"service": service}, headers=headers)


def _push(client: TestClient, wid: str, body: bytes, headers: dict[str, str]):
    return client.post(
        f"/git/{wid}.git/git-receive-pack", content=body, headers=headers | {"Content-Type": RECEIVE_REQUEST}
    )


def _draft_head(container: Container, wid: str, number: int) -> str:
    head = container.store.open("acme", uuid.UUID(wid)).ref_target(f"refs/heads/drafts/v{number}")
    assert head is not None
    return head


def test_no_credentials_are_challenged_with_basic(client: TestClient, wid: str) -> None:
    for response in (
        _advert(client, wid, "git-upload-pack", {}),
        client.post(
            f"/git/{wid}.git/git-upload-pack", content=b"0000", headers={"Content-Type": UPLOAD_REQUEST}
        ),
        _push(client, wid, b"0000", {}),
        _advert(client, wid, "git-upload-pack", {"Authorization": "Basic !!!"}),
        _advert(
            client, wid, "git-upload-pack", {"Authorization": "Basic " + base64.b64encode(b"me:").decode()}
        ),
        _advert(client, wid, "git-upload-pack", {"Authorization": "Bearer forged"}),
    ):
        assert_problem(response, 401, "unauthorized")
        challenges = response.headers.get_list("www-authenticate")
        assert 'Basic realm="wfv", charset="UTF-8"' in challenges
        assert 'Bearer realm="wfv"' in challenges


def test_basic_auth_carries_the_token_as_password(client: TestClient, auth, wid: str) -> None:
    token = auth("workflows:read")["Authorization"].split()[1]
    basic = {"Authorization": "Basic " + base64.b64encode(f"anyone:{token}".encode()).decode()}
    response = _advert(client, wid, "git-upload-pack", basic)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-git-upload-pack-advertisement"
    assert response.content.startswith(b"001e# service=git-upload-pack\n0000")
    assert b"refs/heads/main" in response.content
    assert b"refs/wfv/" not in response.content


def test_read_fetches_edit_pushes(client: TestClient, auth, wid: str) -> None:
    reader, editor = auth("workflows:read"), auth("workflows:edit")
    assert_problem(_advert(client, wid, "git-receive-pack", reader), 403, "forbidden")
    assert_problem(_push(client, wid, b"0000", reader), 403, "forbidden")
    advert = _advert(client, wid, "git-receive-pack", editor)
    assert advert.status_code == 200
    assert advert.headers["content-type"] == "application/x-git-receive-pack-advertisement"
    assert advert.content.startswith(b"001f# service=git-receive-pack\n0000")
    assert b"report-status" in advert.content
    assert b"refs/heads/drafts/v2" in advert.content
    assert b"refs/notes/" not in advert.content  # no note yet: nothing reviewed
    assert b"refs/wfv/" not in advert.content


def test_another_tenant_and_unknown_ids_are_404(client: TestClient, auth, wid: str) -> None:
    stranger = auth("workflows:admin", org="globex")
    assert_problem(_advert(client, wid, "git-upload-pack", stranger), 404, "workflow-not-found")
    assert_problem(_advert(client, wid, "git-receive-pack", stranger), 404, "workflow-not-found")
    assert_problem(_push(client, wid, b"0000", stranger), 404, "workflow-not-found")
    admin = auth("workflows:admin")
    for name in ("not-a-uuid", "..%2F..%2Facme", "00000000-0000-0000-0000-000000000000"):
        assert_problem(_advert(client, name, "git-upload-pack", admin), 404)


def test_only_the_smart_protocol_and_git_media_types(client: TestClient, auth, wid: str) -> None:
    admin = auth("workflows:admin")
    assert_problem(client.get(f"/git/{wid}.git/info/refs", headers=admin), 403, "git-service-refused")
    assert_problem(_advert(client, wid, "git-upload-archive", admin), 403, "git-service-refused")
    wrong = client.post(
        f"/git/{wid}.git/git-upload-pack", content=b"0000", headers=admin | {"Content-Type": "text/plain"}
    )
    assert_problem(wrong, 415, "unsupported-media-type")
    assert_problem(client.get(f"/git/{wid}.git/HEAD", headers=admin), 404)


def test_bodies_are_bounded_before_and_after_inflating(
    client: TestClient, container: Container, auth, wid: str
) -> None:
    container.settings.git_max_push_bytes = 4096
    container.settings.git_max_fetch_bytes = 4096
    admin = auth("workflows:admin")
    assert_problem(_push(client, wid, b"0" * 5000, admin), 413, "payload-too-large")
    bomb = gzip.compress(b"0032have " + b"0" * 40 + b"\n" * 10_000)
    inflating = admin | {"Content-Type": UPLOAD_REQUEST, "Content-Encoding": "gzip"}
    response = client.post(f"/git/{wid}.git/git-upload-pack", content=bomb, headers=inflating)
    assert_problem(response, 413, "payload-too-large")
    corrupt = client.post(f"/git/{wid}.git/git-upload-pack", content=b"\x1f\x8bnot gzip", headers=inflating)
    assert_problem(corrupt, 400, "malformed-body")
    # Bigger than the JSON API's limit is fine here: the git bound is its own.
    container.settings.git_max_push_bytes = 4 * 1024 * 1024
    large = _push(client, wid, b"0" * (2 * 1024 * 1024), admin)
    assert_problem(large, 400, "malformed-push")


def test_a_malformed_push_is_a_400_problem(client: TestClient, auth, wid: str) -> None:
    admin = auth("workflows:admin")
    assert_problem(_push(client, wid, b"not pkt-lines", admin), 400, "malformed-push")
    probe = _push(client, wid, b"0000", admin)  # git's credentials probe before a large push
    assert (probe.status_code, probe.content) == (200, b"")
    junk = pkt_line(b"delete everything\n") + b"0000"
    assert_problem(_push(client, wid, junk, admin), 400, "malformed-push")


def test_a_push_based_on_a_stale_head_is_told_to_fetch_first(
    client: TestClient, container: Container, auth, wid: str
) -> None:
    head = _draft_head(container, wid, 2)
    command = f"{ZERO_ID} {head} refs/heads/drafts/v2\0report-status\n".encode()
    response = _push(client, wid, pkt_line(command) + b"0000", auth("workflows:edit"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-git-receive-pack-result"
    assert response.content.startswith(pkt_line(b"unpack ok\n"))
    assert b"ng refs/heads/drafts/v2 fetch first: drafts/v2 is at" in response.content
    assert _draft_head(container, wid, 2) == head


def test_a_corrupt_pack_is_an_unpack_error_and_leaves_nothing(
    client: TestClient, container: Container, auth, wid: str
) -> None:
    head = _draft_head(container, wid, 2)
    repo = container.store.open("acme", uuid.UUID(wid)).path
    loose, packs = count_loose(repo), count_packs(repo)
    command = f"{head} {'1' * 40} refs/heads/drafts/v2\0report-status side-band-64k\n".encode()
    body = pkt_line(command) + b"0000" + b"PACK\x00\x00\x00\x02\x00\x00\x00\x01garbage"
    response = _push(client, wid, body, auth("workflows:edit"))
    assert response.status_code == 200
    assert b"unpack " in response.content
    assert b"unpack ok" not in response.content
    assert b"ng refs/heads/drafts/v2 unpacker error" in response.content
    assert b"\x02error: the pushed pack was refused" in response.content  # a remote: line on band 2
    assert (count_loose(repo), count_packs(repo)) == (loose, packs)
    assert not list((repo / "objects").glob(f"{QUARANTINE_PREFIX}*"))
    assert _draft_head(container, wid, 2) == head


def test_git_info_answers_the_clone_url_and_pushable_refs(
    client: TestClient, container: Container, auth, wid: str
) -> None:
    answer = client.get(f"/api/v1/workflows/{wid}/git", headers=auth("workflows:read"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["clone_url"] == f"http://testserver/git/{wid}.git"
    assert body["pushable_refs"] == ["refs/heads/drafts/v2", "refs/heads/drafts/new"]
    assert body["notes_ref"] == "refs/notes/reviews"
    commands = [c["command"] for c in body["commands"]]
    assert any(c.endswith(f"clone {body['clone_url']}") and "extraHeader" in c for c in commands)
    assert "git push origin HEAD:refs/heads/drafts/new" in commands
    assert "git switch drafts/v2 && git push origin HEAD:refs/heads/drafts/v2" in commands
    published = client.post(f"/api/v1/workflows/{wid}/versions/2/publish", headers=auth("workflows:edit"))
    assert published.status_code == 200
    no_draft = client.get(f"/api/v1/workflows/{wid}/git", headers=auth("workflows:read")).json()
    assert no_draft["pushable_refs"] == ["refs/heads/drafts/new"]
    assert not [c for c in no_draft["commands"] if c["command"].startswith("git switch")]
    container.settings.public_url = "https://wfv.example.com/"
    again = client.get(f"/api/v1/workflows/{wid}/git", headers=auth("workflows:read")).json()
    assert again["clone_url"] == f"https://wfv.example.com/git/{wid}.git"
    assert_problem(
        client.get(f"/api/v1/workflows/{wid}/git", headers=auth("workflows:read", org="globex")), 404
    )


def _pack_of_a_new_commit(container: Container, wid: str, tmp_path: Path) -> tuple[str, bytes]:
    """A commit on top of ``main`` made with the real git, and the thin pack git would push."""
    bare = container.store.path_for("acme", uuid.UUID(wid))
    work = tmp_path / "work"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def git(*args: str, stdin: bytes | None = None) -> bytes:
        return subprocess.run(
            ["git", *args], cwd=work, env=env, input=stdin, capture_output=True, check=True
        ).stdout

    subprocess.run(["git", "clone", "--quiet", str(bare), str(work)], env=env, check=True)
    document = json.loads((work / "workflow.json").read_text())
    (work / "workflow.json").write_text(json.dumps(renamed(document, "pushed")))
    git("-c", "user.name=Bob", "-c", "user.email=bob@example.test", "commit", "--quiet", "-am", "pushed")
    new = git("rev-parse", "HEAD").decode().strip()
    return new, git("pack-objects", "--revs", "--stdout", "--thin", stdin=f"{new}\n^origin/main\n".encode())


def test_a_use_case_refusal_after_the_checks_changes_nothing(
    client: TestClient, container: Container, auth, wid: str, tmp_path: Path
) -> None:
    new, pack = _pack_of_a_new_commit(container, wid, tmp_path)
    container.settings.max_versions_per_workflow = 2  # v1 and v2 exist: drafts/new would be v3
    admin = auth("workflows:admin")
    audit_before = client.get(f"/api/v1/workflows/{wid}/audit", headers=admin).json()["items"]
    command = f"{ZERO_ID} {new} refs/heads/drafts/new\0report-status side-band-64k\n".encode()
    response = _push(client, wid, pkt_line(command) + b"0000" + pack, admin)
    assert response.status_code == 200
    assert b"unpack ok" in response.content
    assert b"ng refs/heads/drafts/new a workflow keeps at most 2 versions" in response.content
    listed = client.get(f"/api/v1/workflows/{wid}/versions", headers=admin).json()["items"]
    assert [v["version_number"] for v in listed] == [2, 1]
    assert client.get(f"/api/v1/workflows/{wid}/audit", headers=admin).json()["items"] == audit_before
    repo = container.store.open("acme", uuid.UUID(wid))
    assert repo.ref_target("refs/heads/drafts/v3") is None

    container.settings.max_versions_per_workflow = 1000
    accepted = _push(client, wid, pkt_line(command) + b"0000" + pack, admin)
    assert b"ok refs/heads/drafts/new" in accepted.content
    assert b"created draft v3" in accepted.content
    assert repo.ref_target("refs/heads/drafts/v3") is not None
