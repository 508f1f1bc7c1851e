"""Start-up: settings, the missing-library message, and ``briefer MEMO``."""

from __future__ import annotations

from briefer.gui import app
from briefer.gui import settings as S


def test_settings_keep_types_across_instances():
    first = S.Settings()
    first.set(S.RECENT_FILES, ["/one/memo.brief.yaml"])
    first.set(S.DEFAULT_FROM, "Office")
    first.sync()
    second = S.Settings()
    assert second.get(S.RECENT_FILES) == ["/one/memo.brief.yaml"]  # not a bare string
    assert second.get(S.DEFAULT_FROM) == "Office"
    assert second.get(S.LIBRARY_FOLDERS) == []


def test_missing_xcb_libraries_named(monkeypatch):
    monkeypatch.setattr(app.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(
        app.ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else "lib"
    )
    message = app.display_problem()
    assert "sudo apt-get install libxcb-cursor0" in message


def test_no_display_message(monkeypatch, capsys):
    monkeypatch.setattr(app.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    assert app.run([]) == 2
    assert "no display was found" in capsys.readouterr().err


def test_offscreen_needs_nothing(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.display_problem() is None


def test_briefer_memo_opens_it(qtbot, repo, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QApplication

    from briefer.gui.memo_controller import MemoController

    opened = []
    real_open = MemoController.open_path

    def spy(self, path):
        doc = real_open(self, path)
        opened.append((path, doc.memo.template, self.window.windowTitle()))
        return doc

    monkeypatch.setattr(MemoController, "open_path", spy)
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    assert app.run([str(memo), "--quit-after", "300"]) == 0
    assert opened[0][1] == "information-memo"
    assert opened[0][2].startswith("state-of-play.brief.yaml")
    for widget in QApplication.topLevelWidgets():
        widget.close()


def test_briefer_library_opens_the_window_on_those_folders(qtbot, monkeypatch, tmp_path, capsys):
    from PySide6.QtWidgets import QApplication

    from briefer.gui.main_window import MainWindow

    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "cards.yaml").write_text(
        "cards:\n  - id: team-card\n    kind: background\n    title: Team card\n"
        "    body: Text.\n    marking: U\n    sources: [{title: Paper}]\n",
        encoding="utf-8",
    )
    windows = []
    real_init = MainWindow.__init__

    def spy(self, workspace, settings):
        windows.append(self)
        real_init(self, workspace, settings)

    monkeypatch.setattr(MainWindow, "__init__", spy)
    assert app.run(["--library", str(folder), "--quit-after", "200"]) == 0
    # The bundled library is replaced, as on the command line (read after the window showed).
    assert sorted(windows[0].workspace.library.cards) == ["team-card"]
    assert windows[0].library.model.rowCount() == 1
    for widget in QApplication.topLevelWidgets():
        widget.close()
    assert app.run(["--library", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
