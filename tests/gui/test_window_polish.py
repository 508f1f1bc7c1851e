"""The window as a diplomat lives in it: board beside memo, find and replace, spelling,
the toolbar, the Memo menu, Help, and the names files are offered under."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QToolBar, QToolButton

from briefer.core.memos import MemoItem
from briefer.gui import settings as S
from briefer.gui import window_commands
from briefer.gui.central import MEMO_TAB
from briefer.gui.composer import ItemDialog
from briefer.gui.document import InsertItemsCommand
from briefer.gui.models import CardRole
from briefer.gui.spelling import spelling, text_menu

EXAMPLE = Path("content") / "memos" / "power-sector-dialogue.brief.yaml"


def new_window(qtbot, library_copy, repo, settings):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    win = MainWindow(Workspace.load([library_copy], repo / "templates"), settings)
    qtbot.addWidget(win)
    win.show()
    return win


# -- board and memo side by side -------------------------------------------------------
def test_board_beside_memo_is_a_choice_that_is_remembered(window, qtbot, repo, library_copy):
    window.resize(1600, 1000)
    qtbot.waitExposed(window)
    window.memo.open_path(repo / EXAMPLE)
    assert not window.central.side_by_side
    window.act_beside.trigger()
    assert window.central.side_by_side
    assert window.act_beside.isChecked()
    assert window.central.beside.widget(0) is window.board
    assert window.central.beside.widget(1) is window.central.memo_area
    qtbot.waitUntil(lambda: window.board.isVisible() and window.composer.isVisible())
    qtbot.waitUntil(lambda: min(window.central.beside.sizes()) > 200)
    # The composer is never squeezed below its buttons.
    composer = window.composer
    assert composer.width() >= composer.minimumWidth() > 0

    # A card dragged from the board drops into a section while both are on screen.
    view = window.board.lane_views["background"]
    index = view.model().index(0, 0)
    card_id = index.data(CardRole).id
    mime = view.model().mimeData([index])
    doc = window.memo.doc
    before = len(doc.models["background"].items)
    doc.models["background"].dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    assert len(doc.models["background"].items) == before + 1
    assert doc.models["background"].items[-1].card == card_id
    window.act_memo.trigger()  # Ctrl+2 goes to the memo without hiding the board
    assert window.board.isVisible()

    window.central.beside.setSizes([500, 1000])
    chosen = window.central.beside.sizes()
    window.memo.stack.setClean()
    window.close()
    again = new_window(qtbot, library_copy, repo, window.settings)
    assert again.central.side_by_side
    assert again.act_beside.isChecked()
    again.resize(window.size())
    qtbot.waitUntil(lambda: sum(again.central.beside.sizes()) > 0)
    assert again.central.beside.sizes() == chosen
    again.act_beside.trigger()  # back to tabs, and the tabs hold both again
    assert not again.central.side_by_side
    assert again.central.tabs.count() == 2
    assert again.central.tabs.widget(MEMO_TAB) is again.central.memo_area
    assert again.settings.get(S.BOARD_BESIDE_MEMO) is False


def test_back_in_tabs_the_memo_being_worked_on_shows(window, qtbot, repo):
    window.set_side_by_side(True)
    window.set_side_by_side(False)
    assert window.central.tabs.currentIndex() != MEMO_TAB  # no memo open: the board
    window.memo.open_path(repo / EXAMPLE)
    window.set_side_by_side(True)
    window.set_side_by_side(False)
    assert window.central.tabs.currentIndex() == MEMO_TAB


def test_board_columns_fit_a_narrow_window(window, qtbot):
    window.resize(1024, 700)
    qtbot.waitExposed(window)
    for view in window.board.column_views.values():
        qtbot.waitUntil(lambda v=view: v.viewport().width() > 0)
        assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if view.model().rowCount():
            tile = view.visualRect(view.model().index(0, 0))
            assert tile.right() <= view.viewport().width(), "a tile wider than its column"


# -- find and replace -------------------------------------------------------------------
def typed(window, section, text):
    doc = window.memo.doc
    row = len(doc.models[section].items)
    doc.stack.push(InsertItemsCommand(doc, section, row, [MemoItem(text=text, marking="U")]))


def test_find_and_replace_in_the_memos_own_text(window, qtbot, repo):
    from briefer.core.find import Query, find_all

    window.memo.open_path(repo / EXAMPLE)
    doc = window.memo.doc
    already = len(find_all(doc.memo, Query("coal")))  # the example's own typed text
    typed(window, "discussion", "Coal is the test. Then coal again.")
    doc.set_header("subject", "Coal and the power sector")
    steps = doc.stack.count()
    dialog = window.find_in_memo()
    assert dialog is not None
    dialog.find_edit.setText("coal")
    match = dialog.find_match(1)
    assert match is not None
    assert match.section is None  # the header comes first, in reading order
    assert window.composer.fields["subject"].selectedText() == "Coal"
    assert f"1 of {already + 3}" in dialog.status.text()
    assert "cards' own wording" in dialog.status.text()  # counted, not replaced
    second = dialog.find_match(1)
    box = window.composer.boxes[second.section]
    assert box.view.currentIndex().row() == second.index
    dialog.replace_edit.setText("gas")
    assert dialog.replace_all() == already + 3
    assert find_all(doc.memo, Query("coal")) == []
    assert doc.memo.header["subject"] == "gas and the power sector"
    assert doc.memo.sections["discussion"][-1].text == "gas is the test. Then gas again."
    # Cards' own wording is untouched: their items are not overridden.
    assert all(i.body is None for _, i in doc.memo.items() if i.card)
    assert doc.stack.count() == steps + 1  # one undo step
    doc.stack.undo()
    assert doc.memo.header["subject"] == "Coal and the power sector"
    assert doc.memo.sections["discussion"][-1].text == "Coal is the test. Then coal again."


def test_replace_one_at_a_time_with_case_and_whole_words(window, repo):
    window.memo.open_path(repo / EXAMPLE)
    doc = window.memo.doc
    typed(window, "discussion", "Lignite, lignite and lignitewise.")
    dialog = window.find_in_memo()
    dialog.find_edit.setText("lignite")
    dialog.match_case.setChecked(True)
    dialog.whole_words.setChecked(True)
    dialog.replace_edit.setText("lignite power")  # contains the words it replaces
    first = dialog.find_match(1)
    assert first is not None
    assert (first.start, first.end) == (9, 16)
    dialog.replace()
    assert doc.memo.sections["discussion"][-1].text == "Lignite, lignite power and lignitewise."
    assert dialog.current is None  # no loop over the new words, nothing after it
    assert "No more matches" in dialog.status.text()
    dialog.find_edit.setText("nowhere-to-be-found")
    dialog._forget()
    steps = doc.stack.count()
    assert dialog.replace_all() == 0
    assert doc.stack.count() == steps  # no empty undo step
    assert "Nothing found" in dialog.status.text()


def test_ctrl_f_finds_in_the_memo_when_working_in_it(window, qtbot, repo):
    window.memo.open_path(repo / EXAMPLE)
    qtbot.waitExposed(window)
    window.composer.fields["to"].setFocus()
    qtbot.waitUntil(lambda: window.composer.fields["to"].hasFocus())
    window.act_find.trigger()
    assert window.find_dialog is not None
    assert window.find_dialog.isVisible()
    window.find_dialog.close()
    window.library_panel.view.setFocus()
    qtbot.waitUntil(lambda: window.library_panel.view.hasFocus())
    window.act_find.trigger()
    qtbot.waitUntil(lambda: window.library_panel.search.hasFocus())
    assert window.act_replace.shortcut() == QKeySequence(QKeySequence.StandardKey.Replace)


# -- spelling ---------------------------------------------------------------------------
def test_misspelled_words_are_underlined_and_corrected_from_the_menu(window, qtbot):
    dialog = ItemDialog("", "We recieve the envoy in Sunnylands for COP28.", False, window)
    qtbot.addWidget(dialog)
    block = dialog.body_edit.document().firstBlock()

    def underlined():
        return [
            block.text()[r.start : r.start + r.length]
            for r in block.layout().formats()
            if r.format.underlineStyle() == r.format.UnderlineStyle.SpellCheckUnderline
        ]

    qtbot.waitUntil(lambda: underlined() != [])  # the highlighter runs once the loop does
    assert underlined() == ["recieve"]
    edit = dialog.body_edit
    cursor = edit.textCursor()
    cursor.setPosition(5)
    point = edit.cursorRect(cursor).center()
    menu = text_menu(edit, point)
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "receive"
    assert "Add “recieve” to dictionary" in labels
    menu.actions()[0].trigger()
    assert edit.toPlainText() == "We receive the envoy in Sunnylands for COP28."
    edit.undo()  # the correction is one step of the field's own undo
    assert "recieve" in edit.toPlainText()


def test_add_to_dictionary_is_kept_for_the_next_start(window, qtbot, tmp_path):
    service = spelling()
    assert [m.word for m in service.misspelled("Ambassador Qwertz arrives")] == ["Qwertz"]
    service.add("Qwertz")
    assert service.misspelled("Ambassador Qwertz arrives") == []
    kept = S.user_dictionary().read_text(encoding="utf-8")
    assert "qwertz" in kept.split()
    from briefer.gui import spelling as spelling_module

    spelling_module.reset()
    assert spelling_module.spelling().misspelled("Qwertz") == []  # read back from disk


def test_header_fields_are_spell_checked_and_corrections_are_memo_edits(window, qtbot, repo):
    window.memo.open_path(repo / EXAMPLE)
    doc = window.memo.doc
    field = window.composer.fields["subject"]
    field.setText("Enviromental talks")
    assert [m.word for m in field.misspelled()] == ["Enviromental"]
    at = QPoint(field.fontMetrics().horizontalAdvance("Envi") + 6, field.height() // 2)
    menu = field.spelling_menu(at)
    first = menu.actions()[0]
    assert first.text() == "Environmental"
    first.trigger()
    assert field.text() == "Environmental talks"
    assert doc.memo.header["subject"] == "Environmental talks"  # through the memo's stack
    doc.stack.undo()
    assert doc.memo.header.get("subject") != "Environmental talks"


def test_spell_checking_can_be_turned_off(window, qtbot):
    service = spelling()
    service.set_enabled(False)
    assert service.misspelled("teh") == []
    assert window.settings.get(S.SPELL_CHECK) is False
    service.set_enabled(True)
    assert [m.word for m in service.misspelled("teh")] == ["teh"]


# -- toolbar, menus, help ---------------------------------------------------------------
def test_toolbar_buttons_have_sharp_icons_and_tooltips_that_explain(window):
    toolbar = window.findChild(QToolBar, "main-toolbar")
    menu_actions = {
        a
        for menu in window.menuBar().findChildren(type(window.recent_menu))
        for a in menu.actions()
    }
    actions = [a for a in toolbar.actions() if not a.isSeparator()]
    assert len(actions) >= 10
    for action in actions:
        icon = action.icon()
        assert not icon.isNull(), action.text()
        # A vector icon: drawn sharp at twice the size (a high-DPI screen).
        assert icon.pixmap(QSize(48, 48)).width() == 48, action.text()
        tip = action.toolTip()
        assert tip != action.text().replace("&", ""), f"tooltip repeats the label: {tip}"
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            assert keys in tip, tip
        if action not in (window.tool_undo, window.tool_redo):
            assert action in menu_actions, f"{action.text()} is in no menu"
        button = toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton)
    assert "(Ctrl+Z)" in window.tool_undo.toolTip()


def test_memo_menu_moves_items_like_the_keys(window, qtbot, repo):
    window.memo.open_path(repo / EXAMPLE)
    doc = window.memo.doc
    composer = window.composer
    typed(window, "background", "A paragraph to move.")
    first = doc.memo.sections["background"][-1]
    box = composer.boxes["background"]
    box.view.setFocus()
    box.view.setCurrentIndex(box.model.index(len(box.model.items) - 1))
    composer.current_section = "background"
    titles = {a.text().replace("&", ""): a for a in window.item_actions}
    assert titles["Move to next section"].shortcut() == QKeySequence("Alt+Shift+Down")
    # Shown in the menu, handled by the focused list: never stealing Alt+Down elsewhere.
    assert titles["Move to next section"].shortcutContext() == Qt.ShortcutContext.WidgetShortcut
    titles["Move up"].trigger()
    assert doc.memo.sections["background"][-2] == first
    titles["Move to next section"].trigger()
    assert first in doc.memo.sections["discussion"]
    assert first not in doc.memo.sections["background"]
    doc.stack.undo()
    doc.stack.undo()
    assert doc.memo.sections["background"][-1] == first


def test_help_shows_the_user_guide_and_about_the_version(window, answers, repo):
    import runpy

    from briefer import __version__

    dialog = window_commands.user_guide(window)
    again = window_commands.user_guide(window)
    assert again is dialog  # F1 again: the same window, brought forward
    text = dialog.browser.toPlainText()
    assert "Board beside memo" in text
    assert "Find and replace" in text
    assert dialog.browser.openLinks() is False  # offline: links are never followed
    dialog.close()
    make_guide = runpy.run_path(str(repo / "packaging" / "make_guide.py"))
    readme = (repo / "README.md").read_text(encoding="utf-8")
    shipped = (repo / "briefer" / "help" / "guide.md").read_text(encoding="utf-8")
    assert shipped == make_guide["guide_text"](readme), (
        "briefer/help/guide.md is older than the README: run python packaging/make_guide.py"
    )
    window_commands.about(window)
    assert __version__ in answers.told[-1]
    assert window.act_guide.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)


# -- file names -------------------------------------------------------------------------
def test_save_as_starts_in_the_memos_folder_and_names_come_from_the_memo(
    window, answers, tmp_path, repo, monkeypatch
):
    from briefer.gui import dialogs

    asked: list[str] = []

    def save_file(parent, title, suggested, kind):
        asked.append(suggested)
        return ""

    monkeypatch.setattr(dialogs, "save_file", save_file)
    window.memo.new_memo("information-memo")
    doc = window.memo.doc
    doc.set_header("subject", "Climate talks with China: next steps")
    window.memo.save_as()
    assert Path(asked[-1]).name == "climate-talks-with-china-next-steps.brief.yaml"
    window.act_export_pdf.trigger()
    assert Path(asked[-1]).name == "climate-talks-with-china-next-steps.pdf"

    folder = tmp_path / "memos" / "trip"
    folder.mkdir(parents=True)
    answers.save_file = str(folder / "visit.brief.yaml")
    monkeypatch.setattr(dialogs, "save_file", lambda *a: answers.save_file)
    assert window.memo.save_as()
    window.settings.set(S.LAST_MEMO_FOLDER, str(tmp_path))  # another folder used since
    monkeypatch.setattr(dialogs, "save_file", save_file)
    window.memo.save_as()
    assert Path(asked[-1]) == folder / "visit.brief.yaml"
    window.act_export_docx.trigger()
    assert Path(asked[-1]).name == "visit.docx"


def test_line_edits_in_dialogs_are_spell_checked(window):
    from briefer.gui.card_editor import CardEditor

    editor = CardEditor(None, window.workspace.library, window)
    for edit in (editor.title_edit, editor.short_edit):
        assert edit.property("spell_checked") is True
    assert editor.body.property("spell_checked") is True
    assert editor.id_edit.property("spell_checked") is not True  # an id is not prose
    assert isinstance(editor.id_edit, QLineEdit)
    editor.close()


def test_enter_in_find_goes_to_the_next_match_and_keeps_the_panel(window, qtbot, repo):
    window.memo.open_path(repo / EXAMPLE)
    dialog = window.find_in_memo()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.find_edit.setFocus()
    qtbot.keyClicks(dialog.find_edit, "power sector")
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter is Find next, not Close
    assert dialog.current is not None
    first = dialog.status.text()
    assert first.startswith("1 of ")
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Enter)
    assert dialog.status.text().startswith("2 of ")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape closes it
    assert not dialog.isVisible()
