"""The window driven as a user would: board, search, drag and drop, editing, files, export."""

from __future__ import annotations

import docx
from pypdf import PdfReader
from PySide6.QtCore import QByteArray, QModelIndex, Qt
from PySide6.QtGui import QPageSize
from PySide6.QtWidgets import QDialog, QLabel

from briefer.core.cards import read_card_file
from briefer.core.memos import memo_to_yaml, read_memo
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.central import BOARD_TAB, MEMO_TAB
from briefer.gui.models import CardRole


def card_index(window, card_id):
    model = window.library.model
    return model.index(model.row_of(card_id))


def drop_cards(doc, section, card_ids, window, row=-1):
    mime = window.library.model.mimeData([card_index(window, c) for c in card_ids])
    return doc.models[section].dropMimeData(mime, Qt.DropAction.CopyAction, row, 0, QModelIndex())


def test_board_is_the_home_view(window):
    assert window.central.tabs.currentIndex() == BOARD_TAB
    board = window.board
    assert len(board.column_views) == 3
    counts = {sid: view.model().rowCount() for sid, view in board.column_views.items()}
    assert counts["strategy-parallel-initiatives"] == 5
    assert counts["strategy-green-overseas-investment"] == 1
    assert board.lane_views["benefit"].model().rowCount() == 6
    assert board.lane_views["risk"].model().rowCount() == 4


def test_search_filters_as_you_type(window, qtbot):
    panel = window.library_panel
    total = panel.proxy.rowCount()
    assert total == len(window.workspace.library)
    qtbot.keyClicks(panel.search, "coal")
    expected = sum("coal" in c.search_text() for c in window.workspace.library.cards.values())
    assert panel.proxy.rowCount() == expected
    assert 0 < expected < total
    panel.search.clear()
    qtbot.keyClicks(panel.search, "no such words anywhere")
    assert panel.proxy.rowCount() == 0
    panel.search.clear()
    panel.kind.setCurrentIndex(panel.kind.findData("quote"))
    assert panel.proxy.rowCount() == len(window.workspace.library.of_kind("quote"))
    panel.kind.setCurrentIndex(0)
    panel.strategy.setCurrentIndex(panel.strategy.findData("strategy-china-2030-ambition"))
    shown = {panel.proxy.index(r, 0).data(CardRole).id for r in range(panel.proxy.rowCount())}
    assert shown == {
        "strategy-china-2030-ambition",
        "initiative-power-sector",
        "initiative-ndc-targets",
    }


def test_selecting_a_card_shows_it_in_full(window):
    panel = window.library_panel
    panel.select_card("bg-sunnylands-statement")
    text = panel.detail.toPlainText()
    assert "The Sunnylands Statement of November 15, 2023" in text
    assert "Green Signal for China-U.S. Green Cooperation" in text
    assert "Used in: no open memo" in text


def test_drag_card_into_section_then_undo_redo(window):
    doc = window.memo.new_memo("action-memo")
    assert drop_cards(doc, "background", ["bg-emissions-shares", "bg-sunnylands-statement"], window)
    items = doc.models["background"].items
    # dragged cards arrive in library order, as a multi-selection drag gives them
    assert sorted(i.card for i in items) == ["bg-emissions-shares", "bg-sunnylands-statement"]
    assert window.isWindowModified()
    window.memo.stack.undo()
    assert doc.models["background"].items == []
    window.memo.stack.redo()
    assert len(doc.models["background"].items) == 2
    window.library_panel.select_card("bg-emissions-shares")
    assert f"Used in: {doc.session.display_name}" in window.library_panel.detail.toPlainText()


def test_wrong_kind_is_explained_not_dropped(window, answers, qtbot):
    doc = window.memo.new_memo("action-memo")
    with qtbot.waitSignal(doc.kind_refused) as signal:
        assert not drop_cards(doc, "bluf", ["risk-mixed-signals"], window)
    assert doc.models["bluf"].items == []
    assert "is a risk card; the Bottom Line Up Front section takes" in signal.args[1]
    qtbot.waitUntil(lambda: bool(answers.told))
    assert "Not added to Bottom Line Up Front" in answers.told[0]


def test_reorder_and_move_between_sections(window):
    doc = window.memo.new_memo("action-memo")
    for card_id in ("bg-emissions-shares", "bg-dialogue-history", "quote-michael-hart"):
        drop_cards(doc, "background", [card_id], window)
    background = doc.models["background"]
    mime = background.mimeData([background.index(2)])
    background.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [i.card for i in background.items] == [
        "quote-michael-hart",
        "bg-emissions-shares",
        "bg-dialogue-history",
    ]
    mime = background.mimeData([background.index(0)])
    doc.models["discussion"].dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert [i.card for i in doc.models["discussion"].items] == ["quote-michael-hart"]
    assert len(background.items) == 2
    window.memo.stack.undo()
    window.memo.stack.undo()
    assert [i.card for i in background.items] == [
        "bg-emissions-shares",
        "bg-dialogue-history",
        "quote-michael-hart",
    ]


def test_free_text_override_revert_and_remove(window):
    doc = window.memo.new_memo("action-memo")
    composer = window.composer
    composer.add_text("recommendation", "That you approve the dialogue.")
    drop_cards(doc, "recommendation", ["initiative-power-sector"], window)
    model = doc.models["recommendation"]
    assert model.items[0].text == "That you approve the dialogue."
    composer.override("recommendation", 1, "Power, briefly", "A shorter body.")
    assert model.items[1].is_override
    assert "[reworded]" in model.index(1).data()
    composer.boxes["recommendation"].view.setCurrentIndex(model.index(1))
    composer.revert_item("recommendation")
    assert not model.items[1].is_override
    composer.boxes["recommendation"].view.setCurrentIndex(model.index(0))
    composer.remove_items("recommendation")
    assert [i.card for i in model.items] == ["initiative-power-sector"]


