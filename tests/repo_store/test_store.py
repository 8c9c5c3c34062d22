"""PygitRepoStore on real bare repositories in tmp_path, checked with the real git CLI."""

import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pygit2
import pytest

from repo_store import PygitRepoStore, RefConflict, RefUpdate, RepoError, RepoNotFound
from repo_store.errors import RefLocked
from repo_store.paths import repo_path, tenant_dir_name
from repo_store.store import Identity, WorkflowRepo
from schemas.canonical import canonical_json
from tests.factories import example

ALICE = Identity("alice", "Alice Example", "alice@example.test")
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
MAIN = "refs/heads/main"


def git(path: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def store(tmp_path: Path) -> PygitRepoStore:
    return PygitRepoStore(tmp_path / "repos")


@pytest.fixture
def repo(store: PygitRepoStore) -> WorkflowRepo:
    return store.create("acme", uuid.uuid4(), {"name": "Welcome"})


def commit(repo: WorkflowRepo, text: str, parents: tuple[str, ...] = (), **trailers: str) -> str:
    sha, _ = repo.write_commit(
        document=canonical_json({"text": text}),
        parents=list(parents),
        message=f"Commit {text}",
        trailers=trailers,
        author=ALICE,
        when=WHEN,
    )
    return sha


def test_create_makes_a_bare_repo_whose_head_is_main(store: PygitRepoStore) -> None:
    workflow_id = uuid.uuid4()
    created = store.create("acme", workflow_id, {"workflowId": str(workflow_id)})
    assert created.path == store.root / "acme" / f"{workflow_id}.git"
    raw = pygit2.Repository(str(created.path))
    assert raw.is_bare
    assert raw.head_is_unborn
    assert (created.path / "HEAD").read_text().strip() == "ref: refs/heads/main"
    assert git(created.path, "rev-parse", "--is-bare-repository") == "true"
    assert created.get_meta("workflowId") == str(workflow_id)
    assert created.get_meta("absent") is None
    assert created.refs("refs/") == {}
    assert list(store.iter_repos()) == [created.path]


def test_create_twice_and_open_missing(store: PygitRepoStore) -> None:
    workflow_id = uuid.uuid4()
    store.create("acme", workflow_id, {})
    with pytest.raises(RepoError, match="already exists"):
        store.create("acme", workflow_id, {})
    with pytest.raises(RepoNotFound):
        store.open("acme", uuid.uuid4())
    with pytest.raises(RepoNotFound):
        store.open("other", workflow_id)  # same id, other tenant: another folder
    assert store.open("acme", workflow_id).path == store.path_for("acme", workflow_id)


def test_write_commit_then_update_refs(repo: WorkflowRepo) -> None:
    first = commit(repo, "one")
    assert repo.ref_target(MAIN) is None  # objects only: no ref moved yet
    repo.update_refs([RefUpdate(MAIN, None, first)], reflog="first")
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate(MAIN, first, second)], reflog="second")
    assert repo.ref_target(MAIN) == second
    assert git(repo.path, "rev-parse", "main") == second
    assert git(repo.path, "log", "--format=%s", "main").splitlines() == ["Commit two", "Commit one"]
    assert [info.sha for info in repo.first_parent_walk(second)] == [second, first]


def test_update_refs_can_delete(repo: WorkflowRepo) -> None:
    sha = commit(repo, "one")
    repo.update_refs([RefUpdate("refs/heads/drafts/v1", None, sha)], reflog="create")
    repo.update_refs([RefUpdate("refs/heads/drafts/v1", sha, None)], reflog="drop")
    assert repo.refs("refs/") == {}


def test_cas_refuses_when_old_does_not_match(repo: WorkflowRepo) -> None:
    first = commit(repo, "one")
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate(MAIN, None, first)], reflog="first")
    with pytest.raises(RefConflict, match="expected nothing"):
        repo.update_refs([RefUpdate(MAIN, None, second)], reflog="create again")
    with pytest.raises(RefConflict):
        repo.update_refs([RefUpdate(MAIN, second, first)], reflog="wrong old")
    assert repo.ref_target(MAIN) == first


def test_multi_ref_update_is_all_or_nothing(repo: WorkflowRepo) -> None:
    first = commit(repo, "one")
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate(MAIN, None, first)], reflog="first")
    before = repo.refs("refs/")
    updates = [
        RefUpdate("refs/heads/drafts/v2", None, second),  # fine on its own
        RefUpdate("refs/wfv/head", None, second),  # fine on its own
        RefUpdate(MAIN, second, first),  # stale: main is at first
    ]
    with pytest.raises(RefConflict):
        repo.update_refs(updates, reflog="batch")
    assert repo.refs("refs/") == before
    assert git(repo.path, "for-each-ref", "--format=%(refname)").splitlines() == [MAIN]
    assert not list(repo.path.rglob("*.lock"))  # the failed transaction released its locks
    repo.update_refs([*updates[:2], RefUpdate(MAIN, first, second)], reflog="batch")
    assert set(repo.refs("refs/").values()) == {second}


