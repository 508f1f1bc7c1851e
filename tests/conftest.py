"""Shared fixtures. Qt runs offscreen, and settings and user data go to a temp folder."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from briefer.core import paths, storage
from briefer.core.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Point every per-user location at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("BRIEFER_SETTINGS_DIR", str(home / "settings"))


@pytest.fixture(autouse=True, scope="session")
def _no_lock_left_in_the_repository():
    """A test that opens an example memo must close it: a lock left beside the shipped
    files was once committed, and made the example open read-only everywhere else."""
    before = set(REPO.glob("content/**/.*.lock"))
    yield
    left = sorted(set(REPO.glob("content/**/.*.lock")) - before)
    assert not left, f"a test left a lock beside the repository's files: {left}"


@pytest.fixture(autouse=True)
def _no_backups_left_configured():
    """The window turns backups on for the process; each test starts without."""
    yield
    storage.configure_backups(None)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented text to a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def bundled() -> Workspace:
    """The bundled library and templates, loaded once."""
    return Workspace.load()


@pytest.fixture
def repo() -> Path:
    return REPO


def card_yaml(card_id: str = "a-card", kind: str = "background", **extra: str) -> str:
    """One valid card entry as YAML text, indented for a ``cards:`` list."""
    fields = {
        "id": card_id,
        "kind": kind,
        "title": f"Title of {card_id}",
        "body": "Body text.",
        "marking": "U",
        "reviewed": '"2026-11-22"',
        **extra,
    }
    lines = [
        f"  - {k}: {v}" if i == 0 else f"    {k}: {v}" for i, (k, v) in enumerate(fields.items())
    ]
    lines += ["    sources:", "      - title: A source"]
    return "\n".join(lines) + "\n"


assert paths.bundled_library().is_dir(), "run the tests from a checkout"
