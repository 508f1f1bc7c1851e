"""Briefing books in the window: build one from memo files, reorder, rename, undo, save,
reopen, export, and get unsaved work back; a book open elsewhere opens read-only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from briefer.core.books import read_book
from briefer.core.recovery import RecoveryStore
from briefer.core.workspace import Workspace
from briefer.gui import settings as S
from tests.gui.test_files_on_disk import replace_atomically


@pytest.fixture
def memos(tmp_path: Path, repo: Path) -> list[Path]:
    folder = tmp_path / "trip"
    folder.mkdir()
    names = ["scene-setter", "background-coal-and-power", "background-business"]
    paths = []
    for name in names:
        path = folder / f"{name}.brief.yaml"
        shutil.copy(repo / "content" / "books" / f"{name}.brief.yaml", path)
        paths.append(path)
    talking = folder / "talking-points.brief.yaml"
    shutil.copy(repo / "content" / "memos" / "meeting-talking-points.brief.yaml", talking)
    return [paths[0], talking, paths[1], paths[2]]


def new_window(qtbot, library: Path, repo: Path):
    from briefer.gui.main_window import MainWindow

    win = MainWindow(Workspace.load([library], repo / "templates"), S.Settings())
    qtbot.addWidget(win)
    win.show()
    return win


def build(window, answers, memos) -> None:
    window.act_new_book.trigger()
    answers.open_files = [str(p) for p in memos]
    window.act_book_add.trigger()


def test_a_book_is_built_reordered_renamed_and_undone(window, answers, memos, qtbot):
    build(window, answers, memos)
    view = window.books.view
    assert view is not None
    assert window.book_dock.isVisible()
    doc = window.book.doc
    assert [Path(t.memo).name for t in doc.book.tabs] == [p.name for p in memos]
    assert doc.tabs.rowCount() == 4
    # The tab shows its memo's subject until it is given a title of its own.
    assert "Climate cooperation" in doc.tabs.index(1).data()
    with qtbot.waitSignal(view.preview.rendered, timeout=30000) as rendered:
        view.preview.render_now()
    assert rendered.args[0] >= 1 + 1 + 4 * 2  # cover, contents, a divider and a page per tab

    view.tabs.setCurrentIndex(doc.tabs.index(0))
    view.move_selected(1)  # Alt+Down
    assert Path(doc.book.tabs[1].memo).name == "scene-setter.brief.yaml"
    assert view.selected_row() == 1
    doc.tabs.setData(doc.tabs.index(1), "Scene-setter")  # typed in place (F2)
    assert doc.book.tabs[1].title == "Scene-setter"
    assert doc.tabs.index(1).data().startswith("Tab 2: Scene-setter")
    doc.move_tab(3, 0)  # a drop before the first tab
    assert Path(doc.book.tabs[0].memo).name == "background-business.brief.yaml"
    view.fields["title"].setText("Visit to Beijing")
    view.fields["title"].textEdited.emit("Visit to Beijing")
    view.draft.setChecked(True)
    assert doc.book.title == "Visit to Beijing"
    assert doc.book.draft is True
    view.tabs.setCurrentIndex(doc.tabs.index(3))
    view.remove_selected()
    assert len(doc.book.tabs) == 3
    assert window.book.dirty
    done = [(Path(t.memo).name, t.title) for t in doc.book.tabs]
    assert done[2] == ("scene-setter.brief.yaml", "Scene-setter")
    while doc.stack.canUndo():
        doc.stack.undo()
    assert [Path(t.memo).name for t in doc.book.tabs] == []  # back to the empty book
    assert doc.book.title == "Briefing book"
    assert view.fields["title"].text() == "Briefing book"  # the widgets show the model
    assert view.draft.isChecked() is False
    while doc.stack.canRedo():
        doc.stack.redo()
    assert [(Path(t.memo).name, t.title) for t in doc.book.tabs] == done


def test_save_reopen_and_export_from_the_window(window, answers, memos, tmp_path, qtbot):
    build(window, answers, memos)
    doc = window.book.doc
    doc.set_field("title", "Visit to Beijing")
    answers.save_file = str(tmp_path / "trip" / "visit")  # the ending is added
    assert window.book.save()
    path = tmp_path / "trip" / "visit.book.yaml"
    book, problems = read_book(path)
    assert problems == []
    assert book is not None
    assert [t.memo for t in book.tabs] == [p.name for p in memos]  # relative to the book
    assert not window.book.dirty
    assert "visit.book.yaml" in window.book_dock.windowTitle()

    answers.save_file = str(tmp_path / "out" / "visit.pdf")
    (tmp_path / "out").mkdir()
    window.act_book_pdf.trigger()
    pages = PdfReader(str(tmp_path / "out" / "visit.pdf")).pages
    assert "Visit to Beijing" in pages[0].extract_text()
    assert "Tab 4" in pages[1].extract_text()
    assert answers.told[-1].startswith(f"Exported to {tmp_path / 'out' / 'visit.pdf'} (")
    window.books.view.draft.setChecked(True)
    window.act_book_pdf.trigger()  # a book marked draft says so once it is out
    assert answers.told[-1].startswith(f"Exported a draft to {tmp_path / 'out' / 'visit.pdf'}")
    assert "DRAFT" in PdfReader(str(tmp_path / "out" / "visit.pdf")).pages[0].extract_text()
    doc.stack.undo()

    # Saved elsewhere, the tabs still name the same memo files.
    answers.save_file = str(tmp_path / "elsewhere" / "copy.book.yaml")
    (tmp_path / "elsewhere").mkdir()
    assert window.book.save_as()
    copy, _ = read_book(tmp_path / "elsewhere" / "copy.book.yaml")
    assert copy is not None
    assert [t.path(copy.path).resolve() for t in copy.tabs] == [p.resolve() for p in memos]

    window.book.close_book()
    assert window.book.doc is None
    assert window.books.view is None
    window.open_any(path)  # File › Open with a book file opens the book
    assert window.book.doc is not None
    assert window.book.doc.book.title == "Visit to Beijing"


def test_a_broken_tab_is_said_in_the_preview_and_the_export_refuses(
    window, answers, memos, tmp_path, qtbot
):
    build(window, answers, memos[:1])
    view = window.books.view
    qtbot.waitExposed(window)
    with qtbot.waitSignal(view.preview.rendered, timeout=30000):
        view.preview.render_now()
    width = window.width()
    # A long name with no space to wrap at, and markup in it (shown as written).
    missing = "<i>nowhere</i>-" + "x" * 200 + ".brief.yaml"
    answers.open_files = [str(tmp_path / "trip" / missing)]
    window.act_book_add.trigger()
    with qtbot.waitSignal(view.preview.signals.finished, timeout=30000):
        view.preview.render_now()
    problem = view.preview.problem
    assert problem.isVisible()
    assert missing in problem.text()
    assert "does not exist" in problem.text()
    assert problem.textFormat() == Qt.TextFormat.PlainText
    assert view.preview.status.text().startswith("⚠ Out of date")  # the last pages stay
    qtbot.wait(50)
    # The message wraps or is cut: it does not set how wide the pages' side must be (it
    # once made the window 2,700 pixels wide).
    assert problem.minimumSizeHint().width() > 1000
    assert view.preview.minimumSizeHint().width() < 300
    assert window.width() < width + 100
    # Put right, the pages come back and the message goes.
    doc = window.book.doc
    view.tabs.setCurrentIndex(doc.tabs.index(1))
    view.remove_selected()
    with qtbot.waitSignal(view.preview.rendered, timeout=30000):
        view.preview.render_now()
    assert not problem.isVisible()
    assert view.preview.status.text().endswith("pages")
    view.tabs.setCurrentIndex(doc.tabs.index(0))
    answers.open_files = [str(tmp_path / "trip" / missing)]
    window.act_book_add.trigger()
    answers.save_file = str(tmp_path / "x.pdf")
    window.act_book_pdf.trigger()
    assert not (tmp_path / "x.pdf").exists()
    assert any("could not be exported" in t and "nowhere" in t for t in answers.told)


def test_unsaved_book_work_comes_back_after_a_crash(
    window, answers, memos, library_copy, repo, tmp_path, qtbot
):
    build(window, answers, memos)
    window.book.doc.set_field("subtitle", "Climate talks")
    window.unsaved.autosave_now()
    entries = RecoveryStore(S.recovery_dir()).entries()
    assert [e.kind for e in entries] == ["book"]
    # The window goes away without saving (as a crash would); its lock and entry stay.
    entry = entries[0]
    store = RecoveryStore(S.recovery_dir())
    again = new_window(qtbot, library_copy, repo)
    monkey_orphan = [entry]
    again.recovery.orphaned = lambda: monkey_orphan  # type: ignore[method-assign]
    answers.recover = "restore"
    again.unsaved.offer()
    assert again.book.doc is not None
    assert again.book.doc.book.subtitle == "Climate talks"
    assert len(again.book.doc.book.tabs) == 4
    assert again.book.dirty  # not saved yet
    assert store.entries() == [] or all(e.key != entry.key for e in store.entries())
    again.book.doc.stack.setClean()
    window.book.doc.stack.setClean()


def test_a_book_open_in_another_briefer_opens_read_only(window, answers, memos, tmp_path, qtbot):
    from tests.gui.test_files_on_disk import hold_lock_in_other_process

    build(window, answers, memos)
    answers.save_file = str(tmp_path / "trip" / "shared.book.yaml")
    assert window.book.save()
    window.book.close_book()
    shared = tmp_path / "trip" / "shared.book.yaml"
    other = hold_lock_in_other_process(shared)
    try:
        answers.choose["Book already open"] = "Open read-only"
        window.book.open_path(shared)
        assert any("Book already open" in a and str(other.pid) in a for a in answers.asked)
        doc = window.book.doc
        assert doc is not None
        assert doc.read_only
        doc.set_field("title", "Changed")
        assert doc.book.title != "Changed"
        assert not window.books.view.buttons["add"].isEnabled()
        assert "read-only" in window.book_dock.windowTitle()
    finally:
        other.kill()
        other.wait()


def test_a_book_changed_on_disk_is_offered_again_and_never_overwritten_unasked(
    window, answers, memos, tmp_path, qtbot
):
    """As for a memo: a colleague's change to the open book's file is offered; keeping
    mine means Save asks before writing over theirs."""
    build(window, answers, memos)
    window.book.doc.set_field("title", "Visit to Beijing")
    answers.save_file = str(tmp_path / "trip" / "visit.book.yaml")
    assert window.book.save()
    path = tmp_path / "trip" / "visit.book.yaml"
    answers.choose["Book changed on disk"] = "Reload"
    theirs = path.read_text(encoding="utf-8").replace("Visit to Beijing", "Their title")
    replace_atomically(path, theirs)
    qtbot.waitUntil(lambda: window.book.doc.book.title == "Their title", timeout=5000)
    assert not window.book.dirty
    assert any("visit.book.yaml was changed on disk" in a for a in answers.asked)
    # Keep mine: nothing is reloaded, and Save asks before overwriting theirs.
    del answers.choose["Book changed on disk"]  # the safe answers: keep mine, cancel
    window.book.doc.set_field("title", "My title")
    again = theirs.replace("Their title", "Their second title")
    replace_atomically(path, again)
    qtbot.waitUntil(lambda: any("You have unsaved changes" in a for a in answers.asked))
    assert window.book.doc.book.title == "My title"
    assert not window.book.save()  # "Overwrite" was not chosen: theirs stays
    assert "was changed on disk after you opened it" in answers.asked[-1]
    assert path.read_text(encoding="utf-8") == again
    # Their file broken: said, and my version stays open.
    answers.choose["Book changed on disk"] = "Reload"
    replace_atomically(path, "title: [\n")
    qtbot.waitUntil(lambda: any("Could not reload" in t for t in answers.told), timeout=5000)
    assert window.book.doc.book.title == "My title"


def test_with_a_book_open_the_window_still_fits_a_laptop_screen(window, answers, memos, qtbot):
    """1,366 pixels wide: the library, the board and the book (its form and its pages)."""
    build(window, answers, memos)
    qtbot.waitExposed(window)
    assert window.book_dock.isVisible()
    assert window.minimumSizeHint().width() <= 1366
    assert window.books.view.preview.minimumSizeHint().width() <= 260


def test_a_book_with_no_room_on_the_screen_makes_room_and_says_so(window, answers, memos, qtbot):
    """The board beside the memo, the library and a book need more width than this screen
    (800 pixels here) has: the library goes, then the board goes back into its tab."""
    qtbot.waitExposed(window)
    window.dock.show()
    window.set_side_by_side(True)
    told = []
    window.statusBar().messageChanged.connect(lambda text: told.append(text))
    build(window, answers, memos)
    qtbot.waitUntil(lambda: not window.central.side_by_side)
    assert not window.dock.isVisible()
    assert window.book_dock.isVisible()
    assert any("Library hidden to make room" in t for t in told)
    assert any("Board and memo back in tabs" in t for t in told)
    room = window.screen().availableGeometry().width()
    qtbot.waitUntil(lambda: window.width() <= max(room, window.minimumSizeHint().width()))


def test_an_arriving_pane_widens_the_window_into_the_screen_s_room(qtbot):
    """The book takes its width from the screen (800 pixels here), not from the memo's
    pages: a narrow window grows by the book's width, as far as the screen has room, and
    moves left rather than past the screen's edge. (The book pane calls this as its dock
    arrives; this screen is too narrow for the whole window to show it.)"""
    from PySide6.QtWidgets import QMainWindow

    from briefer.gui.screen_fit import widen

    win = QMainWindow()
    qtbot.addWidget(win)
    win.setMinimumWidth(10)
    win.resize(300, 200)
    win.show()
    qtbot.waitExposed(win)
    room = win.screen().availableGeometry()
    frame = win.frameGeometry().width() - win.width()
    widen(win, 200)
    assert win.width() == 500
    win.move(room.right() - 520, win.y())
    widen(win, 1000)  # more than there is: all the room, and moved back onto the screen
    qtbot.waitUntil(lambda: win.width() == room.width() - frame)
    assert room.left() <= win.frameGeometry().left()
    assert win.frameGeometry().right() <= room.right()
    win.resize(300, 200)
    win.showMaximized()
    qtbot.waitUntil(win.isMaximized)
    width = win.width()
    widen(win, 200)  # a maximized window stays as it is
    assert win.width() == width


def test_a_fit_check_queued_as_the_window_goes_does_nothing(qtbot, library_copy, repo):
    """The check that the window fits the screen runs a moment after a book's pages come
    in; a window gone by then (closed and deleted) once raised "MainWindow already
    deleted" from the event loop."""
    import shiboken6

    from briefer.gui.main_window import MainWindow

    win = MainWindow(Workspace.load([library_copy], repo / "templates"), S.Settings())
    win.show()
    win.books.shown.emit()  # as when a book's pages arrive
    shiboken6.delete(win)
    qtbot.wait(50)  # the queued check's moment: an exception here fails the test