def test_reverse_update() -> None:
    update = RefUpdate(MAIN, "a" * 40, None)
    assert update.reverse() == RefUpdate(MAIN, None, "a" * 40)


def test_leftover_lock_file_is_ref_locked(repo: WorkflowRepo) -> None:
    first = commit(repo, "one")
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate(MAIN, None, first)], reflog="first")
    (repo.path / "refs" / "heads" / "main.lock").write_text(second + "\n")
    with pytest.raises(RefLocked):
        repo.update_refs([RefUpdate(MAIN, first, second)], reflog="blocked")


def test_leftover_lock_file_refuses_and_moves_nothing(repo: WorkflowRepo) -> None:
    first = commit(repo, "one")
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate(MAIN, None, first)], reflog="first")
    lock = repo.path / "refs" / "heads" / "main.lock"
    lock.write_text(second + "\n")
    with pytest.raises(RefConflict, match="lock"):
        repo.update_refs(
            [RefUpdate("refs/wfv/head", None, second), RefUpdate(MAIN, first, second)], reflog="x"
        )
    assert repo.refs("refs/") == {MAIN: first}
    assert lock.exists()  # somebody else's lock is not ours to remove
    lock.unlink()
    repo.update_refs([RefUpdate(MAIN, first, second)], reflog="after unlock")
    assert repo.ref_target(MAIN) == second


def test_ref_locked_is_a_ref_conflict() -> None:
    assert issubclass(RefLocked, RefConflict)
    assert RefLocked.status_code == RefConflict.status_code == 409


def test_read_document_roundtrip(repo: WorkflowRepo) -> None:
    document = canonical_json(example("welcome-small"))
    sha, tree = repo.write_commit(
        document=document, parents=[], message="Create", trailers={}, author=ALICE, when=WHEN
    )
    assert repo.read_document(sha) == document
    assert git(repo.path, "show", f"{sha}:workflow.json").encode() + b"\n" == document
    assert repo.commit_info(sha).tree_sha == tree
    assert git(repo.path, "ls-tree", "--name-only", sha) == "workflow.json"
    same, same_tree = repo.write_commit(
        document=document, parents=[sha], message="Again", trailers={}, author=ALICE, when=WHEN
    )
    assert same_tree == tree
    assert same != sha


def test_commit_tree_commits_the_existing_tree_as_git_reads_it(repo: WorkflowRepo) -> None:
    """What a publish does: a new commit of the draft's tree, nothing written but the commit."""
    document = canonical_json(example("welcome-small"))
    draft, tree = repo.write_commit(
        document=document, parents=[], message="Create", trailers={}, author=ALICE, when=WHEN
    )
    objects_before = set(repo.repo.odb)
    published = repo.commit_tree(
        tree=tree,
        parents=[draft],
        message="Publish v1",
        trailers={"Wfv-Version": "1"},
        author=ALICE,
        when=WHEN,
    )
    assert set(repo.repo.odb) - objects_before == {pygit2.Oid(hex=published)}
    assert git(repo.path, "rev-parse", f"{published}^{{tree}}") == tree
    assert git(repo.path, "show", f"{published}:workflow.json").encode() + b"\n" == document
    assert repo.commit_info(published).trailers == {"Wfv-Version": "1"}
    subprocess.run(["git", "-C", str(repo.path), "fsck", "--strict"], check=True, capture_output=True)


def test_commit_tree_refuses_what_is_not_a_document_tree(repo: WorkflowRepo) -> None:
    draft, _ = repo.write_commit(
        document=b"{}\n", parents=[], message="Create", trailers={}, author=ALICE, when=WHEN
    )
    builder = repo.repo.TreeBuilder()
    builder.insert("other.json", repo.repo.create_blob(b"{}\n"), pygit2.GIT_FILEMODE_BLOB)
    objects_before = set(repo.repo.odb)
    for bad in ["0" * 40, draft, str(repo.repo.create_blob(b"x")), str(builder.write()), "not-an-id"]:
        with pytest.raises(RepoError):
            repo.commit_tree(tree=bad, parents=[], message="m", trailers={}, author=ALICE, when=WHEN)
    written = set(repo.repo.odb) - objects_before
    assert all(repo.repo[oid].type != pygit2.GIT_OBJECT_COMMIT for oid in written)


def test_read_document_of_a_non_commit_fails(repo: WorkflowRepo) -> None:
    blob = str(repo.repo.create_blob(b"x"))
    with pytest.raises((RepoError, ValueError, TypeError)):
        repo.read_document(blob)


