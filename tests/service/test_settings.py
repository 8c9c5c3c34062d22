"""Settings resolve the data folder once, so every path derived from it is absolute."""

from pathlib import Path

import pytest

from service.settings import Settings


@pytest.mark.parametrize("given", ["./var", "var", "data/../var"])
def test_a_relative_data_dir_becomes_absolute_against_the_start_folder(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WFV_DATA_DIR", given)
    settings = Settings(_env_file=None)
    assert settings.data_dir == tmp_path.resolve() / "var"
    assert settings.repos_dir == tmp_path.resolve() / "var" / "repos"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'wfv.db'}"


def test_the_default_data_dir_is_var_in_the_start_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WFV_DATA_DIR", raising=False)
    settings = Settings(_env_file=None)
    assert settings.data_dir.is_absolute()
    assert settings.data_dir == tmp_path.resolve() / "var"
    monkeypatch.chdir("/")  # a later change of folder does not move the data
    assert settings.repos_dir == tmp_path.resolve() / "var" / "repos"