def test_header_edit_undo(window, qtbot):
    doc = window.memo.new_memo("action-memo")
    field = window.composer.fields["subject"]
    qtbot.keyClicks(field, "Power sector")
    assert doc.memo.header["subject"] == "Power sector"
    window.memo.stack.undo()  # typing in one field is one step
    assert "subject" not in doc.memo.header
    assert field.text() == ""


def test_a_long_header_value_shows_its_start(window, qtbot, tmp_path):
    subject = "U.S.-China climate cooperation after Sunnylands: " + "what the envoys agreed " * 6
    memo = tmp_path / "long.brief.yaml"
    memo.write_text(
        "format: 1\ntemplate: action-memo\nheader:\n"
        f"  subject: '{subject.strip()}'\nsections: {{}}\n",
        encoding="utf-8",
    )
    doc = window.memo.open_path(memo)
    field = window.composer.fields["subject"]
    assert field.cursorPosition() == 0  # the box shows "U.S.-China climate…", not "…agreed"
    qtbot.keyClicks(field, "Re: ")  # typing goes where the cursor is, and stays there
    assert doc.memo.header["subject"].startswith("Re: U.S.-China climate")
    assert field.cursorPosition() == 4
    field.clearFocus()
    window.memo.stack.undo()  # changed from elsewhere: the field shows the start again
    assert field.text().startswith("U.S.-China")
    assert field.cursorPosition() == 0


def test_edit_card_saves_its_file_and_undoes(window, library_copy):
    path = library_copy / "strategies.yaml"
    before = path.read_text(encoding="utf-8")
    editor = window.library.edit_card("initiative-green-stimulus")
    editor.title_edit.setText("Green stimulus, revised")
    editor.try_accept()
    after = path.read_text(encoding="utf-8")
    assert "Green stimulus, revised" in after
    cards = {c.id: c for c in read_card_file(path)[0]}
    assert cards["initiative-green-stimulus"].title == "Green stimulus, revised"
    # the other cards keep their exact text
    head = before.split("  - id: initiative-green-stimulus")[0]
    assert after.startswith(head)
    assert window.workspace.library.get("initiative-green-stimulus").title.endswith("revised")
    window.library.stack.undo()
    assert path.read_text(encoding="utf-8") == before
    window.library.stack.redo()
    assert "Green stimulus, revised" in path.read_text(encoding="utf-8")


def test_ctrl_s_saves_the_card_being_edited(window, library_copy, qtbot):
    from PySide6.QtCore import Qt

    path = library_copy / "strategies.yaml"
    editor = window.library.edit_card("initiative-green-stimulus")
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # a shortcut goes to the active window
    editor.title_edit.setText("Green stimulus, by the keyboard")
    editor.title_edit.setFocus()
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Green stimulus, by the keyboard" in path.read_text(encoding="utf-8")


def test_cancelling_an_edited_card_asks_and_never_drops_its_words(
    window, answers, library_copy, qtbot
):
    path = library_copy / "strategies.yaml"
    before = path.read_text(encoding="utf-8")
    untouched = window.library.edit_card("initiative-green-stimulus")
    untouched.reject()  # nothing changed: closes without a question
    assert answers.asked == []
    assert not untouched.isVisible()
    editor = window.library.edit_card("initiative-green-stimulus")
    editor.body.setPlainText("A long body the drafter does not want to lose.")
    editor.reject()  # Escape, Cancel or the window's close
    assert answers.asked == ["save Green stimulus?"]
    assert editor.isVisible()  # "cancel": still open, words and all
    assert "does not want to lose" in editor.body.toPlainText()
    answers.ask_save = "save"
    editor.reject()
    assert "does not want to lose" in path.read_text(encoding="utf-8")
    assert not editor.isVisible()
    assert path.read_text(encoding="utf-8") != before


def test_cancelling_typed_or_reworded_text_asks_first(window, answers, qtbot):
    from PySide6.QtWidgets import QDialog

    from briefer.gui.composer import ItemDialog

    ended: list[int] = []
    untouched = ItemDialog("Title", "Words", with_title=True, parent=window)
    untouched.finished.connect(ended.append)
    untouched.reject()
    assert answers.asked == []
    assert ended == [QDialog.DialogCode.Rejected]
    dialog = ItemDialog("", "", with_title=False, parent=window, marking="U")
    dialog.finished.connect(ended.append)
    dialog.body_edit.setPlainText("A paragraph typed for this memo.")
    dialog.reject()  # Escape by mistake: asked, and the words stay
    assert answers.asked == ["save this text?"]
    assert len(ended) == 1
    answers.ask_save = "save"
    dialog.reject()
    assert ended[-1] == QDialog.DialogCode.Accepted  # kept, as OK would
    assert dialog.body_edit.toPlainText() == "A paragraph typed for this memo."


def test_editor_refuses_incomplete_card(window):
    editor = window.library.new_card("initiative", "")
    editor.id_edit.setText("Bad Id")
    editor.try_accept()
    problems = editor.error.text()
    assert "lowercase letters" in problems
    assert "'title' in card 'Bad Id' is empty" in problems
    assert "serves no strategy" in problems  # a warning: shown, not blocking
    assert editor.isVisible()