def test_annotated_tag_readable_by_git_cli(repo: WorkflowRepo) -> None:
    document = canonical_json(example("welcome-small"))
    sha, _ = repo.write_commit(
        document=document, parents=[], message="Publish v1", trailers={}, author=ALICE, when=WHEN
    )
    tag = repo.write_tag(name="v1", target=sha, tagger=ALICE, when=WHEN, message="Publish v1\n")
    repo.update_refs([RefUpdate(MAIN, None, sha), RefUpdate("refs/tags/v1", None, tag)], reflog="publish")
    assert git(repo.path, "cat-file", "-t", "v1") == "tag"
    assert git(repo.path, "rev-parse", "v1^{commit}") == sha
    assert git(repo.path, "show", "v1:workflow.json").encode() + b"\n" == document
    tag_text = git(repo.path, "cat-file", "-p", "v1")
    assert "tag v1" in tag_text
    assert "tagger Alice Example <alice@example.test> 1714979289 +0000" in tag_text
    assert git(repo.path, "tag", "-l") == "v1"
    subprocess.run(["git", "-C", str(repo.path), "fsck", "--strict"], check=True, capture_output=True)
    assert repo.ref_target("refs/tags/v1") == tag
    assert repo.peel_to_commit(tag) == sha


def test_trailers_and_identity_readable_by_commit_info(repo: WorkflowRepo) -> None:
    trailers = {"Workflow-Version": "3", "Version-Id": str(uuid.uuid4()), "Version-Event": "create"}
    sha, tree = repo.write_commit(
        document=b"{}\n",
        parents=[],
        message="Create draft v3\n\n",
        trailers=trailers,
        author=ALICE,
        when=WHEN,
    )
    info = repo.commit_info(sha)
    assert info.trailers == trailers
    assert info.summary == "Create draft v3"
    assert info.sha == sha
    assert info.tree_sha == tree
    assert info.parents == ()
    assert (info.author_name, info.author_email) == ("Alice Example", "alice@example.test")
    assert info.committed_at == WHEN
    cli = git(repo.path, "log", "-1", "--format=%(trailers:key=Version-Event,valueonly)", sha)
    assert cli == "create"


def test_identity_cannot_inject_headers(repo: WorkflowRepo) -> None:
    evil = Identity("x", "Eve <evil@x>\ncommitter", "e<v>@x\n")
    sha, _ = repo.write_commit(document=b"{}\n", parents=[], message="m", trailers={}, author=evil, when=WHEN)
    info = repo.commit_info(sha)
    assert "<" not in info.author_name
    assert "\n" not in info.author_name
    assert info.author_email == "ev@x"
    subprocess.run(["git", "-C", str(repo.path), "fsck", "--strict"], check=True, capture_output=True)


# --- paths ------------------------------------------------------------------------


def test_tenant_dir_name_keeps_safe_ids() -> None:
    assert tenant_dir_name("acme") == "acme"
    assert tenant_dir_name("acme-2_b") == "acme-2_b"


@pytest.mark.parametrize("tenant", ["Acme", "../x", "a/b", "", ".", "a b", "x" * 64, "_acme"])
def test_tenant_dir_name_hashes_anything_else(tenant: str) -> None:
    name = tenant_dir_name(tenant)
    assert name.startswith("_")
    assert len(name) == 41
    assert "/" not in name
    assert ".." not in name
    assert tenant_dir_name(tenant) == name  # stable


def test_hashed_names_do_not_collide() -> None:
    assert tenant_dir_name("Acme") != tenant_dir_name("acme")
    assert tenant_dir_name("Acme") != tenant_dir_name("ACME")


def test_repo_path_requires_a_uuid(tmp_path: Path) -> None:
    workflow_id = uuid.uuid4()
    assert repo_path(tmp_path, "acme", workflow_id) == tmp_path / "acme" / f"{workflow_id}.git"
    assert repo_path(tmp_path, "../x", workflow_id).parent.parent == tmp_path
    with pytest.raises(TypeError):
        repo_path(tmp_path, "acme", str(workflow_id))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        repo_path(tmp_path, "acme", "../../etc")  # type: ignore[arg-type]


def test_read_ref_without_opening_sees_loose_and_packed_refs(store: PygitRepoStore) -> None:
    """The watermark read on every API read: the files as git keeps them, before and after
    ``git pack-refs`` (which real upkeep runs), and the same answers as libgit2's."""
    workflow_id = uuid.uuid4()
    repo = store.create("acme", workflow_id, {"name": "Welcome"})
    assert store.read_ref("acme", workflow_id, "refs/wfv/head") is None
    first = commit(repo, "one")
    repo.update_refs([RefUpdate("refs/wfv/head", None, first), RefUpdate(MAIN, None, first)], reflog="t")
    assert store.read_ref("acme", workflow_id, "refs/wfv/head") == first == repo.ref_target("refs/wfv/head")
    git(repo.path, "pack-refs", "--all")
    assert not (repo.path / "refs/wfv/head").exists()
    assert store.read_ref("acme", workflow_id, "refs/wfv/head") == first
    second = commit(repo, "two", (first,))
    repo.update_refs([RefUpdate("refs/wfv/head", first, second)], reflog="t")
    assert (
        store.read_ref("acme", workflow_id, "refs/wfv/head")
        == second
        == git(repo.path, "rev-parse", "refs/wfv/head")
    )
    assert store.read_ref("acme", workflow_id, "refs/wfv/other") is None
    with pytest.raises(RepoNotFound):
        store.read_ref("acme", uuid.uuid4(), "refs/wfv/head")
