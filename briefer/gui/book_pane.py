"""The briefing book beside the memo: its dock, its view and the Book menu's commands.
The main window makes one and wires it; what happens to the book's file is decided in the
book controller below it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QWidget,
)

from briefer.core.problems import counted
from briefer.core.recovery import RecoveryStore
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.book_controller import BOOK_FILTER, MEMO_FILES, BookController
from briefer.gui.memo_controller import MemoController
from briefer.gui.screen_fit import widen

if TYPE_CHECKING:  # loaded with the first book, not with the window
    from briefer.gui.book_document import BookDocument
    from briefer.gui.book_view import BookView

ActionMaker = Callable[..., QAction]


class BookPane(QObject):
    """One book at a time, in a dock. ``open_requested`` asks the window to open a tab's
    memo; ``message`` goes to the status bar."""

    open_requested = Signal(object)  # Path
    message = Signal(str)
    # A book came into the dock, or its pages came in: the window checks it still fits.
    shown = Signal()

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        settings: S.Settings,
        recovery: RecoveryStore,
        undo_group: QUndoGroup,
        memo: MemoController,
        action: ActionMaker,
    ) -> None:
        super().__init__(window)
        self.window, self.workspace, self.settings = window, workspace, settings
        self.undo_group, self.memo = undo_group, memo
        self.controller = BookController(workspace, settings, recovery, window)
        self.view: BookView | None = None
        self.dock = QDockWidget("Briefing book", window)
        self.dock.setObjectName("book-dock")
        self.dock.setWidget(self._placeholder())
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()

        self.act_new = action(
            "&New book", self.new_book, None, "Start a briefing book: a cover, contents, tabs"
        )
        self.act_open = action("&Open book…", self.open_book, None, "Open a book file")
        book = self.controller
        self.act_save = action("&Save book", book.save, "Ctrl+Alt+S", "Save the briefing book")
        self.act_save_as = action(
            "Save book &as…", book.save_as, None, "Save the book under a new name"
        )
        self.act_close = action(
            "&Close book", book.close_book, None, "Close the book; its memos stay"
        )
        self.act_add = action("Add &memos to book…", self.add_memos, None, "Add memo files as tabs")
        self.act_add_open = action(
            "Add the open memo to book",
            self.add_open_memo,
            None,
            "Add the memo in the composer as a tab (it must be saved)",
        )
        self.act_pdf = action(
            "Export book to P&DF…",
            lambda: self.export(".pdf"),
            None,
            "Export the whole book to one PDF",
        )
        self.act_docx = action(
            "Export book to &Word…",
            lambda: self.export(".docx"),
            None,
            "Export the whole book to one Word file",
        )
        self.book_actions = (
            self.act_save,
            self.act_save_as,
            self.act_close,
            self.act_add,
            self.act_add_open,
            self.act_pdf,
            self.act_docx,
        )
        for item in self.book_actions:
            item.setEnabled(False)
        book.document_changed.connect(self.show)
        book.state_changed.connect(self.update_title)
        book.message.connect(self.message)
        memo.state_changed.connect(self._memo_state)

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions([self.act_new, self.act_open])
        menu.addSeparator()
        menu.addActions([self.act_save, self.act_save_as, self.act_close])
        menu.addSeparator()
        menu.addActions([self.act_add, self.act_add_open])
        menu.addSeparator()
        menu.addActions([self.act_pdf, self.act_docx])

    def _placeholder(self) -> QWidget:
        return dialogs.empty_state(
            "No briefing book open. A book joins memos into one PDF or Word file with a "
            "cover, a contents page and tabs.",
            (("New book", self.new_book), ("Open book…", self.open_book)),
        )

    # -- commands ---------------------------------------------------------------------
    def new_book(self) -> None:
        self.controller.new_book()

    def open_book(self) -> None:
        folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        path = dialogs.open_file(self.window, "Open book", folder, BOOK_FILTER)
        if path:
            self.controller.open_path(Path(path))

    def add_memos(self) -> None:
        if self.controller.doc is None:
            return
        folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        paths = dialogs.open_files(self.window, "Add memos to the book", folder, MEMO_FILES)
        added = self.controller.add_memos([Path(p) for p in paths], self._row())
        if added:
            self.message.emit(f"Added {counted(added, 'tab')} to the book.")

    def add_open_memo(self) -> None:
        session = self.memo.session
        if self.controller.doc is None:
            return
        if session is None or session.path is None:
            self.message.emit("Save the memo first: a book names its memos by their files.")
            return
        if self.memo.dirty and not self.memo.save():
            return
        self.controller.add_memos([session.path], self._row())

    def _row(self) -> int | None:
        """Where added tabs go: after the selected one, or at the end."""
        if self.view is None:
            return None
        row = self.view.selected_row()
        return row + 1 if row >= 0 else None

    def export(self, suffix: str) -> None:
        from briefer.gui.exporting import book_export_dialog

        doc = self.controller.doc
        if doc is None:
            self.message.emit("Open or start a book first.")
            return
        result = book_export_dialog(self.window, doc.book, self.workspace, self.settings, suffix)
        if result is not None:
            self.message.emit(f"Exported {'a draft ' if doc.book.draft else ''}to {result.path}")

    # -- what the controller reports --------------------------------------------------
    def show(self, doc: BookDocument | None) -> None:
        """A book was started, opened or closed: the dock shows it."""
        old = self.view
        if old is not None:
            self.undo_group.removeStack(old.doc.stack)
        for item in self.book_actions:
            item.setEnabled(doc is not None)
        if doc is None:
            self.view = None
            self.dock.setWidget(self._placeholder())
        else:
            from briefer.gui.book_view import BookView

            view = self.view = BookView(doc, self.workspace)
            view.add_files_requested.connect(self.add_memos)
            view.add_open_memo_requested.connect(self.add_open_memo)
            view.open_memo_requested.connect(lambda path: self.open_requested.emit(Path(path)))
            view.preview.zoom_changed.connect(lambda v: self.settings.set(S.PREVIEW_ZOOM, v))
            view.preview.rendered.connect(lambda _pages: self.shown.emit())
            self.undo_group.addStack(doc.stack)
            self.undo_group.setActiveStack(doc.stack)
            self.dock.setWidget(view)
            arriving = not self.dock.isVisible()
            self.dock.show()
            self.dock.raise_()
            if not self.dock.isFloating():
                width = self.window.width() // 2
                if arriving:
                    widen(self.window, width)
                self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
            self.shown.emit()
        if old is not None:
            old.deleteLater()
        self.update_title()

    def _memo_state(self) -> None:
        """A memo saved while a book is open: the book's tabs and pages show it."""
        if self.view is not None and not self.memo.dirty:
            self.view.doc.tabs.refresh()
            self.view.preview.schedule()

    def update_title(self) -> None:
        name = self.controller.title
        mark = " *" if self.controller.dirty else ""
        self.dock.setWindowTitle(f"Briefing book — {name}{mark}" if name else "Briefing book")

    def active_stack_for(self, widget: QWidget) -> bool:
        """Whether ``widget`` (which just took the focus) is in the book: then Edit › Undo
        acts on the book's history."""
        doc = self.controller.doc
        if doc is None or not self.dock.isAncestorOf(widget):
            return False
        self.undo_group.setActiveStack(doc.stack)
        return True
