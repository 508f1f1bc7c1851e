"""GUI fixtures: a main window on a writable copy of the library, and no real modal dialogs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMessageBox

from briefer.core.workspace import Workspace
from briefer.gui import dialogs, spelling
from briefer.gui import settings as S


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch):
    """A real modal dialog would hang the test run; make it fail at once instead."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a real modal dialog opened: {type(self).__name__}")

    for cls in (QDialog, QMessageBox, QFileDialog):
        monkeypatch.setattr(cls, "exec", refuse)
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: refuse(QFileDialog)))


@pytest.fixture(autouse=True)
def _fresh_spelling():
    """Each test's own user dictionary and setting (the English list stays loaded)."""
    spelling.reset()
    yield
    spelling.reset()


@dataclass
class Answers:
    """What the patched dialogs answer, and what they were asked."""

    save_file: str = ""
    open_file: str = ""
    folder: str = ""  # dialogs.choose_folder
    open_files: list[str] = field(default_factory=list)
    ask_save: str = "cancel"
    confirm: bool = True
    offer_open: bool = False
    told: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    # dialogs.choose: the answer by dialog title; a title not listed gets the safe answer
    choose: dict[str, str] = field(default_factory=dict)
    recover: str = "restore"  # "restore" (ticked all), "discard" or "later"
    recovery_offered: list[str] = field(default_factory=list)
    opened_urls: list[Path] = field(default_factory=list)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    ans = Answers()

    def tell(parent: Any, title: str, text: str, detail: str = "", error: bool = False) -> None:
        ans.told.append(f"{title}: {text} {detail}".strip())

    def confirm(parent: Any, title: str, text: str, action: str) -> bool:
        ans.asked.append(text)
        return ans.confirm

    def ask_save(parent: Any, name: str) -> str:
        ans.asked.append(f"save {name}?")
        return ans.ask_save

    def offer_open(parent: Any, path: Path, text: str) -> bool:
        ans.told.append(text)
        return ans.offer_open

    def choose(parent: Any, title: str, text: str, options: list[str]) -> str:
        ans.asked.append(f"{title}: {text}")
        answer = ans.choose.get(title, options[-1])
        assert answer in options, f"{answer!r} is not one of {options}"
        return answer

    def recover(parent: Any, entries: list[Any]) -> Any:
        ans.recovery_offered.extend(e.describe() for e in entries)
        if ans.recover == "later":
            return None
        return (list(entries), []) if ans.recover == "restore" else ([], list(entries))

    monkeypatch.setattr(dialogs, "choose", choose)
    monkeypatch.setattr(dialogs, "recover", recover)
    monkeypatch.setattr(dialogs, "open_url", ans.opened_urls.append)
    monkeypatch.setattr(dialogs, "tell", tell)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_save", ask_save)
    monkeypatch.setattr(dialogs, "offer_open", offer_open)
    monkeypatch.setattr(dialogs, "save_file", lambda *a: ans.save_file)
    monkeypatch.setattr(dialogs, "open_file", lambda *a: ans.open_file)
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a: ans.folder)
    monkeypatch.setattr(dialogs, "open_files", lambda *a: list(ans.open_files))
    return ans


@pytest.fixture
def library_copy(tmp_path: Path, repo: Path) -> Path:
    """A writable copy of the bundled library, so card edits can be saved and checked."""
    target = tmp_path / "library"
    shutil.copytree(repo / "content", target)
    return target


@pytest.fixture
def window(qtbot, answers, library_copy, repo, tmp_path, monkeypatch):
    from briefer.gui.main_window import MainWindow

    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "userdata"))
    settings = S.Settings()
    workspace = Workspace.load([library_copy], repo / "templates")
    win = MainWindow(workspace, settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.preview.wait_idle()
    # Close now, dropping what the test left unsaved: the close releases the memo's lock
    # (a refused close left locks beside the repository's example memos).
    answers.ask_save = "discard"
    win.close()


def type_at_end(field: QLineEdit, text: str) -> None:
    """Type after a field's value, as a user does: End, then the keys (a field opens with
    its cursor at the start, so that a long value shows its beginning)."""
    QTest.keyClick(field, Qt.Key.Key_End)
    QTest.keyClicks(field, text)