def test_new_duplicate_and_delete_card(window, answers, tmp_path):
    editor = window.library.new_card("risk", "")
    editor.id_edit.setText("risk-new-one")
    editor.title_edit.setText("A new risk")
    editor.body.setPlainText("Something could go wrong.")
    editor.sources.item(0, 0).setText("Internal note")
    editor.try_accept()
    user_file = tmp_path / "userdata" / "library" / "my-cards.yaml"
    assert [c.id for c in read_card_file(user_file)[0]] == ["risk-new-one"]
    assert window.board.lane_views["risk"].model().rowCount() == 5

    window.library_panel.select_card("risk-new-one")
    copy_editor = window.duplicate_card()
    assert copy_editor.id_edit.text() == "risk-new-one-copy"
    copy_editor.try_accept()
    assert {c.id for c in read_card_file(user_file)[0]} == {"risk-new-one", "risk-new-one-copy"}

    doc = window.memo.new_memo("one-pager")
    drop_cards(doc, "risks", ["risk-new-one"], window)
    window.library_panel.select_card("risk-new-one")
    window.delete_card()
    assert "used in the open memo Untitled memo" in answers.asked[-1]
    assert window.workspace.library.get("risk-new-one") is None
    assert [c.id for c in read_card_file(user_file)[0]] == ["risk-new-one-copy"]
    assert "Missing card" in doc.models["risks"].index(0).data()
    window.library.stack.undo()
    assert window.workspace.library.get("risk-new-one") is not None


def test_save_reopen_and_compare(window, answers, tmp_path, qtbot):
    doc = window.memo.new_memo("talking-points")
    qtbot.keyClicks(window.composer.fields["subject"], "Climate: NO surprises")
    drop_cards(doc, "key-points", ["tp-raise-ambition", "tp-power-sector-dialogue"], window)
    window.composer.add_text("if-raised", "We will not comment on 12:30 talks.")
    answers.save_file = str(tmp_path / "talks")
    assert window.memo.save()
    saved = tmp_path / "talks.brief.yaml"
    assert saved.exists()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("talks.brief.yaml")
    original = memo_to_yaml(doc.memo)
    reopened = window.memo.open_path(saved)
    assert memo_to_yaml(reopened.memo) == original
    memo, problems = read_memo(saved)
    assert problems == []
    assert memo.header["subject"] == "Climate: NO surprises"
    assert memo.sections["if-raised"][0].text == "We will not comment on 12:30 talks."
    assert str(saved) in window.settings.get(S.RECENT_FILES)


