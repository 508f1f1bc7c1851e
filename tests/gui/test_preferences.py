"""Preferences: folders are chosen or typed, a folder that will not do is said and nothing
is saved, and a library folder that has gone is said in the window."""

from __future__ import annotations

from pathlib import Path

from briefer.core import paths
from briefer.gui import settings as S
from briefer.gui.preferences import PreferencesDialog


def test_folders_are_chosen_and_saved(qtbot, answers, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "data"))
    settings = S.Settings()
    team = tmp_path / "team-cards"
    team.mkdir()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.new_cards.text() == str(S.default_library_dir())
    answers.folder = str(team)
    dialog.add_folder()
    dialog.add_folder()  # the same folder twice is listed once
    answers.folder = ""  # cancelled
    dialog.add_folder()
    assert dialog.library_folders() == [str(team)]
    answers.folder = str(tmp_path)
    dialog.memos_folder.choose()
    dialog.office.setText("  Office of Climate Diplomacy ")
    dialog.save()
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    assert settings.get(S.LIBRARY_FOLDERS) == [str(team)]
    assert settings.get(S.MEMOS_FOLDER) == str(tmp_path)
    assert settings.get(S.DEFAULT_FROM) == "Office of Climate Diplomacy"
    assert settings.get(S.NEW_CARD_FOLDER) == ""  # the default stays the default

    again = PreferencesDialog(settings)
    qtbot.addWidget(again)
    assert again.library_folders() == [str(team)]
    again.folders.setCurrentRow(0)
    again.folders.item(0).setSelected(True)
    again.remove_folder()
    again.new_cards.edit.setText("~/briefer-cards")  # created when the first card is saved
    again.save()
    assert settings.get(S.LIBRARY_FOLDERS) == []
    assert settings.get(S.NEW_CARD_FOLDER) == str(Path.home() / "briefer-cards")


def test_a_folder_that_will_not_do_is_said_and_nothing_is_saved(qtbot, answers, tmp_path):
    settings = S.Settings()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog._add_folder_row(str(tmp_path / "typo-cards"))  # as if typed or pasted in
    dialog.memos_folder.edit.setText(str(a_file))
    dialog.new_cards.edit.setText(str(paths.bundled_library()))
    dialog.save()
    assert dialog.result() != PreferencesDialog.DialogCode.Accepted
    said = dialog.problem.text()
    assert not dialog.problem.isHidden()
    assert f"there is no folder “{tmp_path / 'typo-cards'}”" in said
    assert f"“{a_file}” is a file, not a folder" in said
    assert "the bundled library is read-only" in said
    assert settings.get(S.LIBRARY_FOLDERS) == []  # nothing saved
    assert settings.get(S.MEMOS_FOLDER) == ""
    dialog.new_cards.edit.setText("cards")
    dialog.save()
    assert "“cards” is not a full path" in dialog.problem.text()


def test_a_library_folder_that_has_gone_is_said_in_the_window(
    qtbot, answers, library_copy, repo, tmp_path, monkeypatch
):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "data"))
    settings = S.Settings()
    gone = tmp_path / "unmounted-share" / "cards"
    settings.set(S.LIBRARY_FOLDERS, [str(gone)])
    window = MainWindow(Workspace.load([library_copy], repo / "templates"), settings)
    qtbot.addWidget(window)
    assert window.counts.text() == "53 cards, 5 templates · 1 library folder missing"
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Not read: {gone}, no longer a folder")
    assert "Edit ▸ Preferences" in message
    assert window.counts.toolTip() == message  # said again on the count, for later


def test_a_saved_folder_that_is_away_today_does_not_stop_a_save(qtbot, answers, tmp_path):
    settings = S.Settings()
    share = str(tmp_path / "share-not-mounted")
    settings.set(S.LIBRARY_FOLDERS, [share])
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.backups.setValue(9)
    dialog.save()
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    assert settings.get(S.LIBRARY_FOLDERS) == [share]  # kept for when it is back
    assert settings.get(S.BACKUPS_KEPT) == 9
