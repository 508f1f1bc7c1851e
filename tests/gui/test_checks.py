"""Preflight in the window: the Checks panel, the refused drop into external talking points,
export with errors, and the version each added card remembers."""

from __future__ import annotations

import shutil

import pytest

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


def test_a_finished_memo_exports_without_asking(window, answers, tmp_path, repo, library_copy):
    memo = tmp_path / "ready.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "meeting-talking-points.brief.yaml", memo)
    window.memo.open_path(memo)
    assert not [f for f in window.findings() if f.is_error]
    answers.save_file = str(tmp_path / "ready.pdf")
    window.export(".pdf")
    assert (tmp_path / "ready.pdf").exists()
    assert not any("The checks found" in a for a in answers.asked)


def test_an_added_card_remembers_its_version(window):
    doc = window.memo.new_memo("information-memo")
    drop_cards(doc, "background", ["bg-emissions-shares"], window)
    item = doc.models["background"].items[0]
    assert item.version == window.workspace.library.get("bg-emissions-shares").version()
    assert len(item.version) == 10
