"""One undo history per document: the memo's and the library's, and every widget follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from briefer.core import paths
from briefer.core.cards import read_card_file
from briefer.gui import settings as S


def edit_title(window, card_id: str, title: str) -> None:
    editor = window.library.edit_card(card_id)
    editor.title_edit.setText(title)
    editor.try_accept()
    assert not editor.isVisible(), editor.error.text()


def test_the_marking_box_follows_undo_and_redo(window, qtbot):
    doc = window.memo.new_memo("information-memo")
    box = window.composer.marking
    box.setCurrentIndex(box.findData("C"))
    box.activated.emit(box.currentIndex())
    assert doc.memo.marking == "C"
    assert box.currentText() == "At least C"
    window.memo.stack.undo()
    assert doc.memo.marking is None
    assert box.currentText() == "From the cards"
    window.memo.stack.redo()
    assert doc.memo.marking == "C"
    assert box.currentText() == "At least C"


def test_saving_a_card_leaves_the_memo_unmodified(window, library_copy, qtbot):
    window.memo.new_memo("one-pager")
    assert not window.isWindowModified()
    edit_title(window, "risk-mixed-signals", "Mixed signals, revised")
    assert not window.isWindowModified()
    assert window.memo.stack.count() == 0
    assert window.library.stack.count() == 1
    # Undo in the memo cannot touch the card file: the memo's history is empty.
    path = library_copy / "beijing-talks-2023.yaml"
    saved = path.read_bytes()
    window.memo.stack.undo()
    assert path.read_bytes() == saved
    window.library.stack.undo()
    assert b"Mixed signals, revised" not in path.read_bytes()


def test_a_new_memo_keeps_the_card_undo_history(window, library_copy):
    edit_title(window, "risk-mixed-signals", "Kept in history")
    window.memo.new_memo("one-pager")
    window.memo.new_memo("action-memo")
    assert window.library.stack.count() == 1
    window.library.stack.undo()
    titles = {c.id: c.title for c in read_card_file(library_copy / "beijing-talks-2023.yaml")[0]}
    assert titles["risk-mixed-signals"] != "Kept in history"


def test_ctrl_z_in_a_header_field_undoes_through_the_memo(window, qtbot):
    doc = window.memo.new_memo("action-memo")
    field = window.composer.fields["subject"]
    field.setFocus()
    qtbot.keyClicks(field, "Coal finance")
    assert window.isWindowModified()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "subject" not in doc.memo.header
    assert field.text() == ""
    assert not window.isWindowModified()  # back to where the memo started
    assert window.memo.stack.index() == 0  # undone, not a new entry
    qtbot.keyClick(
        field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert doc.memo.header["subject"] == "Coal finance"
    assert field.text() == "Coal finance"


def test_edit_undo_acts_on_the_document_in_focus(window, qtbot):
    doc = window.memo.new_memo("one-pager")
    window.composer.add_text("bottom-line", "Memo words.")
    edit_title(window, "risk-mixed-signals", "Card words")
    window.library_panel.search.setFocus()
    qtbot.waitUntil(lambda: window.undo_group.activeStack() is window.library.stack)
    assert window.act_undo.text() == "&Undo Edit card “Card words”"
    window.act_undo.trigger()
    assert window.workspace.library.get("risk-mixed-signals").title != "Card words"
    assert doc.memo.sections["bottom-line"][0].text == "Memo words."
    window.composer.fields["subject"].setFocus()
    qtbot.waitUntil(lambda: window.undo_group.activeStack() is window.memo.stack)
    window.act_undo.trigger()
    assert doc.memo.sections["bottom-line"] == []


def test_bundled_cards_stay_untouched_in_a_source_checkout(
    qtbot, answers, repo, tmp_path, monkeypatch
):
    """In every install, editing a bundled card saves an override in the user's library."""
    from briefer.gui.app import gui_workspace
    from briefer.gui.main_window import MainWindow

    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "userdata"))
    bundled = paths.bundled_library() / "beijing-talks-2023.yaml"
    before = bundled.read_bytes()
    settings = S.Settings()
    window = MainWindow(gui_workspace(settings), settings)
    qtbot.addWidget(window)
    edit_title(window, "risk-mixed-signals", "My own wording")
    assert bundled.read_bytes() == before
    override = tmp_path / "userdata" / "library" / "edited-bundled-cards.yaml"
    assert [c.title for c in read_card_file(override)[0]] == ["My own wording"]
    assert window.workspace.library.get("risk-mixed-signals").title == "My own wording"
    # A fresh start reads the override over the bundled card.
    again = gui_workspace(settings)
    assert again.library.get("risk-mixed-signals").title == "My own wording"
    assert not again.library.errors
    window.library.stack.undo()
    assert bundled.read_bytes() == before
    assert window.workspace.library.get("risk-mixed-signals").title != "My own wording"


def test_a_layout_that_cannot_be_edited_in_place_asks_first(window, answers, tmp_path):
    """A comment inside the value being replaced cannot survive an in-place edit."""
    path = tmp_path / "library" / "odd.yaml"
    path.write_text(
        "cards:\n"
        "  - id: odd-card\n"
        "    kind: background\n"
        "    title: Odd\n"
        "    body: Text.\n"
        "    marking: U\n"
        "    sources: [{title: Paper,  # where we found it\n"
        "               }]\n"
        "    reviewed: '2026-01-01'\n",
        encoding="utf-8",
    )
    window.library.reload()
    before = path.read_text(encoding="utf-8")
    editor = window.library.edit_card("odd-card")
    editor.sources.item(0, 0).setText("A better paper")
    title = "Card file cannot be edited in place"
    answers.choose[title] = "Cancel"
    editor.try_accept()
    assert editor.isVisible()  # the words stay in the editor
    assert path.read_text(encoding="utf-8") == before
    assert any("comments will be lost" in a for a in answers.asked)
    answers.choose[title] = "Save in my library"
    editor.try_accept()
    assert not editor.isVisible()
    assert path.read_text(encoding="utf-8") == before
    mine = tmp_path / "userdata" / "library" / "my-cards.yaml"
    assert read_card_file(mine)[0][0].sources[0].title == "A better paper"
    window.library.stack.undo()
    assert not mine.exists() or read_card_file(mine)[0] == []
    editor = window.library.edit_card("odd-card")
    editor.sources.item(0, 0).setText("Rewritten")
    answers.choose[title] = "Rewrite file"
    editor.try_accept()
    assert not editor.isVisible()
    cards = read_card_file(path)[0]
    assert [c.sources[0].title for c in cards] == ["Rewritten"]
