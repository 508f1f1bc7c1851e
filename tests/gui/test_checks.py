"""Preflight in the window: the Checks panel, the refused drop into external talking points,
export with errors, and the version each added card remembers."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from briefer.core.workspace import Workspace
from briefer.gui import settings as S
from tests.gui.test_window import drop_cards


@pytest.fixture
def sbu_window(qtbot, answers, library_copy, repo, tmp_path, monkeypatch):
    """A window on a library that also holds an SBU talking point."""
    from briefer.gui.main_window import MainWindow

    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "userdata"))
    (library_copy / "internal.yaml").write_text(
        "cards:\n  - id: tp-internal-line\n    kind: talking-point\n"
        "    title: An internal line\n    body: Not for the counterpart.\n"
        "    marking: SBU\n    sources: [{title: A paper}]\n    reviewed: '2026-11-30'\n",
        encoding="utf-8",
    )
    win = MainWindow(Workspace.load([library_copy], repo / "templates"), S.Settings())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.preview.wait_idle()
    win.memo.stack.setClean()


def test_an_sbu_card_is_refused_in_external_talking_points(sbu_window, answers, qtbot):
    window = sbu_window
    doc = window.memo.new_memo("talking-points")
    with qtbot.waitSignal(doc.kind_refused) as signal:
        assert not drop_cards(doc, "key-points", ["tp-internal-line"], window)
    assert doc.models["key-points"].items == []
    assert "is marked SBU; Talking points is for an external audience" in signal.args[1]
    assert "may carry only U material" in signal.args[1]
    qtbot.waitUntil(lambda: bool(answers.told))
    assert "Not added to Key Points" in answers.told[0]
    # An internal memo takes it.
    memo = window.memo.new_memo("information-memo")
    assert drop_cards(memo, "summary", ["tp-internal-line"], window)
    assert [i.card for i in memo.models["summary"].items] == ["tp-internal-line"]


def test_checks_panel_lists_findings_and_goes_to_them(window, qtbot):
    doc = window.memo.new_memo("action-memo")
    panel = window.checks
    texts = [f.code for f in panel.findings]
    assert "required-section-empty" in texts
    assert "header-field-empty" in texts
    assert panel.summary.text().startswith("Checks: ")
    drop_cards(doc, "recommendation", ["strategy-parallel-initiatives"], window)
    window.composer.add_text("recommendation", "We should act.")
    codes = [(f.code, f.index) for f in panel.findings if f.section == "recommendation"]
    assert ("not-that-you", 1) in codes
    # Activating the finding selects its item in the composer.
    row = next(i for i, f in enumerate(panel.findings) if f.code == "not-that-you")
    panel.list.itemActivated.emit(panel.list.item(row))
    box = window.composer.boxes["recommendation"]
    assert box.view.currentIndex().row() == 1
    # A header finding focuses its field.
    row = next(i for i, f in enumerate(panel.findings) if f.field == "subject")
    panel.list.itemActivated.emit(panel.list.item(row))
    qtbot.waitUntil(lambda: window.composer.fields["subject"].hasFocus())


def test_export_with_errors_asks_first(window, answers, tmp_path, repo):
    window.memo.new_memo("one-pager")  # no subject, nothing in it: errors
    answers.save_file = str(tmp_path / "draft.pdf")
    answers.confirm = False
    window.export(".pdf")
    assert not (tmp_path / "draft.pdf").exists()
    assert "The checks found" in answers.asked[-1]
    assert "header field SUBJECT is empty" in answers.asked[-1]
    answers.confirm = True
    window.export(".pdf")
    assert (tmp_path / "draft.pdf").exists()
    # What goes out with errors says so on every page, as a book's draft does.
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "draft.pdf")).pages]
    assert all("Draft printed" in page and "DRAFT" in page for page in pages)
    # The message after it says a draft went out, and does not list again as warnings
    # the errors the drafter was just shown ("required section … is empty" among them).
    told = answers.told[-1]
    assert told.startswith(f"Exported a draft to {tmp_path / 'draft.pdf'} (1 page).")
    assert "DRAFT is across every page" in told
    assert "is empty" not in told


def test_a_finished_memo_exports_without_asking(window, answers, tmp_path, repo, library_copy):
    memo = tmp_path / "ready.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "meeting-talking-points.brief.yaml", memo)
    window.memo.open_path(memo)
    assert not [f for f in window.findings() if f.is_error]
    answers.save_file = str(tmp_path / "ready.pdf")
    window.export(".pdf")
    assert (tmp_path / "ready.pdf").exists()
    assert not any("The checks found" in a for a in answers.asked)
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "ready.pdf")).pages]
    assert not any("Draft printed" in page or "DRAFT" in page for page in pages)


def test_an_added_card_remembers_its_version(window):
    doc = window.memo.new_memo("information-memo")
    drop_cards(doc, "background", ["bg-emissions-shares"], window)
    item = doc.models["background"].items[0]
    assert item.version == window.workspace.library.get("bg-emissions-shares").version()
    assert len(item.version) == 10


def _change_card(window, card_id: str, body: str) -> None:
    editor = window.library.edit_card(card_id)
    editor.body.setPlainText(body)
    editor.try_accept()
    assert window.workspace.library.get(card_id).body.rstrip("\n") == body.rstrip("\n")


def _answer_compare(monkeypatch, choice: str | None, seen: list[str]) -> None:
    from PySide6.QtWidgets import QDialog

    from briefer.gui.card_diff import CardChangeDialog

    def exec_(self):
        seen.append(self.view.toHtml())
        if choice is None:
            return QDialog.DialogCode.Rejected
        self.choice = choice
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CardChangeDialog, "exec", exec_)


def test_a_changed_card_shows_a_word_diff_and_either_version_can_be_kept(window, monkeypatch):
    from briefer.gui.card_diff import KEEP_MEMO, USE_LIBRARY

    doc = window.memo.new_memo("information-memo")
    drop_cards(doc, "background", ["bg-dialogue-history"], window)
    model = doc.models["background"]
    original = window.workspace.library.get("bg-dialogue-history")
    old_body = original.body
    _change_card(window, "bg-dialogue-history", old_body.replace("April 2013", "spring 2013"))
    doc.refresh()
    assert "[card changed]" in model.index(0).data()
    assert "card-changed-since-added" in [f.code for f in window.checks.findings]

    seen: list[str] = []
    _answer_compare(monkeypatch, KEEP_MEMO, seen)
    window.composer.compare_item("background", 0)
    assert "line-through" in seen[0]
    assert "April" in seen[0]
    assert "spring" in seen[0]
    item = model.items[0]
    assert item.body == old_body  # the memo keeps the words it was built from
    assert item.version == window.workspace.library.get("bg-dialogue-history").version()
    assert "card-changed-since-added" not in [f.code for f in window.checks.findings]
    window.memo.stack.undo()
    assert model.items[0].body is None
    assert model.items[0].version == original.version()

    _answer_compare(monkeypatch, USE_LIBRARY, seen)
    window.composer.compare_item("background", 0)
    assert model.items[0].body is None
    assert model.items[0].version == window.workspace.library.get("bg-dialogue-history").version()
    assert "[card changed]" not in model.index(0).data()
    window.memo.stack.undo()
    assert "[card changed]" in model.index(0).data()


def test_a_reworded_item_compares_with_its_card(window, monkeypatch):
    from briefer.gui.card_diff import USE_LIBRARY

    doc = window.memo.new_memo("information-memo")
    drop_cards(doc, "background", ["bg-dialogue-history"], window)
    card = window.workspace.library.get("bg-dialogue-history")
    window.composer.override("background", 0, card.title, "A much shorter history.")
    assert doc.models["background"].items[0].body == "A much shorter history."
    _change_card(window, "bg-dialogue-history", card.body + "\nOne more sentence.")
    doc.refresh()
    assert "reworded-card-changed" in [f.code for f in window.checks.findings]
    assert doc.models["background"].items[0].body == "A much shorter history."
    seen: list[str] = []
    _answer_compare(monkeypatch, USE_LIBRARY, seen)
    window.composer.compare_item("background", 0)
    assert "much shorter history." in seen[0]  # struck through: only in the memo
    assert "One more sentence." in seen[0]
    assert not doc.models["background"].items[0].is_override
    window.memo.stack.undo()
    assert doc.models["background"].items[0].body == "A much shorter history."


def test_stale_cards_are_marked_filtered_and_dated(qtbot, answers, library_copy, repo, tmp_path):
    from briefer.gui.main_window import MainWindow
    from briefer.gui.models import CardRole

    (library_copy / "old.yaml").write_text(
        "cards:\n  - id: bg-old-fact\n    kind: background\n    title: An old fact\n"
        "    body: Still true?\n    marking: U\n    sources: [{title: A paper}]\n"
        "    as_of: '2019'\n    reviewed: '2020-01-02'\n    review_by: '2021-01-01'\n",
        encoding="utf-8",
    )
    win = MainWindow(Workspace.load([library_copy], repo / "templates"), S.Settings())
    qtbot.addWidget(win)
    panel = win.library_panel
    panel.search.setText("An old fact")
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, 0).data() == "(U) An old fact · Background  (review overdue)"
    panel.search.clear()
    panel.stale_only.setChecked(True)
    shown = {panel.proxy.index(r, 0).data(CardRole).id for r in range(panel.proxy.rowCount())}
    assert shown == {"bg-old-fact"}  # the bundled cards were all reviewed recently
    panel.select_card("bg-old-fact")
    text = panel.detail.toPlainText()
    assert "As of 2019 · reviewed 2020-01-02 · review by 2021-01-01" in text
    assert "Review overdue: check its facts still hold" in text
    editor = win.library.edit_card("bg-old-fact")
    assert (editor.as_of.text(), editor.review_by.text()) == ("2019", "2021-01-01")
    editor.review_by.setText("2999-01-01")
    editor.reviewed.setText("2026-11-30")
    editor.try_accept()
    assert "review_by: '2999-01-01'" in (library_copy / "old.yaml").read_text(encoding="utf-8")
    assert panel.proxy.rowCount() == 0  # no longer stale: the filter lets it go


def test_used_in_lists_memos_in_the_recent_files_and_the_memos_folder(
    window, repo, tmp_path, library_copy
):
    folder = tmp_path / "team-memos"
    (folder / "2026").mkdir(parents=True)
    shutil.copy(
        repo / "content" / "memos" / "power-sector-dialogue.brief.yaml",
        folder / "2026" / "power.brief.yaml",
    )
    (folder / "broken.brief.yaml").write_text("template: [\n", encoding="utf-8")
    recent = tmp_path / "recent.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "state-of-play.brief.yaml", recent)
    window.settings.add_recent(recent)
    window.settings.set(S.MEMOS_FOLDER, str(folder))
    panel = window.library_panel
    panel.select_card("bg-emissions-shares")  # in both memos
    used = panel.detail.toPlainText()
    assert "Used in: recent.brief.yaml, power.brief.yaml" in used
    panel.select_card("initiative-power-sector")  # only in the action memo
    assert "Used in: power.brief.yaml" in panel.detail.toPlainText()


def test_checks_panel_folds_when_there_is_nothing_to_fix(window, qtbot, repo, tmp_path):
    memo = tmp_path / "ready.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "meeting-talking-points.brief.yaml", memo)
    panel = window.checks
    window.memo.open_path(memo)
    window.preview.wait_idle()
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Checks: ready to go"))
    qtbot.waitUntil(lambda: panel.height() <= panel.summary.height() + 8)
    assert panel.list.isHidden()
    folded_preview = window.preview.height()
    # A finding opens the list again, with room to read it; the pages give the room.
    subject = window.composer.fields["subject"]
    subject.selectAll()
    qtbot.keyClick(subject, Qt.Key.Key_Delete)  # typed, as a user clears a field
    qtbot.waitUntil(lambda: any("SUBJECT is empty" in f.message for f in panel.findings))
    assert panel.list.isVisible()
    qtbot.waitUntil(lambda: panel.list.height() >= 3 * panel.list.sizeHintForRow(0))
    assert window.preview.height() < folded_preview
    qtbot.keyClicks(subject, "Climate cooperation")
    qtbot.waitUntil(lambda: panel.list.isHidden())
    qtbot.waitUntil(lambda: window.preview.height() == folded_preview)