def test_a_long_book_title_shows_its_start(window, answers, memos, qtbot):
    build(window, answers, memos)
    title = "Special Envoy's visit to Beijing: " + "the talks, the statement and the work " * 4
    window.book.doc.set_field("title", title)  # as an edit made elsewhere, then undone
    field = window.books.view.fields["title"]
    assert field.text() == title
    assert field.cursorPosition() == 0  # the box shows "Special Envoy's…", not its end
    window.book.doc.stack.undo()
    window.book.doc.stack.redo()
    assert field.cursorPosition() == 0


def test_a_tabs_buttons_are_greyed_until_a_tab_is_selected(window, answers, memos, qtbot):
    build(window, answers, memos)
    view = window.books.view

    def enabled() -> set[str]:
        return {key for key, button in view.buttons.items() if button.isEnabled()}

    view.tabs.setCurrentIndex(view.tabs.model().index(-1, 0))
    assert enabled() == {"add", "add-open"}
    view.tabs.setCurrentIndex(view.tabs.model().index(0, 0))
    assert enabled() == {"add", "add-open", "rename", "down", "remove", "open"}  # not up
    view.move_selected(1)  # the tab goes down, and stays selected
    assert view.selected_row() == 1
    assert {"up", "down"} <= enabled()
    view.tabs.setCurrentIndex(view.tabs.model().index(len(memos) - 1, 0))
    assert "down" not in enabled()
    assert "up" in enabled()