def test_export_from_the_window(window, answers, tmp_path, repo):
    window.memo.open_path(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml")
    answers.save_file = str(tmp_path / "out" / "memo.docx")
    (tmp_path / "out").mkdir()
    window.export(".docx")
    document = docx.Document(str(tmp_path / "out" / "memo.docx"))
    assert any(
        "Proposing a U.S.-China power sector dialogue" in p.text for p in document.paragraphs
    )
    assert "Exported a draft to" in answers.told[-1]  # (its Drafted by and Cleared are empty)
    answers.save_file = str(tmp_path / "out" / "memo")  # no extension typed
    window.export(".pdf")
    reader = PdfReader(str(tmp_path / "out" / "memo.pdf"))
    assert "ACTION MEMO" in reader.pages[0].extract_text()
    assert "(2 pages)" in answers.told[-1]
    assert window.settings.get(S.LAST_EXPORT_FOLDER) == str(tmp_path / "out")


def test_the_export_message_lists_each_warning_at_its_line(window, answers, tmp_path):
    memo = tmp_path / "visit.brief.yaml"
    memo.write_text(
        "format: 1\ntemplate: talking-points\nheader:\n  location: Beijing\nsections:\n"
        "  key-points:\n    - card: tp-raise-ambition\n",
        encoding="utf-8",
    )
    window.memo.open_path(memo)
    answers.save_file = str(tmp_path / "visit.pdf")
    window.export(".pdf")
    told = answers.told[-1]
    assert told.startswith(
        f"Exported a draft to {tmp_path / 'visit.pdf'} (1 page). DRAFT is across every page."
        "\n\nWarnings:\n"
    )
    assert ":4:1: header field 'location' is not shown by template 'talking-points'" in told
    assert "warning:" not in told  # the list is headed "Warnings"; each line says where


def test_export_failure_is_a_dialog(window, answers, tmp_path):
    doc = window.memo.new_memo("one-pager")
    drop_cards(doc, "risks", ["risk-mixed-signals"], window)
    window.workspace.library.cards.pop("risk-mixed-signals")
    answers.save_file = str(tmp_path / "x.pdf")
    window.export(".pdf")
    assert not (tmp_path / "x.pdf").exists()
    assert "Export failed" in answers.told[-1]
    assert "unknown card 'risk-mixed-signals'" in answers.told[-1]


def test_close_with_unsaved_changes(window, answers, tmp_path):
    doc = window.memo.new_memo("one-pager")
    window.composer.add_text("bottom-line", "Unsaved words.")
    answers.ask_save = "cancel"
    assert not window.close()
    assert window.isVisible()
    answers.ask_save = "save"
    answers.save_file = str(tmp_path / "kept.brief.yaml")
    assert window.close()
    memo, _ = read_memo(tmp_path / "kept.brief.yaml")
    assert memo.sections["bottom-line"][0].text == "Unsaved words."
    assert doc.session.path == tmp_path / "kept.brief.yaml"


def test_close_discard(window, answers):
    window.memo.new_memo("one-pager")
    window.composer.add_text("bottom-line", "Throw away.")
    answers.ask_save = "discard"
    assert window.close()


def test_preview_shows_pages_against_limit(window, qtbot, repo):
    with qtbot.waitSignal(window.preview.rendered, timeout=20000) as signal:
        window.memo.open_path(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml")
    assert signal.args == [2]
    assert window.preview.status.text() == "2 pages (limit 2)"
    assert window.preview.pdf.pageCount() == 2
    doc = window.memo.doc
    with qtbot.waitSignal(window.preview.rendered, timeout=20000):
        drop_cards(
            doc,
            "background",
            [c.id for c in window.workspace.library.of_kind("background")],
            window,
        )
    assert "over the 2-page limit" in window.preview.status.text()
    assert window.preview.pdf.pageCount() > 2


def test_preview_keeps_its_width_when_the_pages_arrive(window, qtbot, repo):
    """The pages are fitted once: a scroll bar that appeared as they loaded used to lay
    them out again while the first drawing was under way (uneven letters on screen)."""
    viewport = window.preview.view.viewport()
    widths = []
    window.preview.rendered.connect(lambda pages: widths.append(viewport.width()))
    with qtbot.waitSignal(window.preview.rendered, timeout=20000) as signal:
        window.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    assert signal.args == [3]  # taller than the view: it scrolls
    qtbot.wait(100)
    assert widths == [viewport.width()]


def test_new_memo_defaults_from_and_date(window):

    window.settings.set(S.DEFAULT_FROM, "Office of Climate Diplomacy")
    doc = window.memo.new_memo("action-memo")
    assert doc.memo.header["from"] == "Office of Climate Diplomacy"
    assert doc.memo.header["date"]
    assert window.central.tabs.currentIndex() == MEMO_TAB


def test_missing_card_placeholder_and_unknown_template(window, answers, tmp_path, monkeypatch):
    path = tmp_path / "odd.brief.yaml"
    path.write_text(
        "template: press-release\nheader: {subject: Odd}\nsections:\n  bottom-line:\n"
        "    - card: gone-card\n    - text: My own words.\n",
        encoding="utf-8",
    )
    notes = []

    def choose_template(parent, workspace, note="", current=""):
        notes.append(note)
        return "one-pager"

    monkeypatch.setattr(dialogs, "choose_template", choose_template)
    doc = window.memo.open_path(path)
    assert doc.memo.template == "one-pager"
    assert doc.models["bottom-line"].index(0).data() == "⚠ Missing card: gone-card"
    assert "Missing cards shown as placeholders: gone-card" in window.statusBar().currentMessage()
    assert "does not have" in notes[-1]
    # Nothing else is lost, and saving keeps the reference to the missing card.
    assert doc.models["bottom-line"].index(1).data() == "✎ My own words."
    assert window.memo.save()
    assert not any("changed on disk" in a for a in answers.asked)
    memo, problems = read_memo(path)
    assert [(i.card, i.text) for i in memo.sections["bottom-line"]] == [
        ("gone-card", None),
        (None, "My own words."),
    ]
    assert memo.header["subject"] == "Odd"


def test_broken_memo_gives_clear_message(window, answers, tmp_path):
    path = tmp_path / "broken.brief.yaml"
    path.write_text("template: one-pager\nsections:\n  x: [\n", encoding="utf-8")
    assert window.memo.open_path(path) is None
    assert "Cannot open memo" in answers.told[-1]
    assert "broken.brief.yaml:" in answers.told[-1]


def test_standard_shortcuts_and_accessible_names(window):
    from PySide6.QtGui import QKeySequence

    assert window.act_save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.act_open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.library_panel.search.accessibleName() == "Search cards"
    assert window.act_export_pdf.toolTip()


def test_keyboard_add_reorder_and_move(window, qtbot):
    doc = window.memo.new_memo("briefing-checklist")
    panel = window.library_panel
    panel.select_card("bg-kerry-xie-envoys")
    window.composer.add_cards_requested.emit("scene-setter")
    panel.select_card("bg-beijing-talks-2023")
    window.add_selected_cards("scene-setter")
    scene = doc.models["scene-setter"]
    assert [i.card for i in scene.items] == ["bg-kerry-xie-envoys", "bg-beijing-talks-2023"]
    box = window.composer.boxes["scene-setter"]
    box.view.setFocus()
    box.view.setCurrentIndex(scene.index(1))
    qtbot.keyClick(box.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [i.card for i in scene.items] == ["bg-beijing-talks-2023", "bg-kerry-xie-envoys"]
    qtbot.keyClick(box.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [i.card for i in scene.items] == ["bg-kerry-xie-envoys", "bg-beijing-talks-2023"]
    box.view.setCurrentIndex(scene.index(0))
    mods = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    # the next section takes strategies, initiatives and benefits: refused, and explained
    with qtbot.waitSignal(doc.kind_refused) as refused:
        qtbot.keyClick(box.view, Qt.Key.Key_Down, mods)
    assert "the Objectives section takes" in refused.args[1]
    assert len(scene.items) == 2
    assert doc.models["objectives"].items == []
    # free text is not a card kind: it may go to any section
    window.composer.add_text("scene-setter", "Free text can go anywhere.")
    box.view.setCurrentIndex(scene.index(2))
    qtbot.keyClick(box.view, Qt.Key.Key_Down, mods)
    assert [i.text for i in doc.models["objectives"].items] == ["Free text can go anywhere."]
    panel.select_card("benefit-us-clean-tech-market")
    window.add_selected_cards("objectives")
    assert [i.card for i in doc.models["objectives"].items] == [
        None,
        "benefit-us-clean-tech-market",
    ]


def test_session_memos_listed_for_a_card(window, repo):
    window.memo.open_path(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml")
    window.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    uses = window.memo.memos_using("bg-emissions-shares")
    assert uses == ["state-of-play.brief.yaml", "power-sector-dialogue.brief.yaml"]
    assert window.memo.memos_using("bg-china-coal-revival") == ["power-sector-dialogue.brief.yaml"]


def test_recommendation_rows_show_the_sentence_that_prints(window):
    doc = window.memo.new_memo("action-memo")
    drop_cards(doc, "recommendation", ["initiative-power-sector"], window)
    row = doc.models["recommendation"].index(0).data()
    assert "That you approve proposing to China" in row
    # Rewording there changes the sentence; the card's own short form is no override.
    card = doc.library.get("initiative-power-sector")
    window.composer.override("recommendation", 0, card.title, card.short)
    assert not doc.models["recommendation"].items[0].is_override
    window.composer.override("recommendation", 0, card.title, "That you approve a dialogue.")
    assert doc.models["recommendation"].items[0].body == "That you approve a dialogue."


def test_typed_text_starts_at_the_memo_marking_and_can_be_lowered(window, monkeypatch):
    from briefer.gui.composer import ItemDialog

    doc = window.memo.new_memo("information-memo")
    doc.set_marking("SBU")
    seen = []

    def fill(text, marking=None):
        def exec_(self):
            seen.append(self.marking.currentData())
            self.body_edit.setPlainText(text)
            if marking:
                self.marking.setCurrentIndex(self.marking.findData(marking))
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(ItemDialog, "exec", exec_)

    section = doc.template.sections[0].id
    fill("Sensitive by default.")
    window.composer.add_text(section)
    fill("Public line.", "U")
    window.composer.add_text(section)
    items = doc.models[section].items
    assert seen == ["SBU", "SBU"]  # each starts at the memo's marking
    assert [(i.text, i.marking) for i in items] == [
        ("Sensitive by default.", "SBU"),
        ("Public line.", "U"),
    ]
    assert doc.models[section].index(1).data().startswith("✎ (U)")
    window.memo.stack.undo()
    assert len(items) == 1


def test_the_classification_authority_fields_are_in_the_header_form(window, qtbot):
    doc = window.memo.new_memo("action-memo")
    field = window.composer.fields["classified-by"]
    assert "CONFIDENTIAL" in field.placeholderText()
    qtbot.keyClicks(field, "J. Smith")
    assert doc.memo.header["classified-by"] == "J. Smith"
    window.memo.stack.undo()
    assert "classified-by" not in doc.memo.header


def test_preview_uses_the_templates_letterhead_page(qtbot, answers, library_copy, repo, tmp_path):
    """A template with a reference document previews on its page (A4 here), as it exports."""
    import shutil

    from docx.shared import Mm

    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    templates = tmp_path / "templates"
    shutil.copytree(repo / "templates", templates)
    ref = docx.Document()
    ref.sections[0].page_width, ref.sections[0].page_height = Mm(210), Mm(297)
    ref.save(str(templates / "letterhead.docx"))
    path = templates / "one-pager.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "reference_docx: letterhead.docx\n", encoding="utf-8"
    )
    win = MainWindow(Workspace.load([library_copy], templates), S.Settings())
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.preview.rendered, timeout=20000):
        win.memo.new_memo("one-pager")
        win.composer.add_text("bottom-line", "On the letterhead's page.")
    size = win.preview.pdf.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (595, 842)
    win.preview.wait_idle()
    win.memo.stack.setClean()


def test_search_finds_a_phrase_across_a_line_break(window, qtbot):
    """A quoted slogan or a long quote wraps in the card file; the search still finds it,
    and a query with two spaces or a tab matches as one space."""
    panel = window.library_panel
    qtbot.keyClicks(panel.search, "noise and  disruption from China hawks")
    shown = {panel.proxy.index(r, 0).data(CardRole).id for r in range(panel.proxy.rowCount())}
    assert shown == {"quote-yang-china-hawks"}
    panel.search.clear()
    qtbot.keyClicks(panel.search, "build it before you break it")
    shown = {panel.proxy.index(r, 0).data(CardRole).id for r in range(panel.proxy.rowCount())}
    assert shown == {"bg-china-coal-revival"}


def test_toolbar_undo_keeps_its_label_and_names_the_step_in_its_tooltip(window):
    from PySide6.QtWidgets import QToolBar

    toolbar = window.findChild(QToolBar, "main-toolbar")
    undo = next(a for a in toolbar.actions() if a.text() == "Undo")
    assert not undo.isEnabled()
    window.memo.new_memo("one-pager")
    window.composer.add_text("bottom-line", "Words.")
    assert undo.text() == "Undo"
    assert undo.isEnabled()
    assert undo.toolTip() == "Undo Add text to Bottom Line (Ctrl+Z)"
    undo.trigger()
    assert window.memo.doc.models["bottom-line"].items == []


def test_library_count_hidden_detail_and_remembered_filters(window, qtbot, library_copy, repo):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    panel = window.library_panel
    total = len(window.workspace.library)
    assert panel.count.text() == f"{total} of {total}"
    panel.select_card("risk-mixed-signals")
    assert "Mixed climate signals" in panel.detail.toPlainText()
    panel.kind.setCurrentIndex(panel.kind.findData("quote"))  # hides the selected risk card
    quotes = len(window.workspace.library.of_kind("quote"))
    assert panel.count.text() == f"{quotes} of {total}"
    shown = panel.detail.toPlainText()  # never the card the filter hides
    assert "Mixed climate signals" not in shown
    assert shown == "" or "Quote ·" in shown
    panel.stale_only.setChecked(True)
    # A new window starts with the filters as they were left.
    again = MainWindow(Workspace.load([library_copy], repo / "templates"), window.settings)
    qtbot.addWidget(again)
    assert again.library_panel.kind.currentData() == "quote"
    assert again.library_panel.stale_only.isChecked()
    assert again.library_panel.count.text() == f"0 of {total}"


def test_new_card_id_follows_the_title_and_problems_clear_when_fixed(window, qtbot):
    editor = window.library.new_card("background", "")
    qtbot.keyClicks(editor.title_edit, "Kerry's visit: day one")
    assert editor.id_edit.text() == "kerrys-visit-day-one"
    editor.title_edit.clear()
    editor.try_accept()  # no title: a problem is shown
    assert "'title'" in editor.error.text()
    qtbot.keyClicks(editor.title_edit, "Bg emissions shares")
    assert "'title'" not in editor.error.text()  # fixed: the message goes
    qtbot.keyClicks(editor.id_edit, "x")  # typed by hand: the title no longer drives it
    qtbot.keyClicks(editor.title_edit, " more")
    assert editor.id_edit.text().endswith("x")
    editor.reject()


def test_preview_zoom_pages_and_split_are_remembered(window, qtbot, repo, library_copy):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    preview = window.preview
    with qtbot.waitSignal(preview.rendered, timeout=20000):
        window.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    assert preview.page_box.maximum() == 3
    assert preview.page_box.suffix() == " of 3"
    jumps = []
    preview.view.pageNavigator().jumped.connect(lambda link: jumps.append(link.page()))
    preview.go_to_page(2)
    assert jumps
    assert set(jumps) == {1}  # the view is asked to show page 2 (0-based 1)
    count = len(jumps)
    preview.go_to_page(9)  # no such page: nothing happens
    assert len(jumps) == count
    preview.set_zoom("1.5")
    assert preview.view.zoomFactor() == 1.5
    preview.zoom_step(1)
    assert preview.zoom.currentData() == "2.0"
    preview.set_zoom("page")
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitInView
    window.central.memo_area.setSizes([300, 900])
    before = window.central.memo_area.sizes()
    window.memo.new_memo("one-pager")  # another memo keeps the split
    assert window.central.memo_area.sizes() == before
    window.memo.stack.setClean()
    window.close()
    again = MainWindow(Workspace.load([library_copy], repo / "templates"), window.settings)
    qtbot.addWidget(again)
    assert again.preview.zoom.currentData() == "page"


def test_opening_a_memo_leaves_the_preview_visible(window, repo, qtbot):
    qtbot.waitExposed(window)
    window.memo.open_path(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml")
    composer, preview = window.central.memo_area.sizes()
    assert composer > 0
    assert preview > 0


def test_closing_a_memo_keeps_the_two_panes_and_their_split(window, repo, qtbot, library_copy):
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    qtbot.waitExposed(window)
    window.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    window.central.memo_area.setSizes([500, 600])
    chosen = window.central.memo_area.sizes()
    assert window.memo.close_memo()
    qtbot.wait(10)  # (the deletions Qt had queued)
    # The empty state stands where the composer was: the preview did not take its place.
    assert window.central.memo_area.count() == 2
    assert window.central.memo_area.widget(0).findChild(QLabel).text().startswith("No memo open")
    assert window.central.memo_area.sizes() == chosen
    window.close()
    assert S.split_sizes(window.settings.get(S.MEMO_SPLIT)) == chosen
    again = MainWindow(Workspace.load([library_copy], repo / "templates"), window.settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    assert all(size > 0 for size in again.central.memo_area.sizes())
    again.memo.close_memo()


def test_a_one_pane_split_saved_by_an_earlier_briefer_is_not_restored(
    window, repo, qtbot, library_copy
):
    """Briefer 0.1 saved the memo area with one pane after a memo was closed; restored,
    it hid the preview (width 0) at every start."""
    from briefer.core.workspace import Workspace
    from briefer.gui.main_window import MainWindow

    one_pane = QByteArray(
        bytes.fromhex("000000ff00000001000000010000026c01ffffffff01") + bytes.fromhex("0000000100")
    )
    assert S.split_sizes(one_pane) == [620]
    assert S.split_sizes(QByteArray(b"not a splitter state")) == []
    # saved after a start on that one: two panes, the preview folded to nothing
    folded = QByteArray(bytes.fromhex("000000ff000000010000000200000280000000000100000001"))
    assert S.split_sizes(folded) == [640, 0]
    window.close()
    for state in (one_pane, folded):
        window.settings.set(S.MEMO_SPLIT, state)
        again = MainWindow(Workspace.load([library_copy], repo / "templates"), window.settings)
        qtbot.addWidget(again)
        again.show()
        qtbot.waitExposed(again)
        again.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
        composer, preview = again.central.memo_area.sizes()
        assert composer > 0
        assert preview > 0
        # and the user cannot fold either side away by dragging
        assert not again.central.memo_area.childrenCollapsible()
        again.memo.close_memo()
        again.close()


def test_dragging_over_the_memo_tab_opens_it(window, qtbot):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    from briefer.gui.models import card_mime

    window.memo.new_memo("one-pager")
    window.central.tabs.setCurrentIndex(BOARD_TAB)
    bar = window.central.tabs.tabBar()
    assert bar.acceptDrops()
    assert bar.changeCurrentOnDrag()
    data: QMimeData = card_mime(["risk-mixed-signals"])
    where = QPointF(bar.tabRect(MEMO_TAB).center())
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(bar, enter)
    move = QDragMoveEvent(
        where,
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(bar, move)
    qtbot.waitUntil(lambda: window.central.tabs.currentIndex() == MEMO_TAB, timeout=3000)


def test_print_draws_every_page_of_the_memo(window, tmp_path, repo, monkeypatch):
    """Print sends the export's pages; checked by printing to a PDF file and reading it."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from briefer.gui import printing

    target = tmp_path / "printed.pdf"

    names = []
    papers = []

    def accept(self):
        printer = self.printer()
        names.append(printer.docName())
        papers.append(printer.pageLayout().pageSize().id())
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    monkeypatch.setattr(printing, "PRINT_DPI", 72)  # small images: a quick test
    window.memo.open_path(repo / "content" / "memos" / "state-of-play.brief.yaml")
    assert window.act_print.isEnabled()
    window.print_memo()
    assert len(PdfReader(str(target)).pages) == 3
    assert "Sent 3 pages to the printer." in window.statusBar().currentMessage()
    assert names == ["state-of-play"]  # as Export names the file, not "….brief"
    # The dialog starts on the memo's own paper, so the pages print at their size.
    assert papers == [QPageSize.PageSizeId.Letter]
    box = PdfReader(str(target)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_print_starts_on_an_a4_letterhead_s_paper(qapp, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from briefer.gui.printing import load_pdf, use_memo_paper

    path = tmp_path / "a4.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawString(72, 720, "A4 letterhead memo")
    page.save()
    printer = QPrinter()
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    document = load_pdf(path.read_bytes(), qapp)
    use_memo_paper(printer, document)
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4


def test_a_memo_with_errors_prints_as_a_draft_when_asked(window, answers, monkeypatch):
    import io

    from briefer.gui import printing

    sent = []
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, title: sent.append(data) or 1)
    window.memo.new_memo("one-pager")  # no subject, nothing in it: errors
    answers.confirm = False
    window.print_memo()
    assert sent == []
    assert "Print it as a draft" in answers.asked[-1]
    answers.confirm = True
    window.print_memo()
    text = PdfReader(io.BytesIO(sent[0])).pages[0].extract_text()
    assert "Draft printed" in text
    assert "as a draft" in window.statusBar().currentMessage()


def test_the_composer_fits_a_1024_by_700_window(window, qtbot, repo):
    window.resize(1024, 700)
    window.memo.open_path(repo / "content" / "memos" / "power-sector-dialogue.brief.yaml")
    qtbot.waitExposed(window)
    qtbot.wait(50)
    composer = window.composer
    viewport = composer.scroll_area.viewport().width()
    assert composer.scroll_area.horizontalScrollBar().maximum() == 0  # no sideways scroll
    for box in composer.boxes.values():
        assert box.minimumSizeHint().width() <= viewport, box.title()
        right = max(b.geometry().right() for b in box.buttons.values())
        assert right <= box.width(), box.title()  # Revert and Remove are not cut off


def test_the_card_body_reads_as_it_will_print_once_typing_pauses(window, qtbot):
    from PySide6.QtGui import QFont

    editor = window.library.new_card("background", "")
    editor.body.clear()
    qtbot.keyClicks(editor.body, "**Coal** still dominates")
    rendered = editor.rendered.document()

    def bold_words() -> list[str]:
        words = []
        block = rendered.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                    words.append(fragment.text())
                it += 1
            block = block.next()
        return words

    qtbot.waitUntil(lambda: rendered.toPlainText().strip() == "Coal still dominates")
    assert bold_words() == ["Coal"]  # the same parser as the exports: ** is bold
    editor.body.clear()
    editor.reject()


def test_every_item_in_a_section_shows_all_its_lines(window, qtbot):
    """Rows of wrapped text each take the height their text needs: with one height for
    every row (the first's), a longer item lost its last lines from view."""
    window.memo.new_memo("one-pager")
    qtbot.waitExposed(window)
    window.composer.add_text("bottom-line", "Short.")
    long = " ".join(["The power sector is the lowest-cost near-term opportunity."] * 6)
    window.composer.add_text("bottom-line", long)
    box = window.composer.boxes["bottom-line"]
    view = box.view
    model = view.model()

    def fits() -> bool:
        first, second = (view.visualRect(model.index(row, 0)) for row in (0, 1))
        needed = view.fontMetrics().boundingRect(
            0, 0, view.viewport().width() - 8, 10_000, Qt.TextFlag.TextWordWrap, long
        )
        # and the box is tall enough to show both rows whole
        whole = second.bottom() <= view.viewport().height()
        return second.height() >= needed.height() > first.height() and whole

    qtbot.waitUntil(fits)
    window.resize(window.width() - 200, window.height())  # narrower: more lines
    qtbot.waitUntil(fits)


def test_ctrl_h_replaces_where_the_desktop_binds_no_replace_key(qapp, monkeypatch):
    """A plain X11 session binds no standard Replace key: Find and replace then had none,
    though the guide says Ctrl+H. (This platform binds one, so its list is emptied here.)"""
    from PySide6.QtGui import QKeySequence

    from briefer.gui.window_commands import key_for

    keys = QKeySequence.StandardKey
    real = QKeySequence.keyBindings
    assert key_for(keys.Replace) == real(keys.Replace)[0]  # the desktop's own first

    def plain_x11(key):
        return [] if key == keys.Replace else real(key)

    monkeypatch.setattr(QKeySequence, "keyBindings", staticmethod(plain_x11))
    assert key_for(keys.Replace) == QKeySequence("Ctrl+H")
    assert key_for(keys.Find) == QKeySequence("Ctrl+F")
    assert key_for("Ctrl+Shift+F") == QKeySequence("Ctrl+Shift+F")


def test_an_items_buttons_are_greyed_until_an_item_they_apply_to_is_selected(window, qtbot):
    doc = window.memo.new_memo("one-pager")
    box = window.composer.boxes["bottom-line"]

    def enabled() -> set[str]:
        return {action for action, button in box.buttons.items() if button.isEnabled()}

    assert enabled() == {"add-cards", "add-text"}  # an empty section
    drop_cards(doc, "bottom-line", ["tp-raise-ambition"], window)
    window.composer.add_text("bottom-line", "Our own sentence.")
    assert enabled() == {"add-cards", "add-text"}  # nothing selected yet
    box.view.setCurrentIndex(box.model.index(0))
    assert enabled() == {"add-cards", "add-text", "edit", "remove", "compare"}
    window.composer.override("bottom-line", 0, "Raise ambition", "All must do more.")
    assert "revert" in enabled()  # a reworded card can go back to the card's words
    box.view.setCurrentIndex(box.model.index(1))
    assert enabled() == {"add-cards", "add-text", "edit", "remove"}  # typed text: no card
    box.view.setCurrentIndex(box.model.index(0))
    window.memo.stack.undo()  # the rewording undone
    assert "revert" not in enabled()
    box.view.selectAll()
    window.composer.remove_items("bottom-line")
    assert enabled() == {"add-cards", "add-text"}
    box.set_read_only(True)
    assert enabled() == set()


def test_down_or_enter_in_the_library_search_goes_to_the_matches(window, qtbot):
    from briefer.gui.models import CardRole

    panel = window.library_panel
    activated: list[str] = []
    panel.card_activated.connect(activated.append)
    qtbot.keyClicks(panel.search, "revival of coal")
    assert panel.proxy.rowCount() == 1
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    current = panel.view.currentIndex()
    assert current.data(CardRole).id == "bg-china-coal-revival"
    assert panel.view.selectionModel().isSelected(current)
    assert "China's revival of coal" in panel.detail.toPlainText()  # shown in full
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)  # and Enter there edits it
    assert activated == ["bg-china-coal-revival"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "no card says this")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # nothing to go to: nothing happens
    assert not panel.view.currentIndex().isValid()


def test_the_template_chooser_starts_on_the_template_chosen_last(window, monkeypatch, bundled):
    from briefer.gui.dialogs import TemplateDialog

    offered: list[str] = []

    def choose_template(parent, workspace, note="", current=""):
        offered.append(current)
        return "talking-points"

    monkeypatch.setattr(dialogs, "choose_template", choose_template)
    window.new_memo()
    window.memo.close_memo()
    window.new_memo()
    assert offered == ["", "talking-points"]
    assert window.memo.doc.memo.template == "talking-points"
    dialog = TemplateDialog(bundled, current="talking-points")
    assert dialog.chosen() == "talking-points"
    assert dialog.description.text().startswith("Points a principal can say aloud")
    # The limit is said once, from the template's page_limit, not again in its words.
    for row in range(dialog.list.count()):
        dialog.list.setCurrentRow(row)
        words = dialog.description.text().partition(" Page limit: ")[0].lower()
        assert "page" not in words, words
        assert "limit" not in words, words
    dialog.list.setCurrentRow(0)
    assert dialog.description.text().endswith("needs. Page limit: 2 pages.")
    assert TemplateDialog(bundled, current="gone-template").chosen() == "action-memo"
    dialog.deleteLater()


def test_a_card_editor_opens_with_the_cursor_in_the_title(window, qtbot):
    editor = window.library.new_card("background", "")
    qtbot.waitExposed(editor)
    assert editor.focusWidget() is editor.title_edit
    qtbot.keyClicks(editor.focusWidget(), "Coal in the power sector")
    assert editor.id_edit.text() == "coal-in-the-power-sector"  # the id follows the title
    editor.reject()
    existing = window.library.edit_card("bg-china-coal-revival")
    qtbot.waitExposed(existing)
    assert existing.focusWidget() is existing.title_edit
    existing.reject()


def test_the_library_size_stays_in_the_status_bar(window):
    assert window.counts.text() == "53 cards, 5 templates"
    window.statusBar().showMessage("A menu's tip")  # as hovering a menu command does
    window.statusBar().clearMessage()
    assert window.counts.text() == "53 cards, 5 templates"
    assert window.counts.isVisible()


def test_a_recent_file_that_is_gone_is_said_and_dropped(window, tmp_path):
    gone = tmp_path / "moved-away.brief.yaml"
    window.settings.set(S.RECENT_FILES, [str(gone)])
    window._rebuild_recent()
    [entry] = window.recent_menu.actions()
    assert entry.text() == "moved-away.brief.yaml"
    entry.trigger()
    assert f"{gone} is no longer there" in window.statusBar().currentMessage()
    assert window.settings.get(S.RECENT_FILES) == []
    assert window.recent_menu.actions() == []
    assert not window.recent_menu.isEnabled()
