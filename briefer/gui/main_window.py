"""The main window: a shell of widgets and actions, wired to the memo and library controllers
in one block. What happens to files is decided in the controllers and the core below them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QWidget,
)

from briefer.core import paths, storage
from briefer.core.cards import BOOK_SUFFIX
from briefer.core.cardstore import CardStore
from briefer.core.checks import Finding, preflight
from briefer.core.problems import Problem, counted
from briefer.core.recovery import RecoveryStore
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.board import BoardView
from briefer.gui.card_editor import CardEditor
from briefer.gui.central import CentralArea
from briefer.gui.checks_panel import ChecksPanel
from briefer.gui.composer import ComposerView
from briefer.gui.document import MemoDocument
from briefer.gui.exporting import ask_draft, export_dialog, print_dialog
from briefer.gui.library_controller import LibraryController
from briefer.gui.library_loader import LoadingBar
from briefer.gui.library_panel import LibraryPanel
from briefer.gui.memo_controller import MEMO_FILTER, MemoController
from briefer.gui.models import CardRole, card_mime
from briefer.gui.preview import PreviewPane
from briefer.gui.problems_panel import ProblemsPanel
from briefer.gui.screen_fit import keep_on_screen
from briefer.gui.unsaved_work import UnsavedWork
from briefer.gui.window_commands import create_actions, create_menus, make_action

if TYPE_CHECKING:  # imported when first used: they are not needed to show the window
    from briefer.gui.book_controller import BookController
    from briefer.gui.book_pane import BookPane
    from briefer.gui.find_dialog import FindReplaceDialog


class MainWindow(QMainWindow):
    """Board and composer in tabs, the library docked beside them, one undo history per
    document: Edit › Undo acts on the memo or the library, whichever has the focus."""

    # Its commands, made by window_commands.create_actions and create_menus.
    act_new: QAction
    act_open: QAction
    act_save: QAction
    act_save_as: QAction
    act_close: QAction
    act_export_docx: QAction
    act_export_pdf: QAction
    act_print: QAction
    act_recover: QAction
    act_quit: QAction
    act_undo: QAction
    act_redo: QAction
    act_find: QAction
    act_find_cards: QAction
    act_replace: QAction
    act_new_card: QAction
    act_edit_card: QAction
    act_duplicate_card: QAction
    act_delete_card: QAction
    act_board: QAction
    act_memo: QAction
    act_beside: QAction
    act_preferences: QAction
    act_about: QAction
    act_guide: QAction
    act_new_book: QAction
    act_book_add: QAction
    act_book_pdf: QAction
    item_actions: list[QAction]  # the Memo menu: on the section worked in last
    memo_actions: tuple[QAction, ...]  # enabled while a memo is open
    recent_menu: QMenu
    tool_undo: QAction
    tool_redo: QAction
    # The briefing book beside the memo: its pane (dock, view, Book menu) and controller.
    books: BookPane
    book: BookController
    book_dock: QDockWidget

    def __init__(self, workspace: Workspace, settings: S.Settings) -> None:
        super().__init__()
        self.workspace, self.settings = workspace, settings
        self.setObjectName("briefer-main")
        storage.configure_backups(S.backups_dir(), settings.get(S.BACKUPS_KEPT))
        self.recovery = RecoveryStore(S.recovery_dir())
        store = CardStore(S.user_library_dir(settings), read_only=[paths.bundled_library()])
        autosave_ms = max(1, settings.get(S.AUTOSAVE_SECONDS)) * 1000
        self.library = LibraryController(workspace, store, self.recovery, self, autosave_ms)
        self.memo = MemoController(workspace, settings, self.recovery, self)
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.memo.stack)
        self.undo_group.addStack(self.library.stack)
        self.undo_group.setActiveStack(self.library.stack)
        self.composer: ComposerView | None = None
        self.find_dialog: FindReplaceDialog | None = None
        self._split_when_shown = False

        self.board = BoardView(self.library.model)
        self.library_panel = LibraryPanel(self.library.model, self.memo.memos_using, self.settings)
        self.preview = PreviewPane(workspace)
        self.checks = ChecksPanel()
        beside = QSplitter(Qt.Orientation.Vertical)  # the pages, and what to fix on them
        beside.addWidget(self.preview)
        beside.addWidget(self.checks)
        beside.setStretchFactor(0, 3)
        beside.setStretchFactor(1, 1)
        self.central = CentralArea(self.board, beside, self._placeholder(), settings)
        self.setCentralWidget(self.central)
        self.counts = QLabel()
        self.counts.setAccessibleName("Library size")
        self.statusBar().addPermanentWidget(self.counts)
        self.dock = self._dock("Library", "library-dock", self.library_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.problems_panel = ProblemsPanel()
        self.problems_dock = self._dock("Problems", "problems-dock", self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        create_actions(self)
        create_menus(self)
        self.unsaved = UnsavedWork(self, self.recovery, self.memo, self.book, self.library)
        self._connect()
        self._restore()
        self._update_title()
        self._held: list[QAction] = []  # greyed until the library is in
        if workspace.loaded:
            self.library.start()
            self._show_counts()
        else:
            self._hold_for_library()

    def _show_counts(self) -> None:
        """The library's size, at the right of the status bar where a message or a menu's
        tip never wipes it; and any library folder of Preferences that is not there (its
        cards cannot be shown, and the user should know why)."""
        text = (
            f"{counted(len(self.workspace.library), 'card')}, "
            f"{counted(len(self.workspace.templates.templates), 'template')}"
        )
        missing = [f for f in self.settings.get(S.LIBRARY_FOLDERS) if not Path(f).is_dir()]
        why = ""
        if missing:
            text += f" · {counted(len(missing), 'library folder')} missing"
            why = (
                f"Not read: {', '.join(missing)}, no longer a folder; its cards are missing "
                "until it is back or removed in Edit ▸ Preferences"
            )
            self.statusBar().showMessage(why)  # stays until the next message
        self.counts.setText(text)
        self.counts.setToolTip(why)

    def _hold_for_library(self) -> None:
        """Until the library is in, what needs cards is greyed."""
        needs_cards = (
            self.act_new,
            self.act_open,
            self.recent_menu.menuAction(),
            self.act_recover,
            self.act_new_card,
            self.act_edit_card,
            self.act_duplicate_card,
            self.act_delete_card,
            self.act_find_cards,
            self.books.act_new,
            self.books.act_open,
            self.books.act_add,
            self.books.act_add_open,
        )
        self._held = [action for action in needs_cards if action.isEnabled()]
        for action in self._held:
            action.setEnabled(False)
        self.central.setEnabled(False)
        self.problems_panel.summary.setText("Reading the library: its problems show here next.")

    def load_library(self, ready: Callable[[], object] | None = None) -> None:
        """Fill the window with the library, read on a worker thread (for a workspace made
        with ``Workspace.pending``), the status bar showing how far the read is; then
        ``ready`` runs."""
        bar = LoadingBar(self.statusBar())
        self.library.loading.connect(bar.step)

        def loaded() -> None:
            self.library.loaded.disconnect(loaded)
            bar.finish()
            for action in self._held:
                action.setEnabled(True)
            self._held = []
            self.central.setEnabled(True)
            self.library_panel.follow_loading()
            self._show_counts()
            if ready is not None:
                ready()

        self.library.loaded.connect(loaded)
        self.library.load_in_background()

    # -- construction -----------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _placeholder(self) -> QWidget:
        return dialogs.empty_state(
            "No memo open. Start a new memo from a template, or open one.",
            (("New memo…", self.new_memo), ("Open memo…", self.open_memo)),
        )

    # A command of this window (the book pane makes its own with it too).
    _action = make_action

    def _connect(self) -> None:
        """All the wiring between parts, in one block."""
        memo, library, model = self.memo, self.library, self.library.model
        memo.document_changed.connect(self._show_document)
        memo.state_changed.connect(self._update_title)
        memo.message.connect(self.notify)
        memo.recent_changed.connect(self._rebuild_recent)
        self.unsaved.message.connect(self.notify)
        self.books.message.connect(self.notify)
        self.books.open_requested.connect(self.open_any)
        self.books.shown.connect(lambda: QTimer.singleShot(0, self, lambda: keep_on_screen(self)))
        library.message.connect(self.notify)
        library.problems_changed.connect(self._show_problems)
        self.board.edit_requested.connect(library.edit_card)
        self.board.new_card_requested.connect(library.new_card)
        self.library_panel.card_activated.connect(library.edit_card)
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._cards_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self.unsaved.application_state)
            app.focusChanged.connect(self._focus_changed)
        self.preview.rendered.connect(self._refresh_checks)
        self.checks.go_to.connect(self._go_to_finding)
        self.problems_panel.open_folder_requested.connect(lambda p: dialogs.open_url(p.parent))
        self.problems_panel.open_file_requested.connect(dialogs.open_url)

    def _restore(self) -> None:
        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.get(S.WINDOW_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.set_side_by_side(self.settings.get(S.BOARD_BESIDE_MEMO))
        self.central.restore_memo_split()
        self.preview.set_zoom(self.settings.get(S.PREVIEW_ZOOM))
        self.preview.zoom_changed.connect(lambda value: self.settings.set(S.PREVIEW_ZOOM, value))

    # -- what the controllers report --------------------------------------------------
    def _show_document(self, doc: MemoDocument | None) -> None:
        """A memo was opened, reloaded, started or closed: the composer shows it."""
        if self.find_dialog is not None:  # it belonged to the memo that was shown
            self.find_dialog.close()
            self.find_dialog.deleteLater()
            self.find_dialog = None
        self.composer = ComposerView(doc) if doc is not None else None
        self.central.show_memo_pane(self.composer or self._placeholder())
        for action in self.memo_actions:
            action.setEnabled(doc is not None)
        if doc is None or self.composer is None:
            self.preview.set_memo(None, None)
            self.checks.show_findings(None)
            self.undo_group.setActiveStack(self.library.stack)
            return
        doc.changed.connect(self.preview.schedule)
        doc.changed.connect(lambda: self._refresh_checks(self.preview.pages or None))
        doc.kind_refused.connect(self._kind_refused)
        self.composer.message.connect(self.notify)
        self.composer.add_cards_requested.connect(self.add_selected_cards)
        self.composer.set_read_only(doc.read_only, doc.session.read_only_reason)
        self.act_save.setEnabled(not doc.read_only)
        self._refresh_checks()
        self.undo_group.setActiveStack(self.memo.stack)
        self.show_memo()
        # The pages are laid out last, on their worker thread: started before the memo's
        # lists were laid out, the render held Python's lock from them (a 16,500-item memo
        # took 19 s to show instead of 4).
        self.preview.set_memo(doc.memo, doc.template.page_limit)

    # -- layout -----------------------------------------------------------------------
    def set_side_by_side(self, on: bool) -> None:
        """Board and memo in tabs, or side by side (View › Board beside memo); side by side
        in a window too narrow for the library as well, the library gives way."""
        self.act_beside.setChecked(on)
        if self.central.set_side_by_side(on):  # no split saved: the default, laid out
            if self.isVisible():
                QTimer.singleShot(0, self, self._default_beside_split)
            else:  # once the window is shown
                self._split_when_shown = True
        if not on:
            if self.composer is not None:  # back in tabs, the memo being worked on shows
                self.central.show_memo(self.composer)
            return
        needed = sum(
            w.minimumSizeHint().width() for w in (self.dock, self.board, self.central.memo_area)
        )
        if self.isVisible() and self.dock.isVisible() and self.width() < needed + 24:
            self.dock.hide()  # the board shows the cards; the window stays on the screen
            self.notify("Library hidden to make room (View › Library brings it back).")

    def _default_beside_split(self) -> None:
        """The first time side by side: a narrower library, then the centre's own split."""
        if self.dock.isVisible() and not self.dock.isFloating():
            width = max(260, int(self.width() * 0.2))
            self.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
        self.central.default_split()

    def show_board(self) -> None:
        self.central.show_board()

    def show_memo(self) -> None:
        self.central.show_memo(self.composer)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.memo.title}[*] — Briefer")
        self.setWindowModified(self.memo.dirty)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        """Edit › Undo follows the focus: the memo's history or the library's."""
        if now is None or not self.isAncestorOf(now):
            return
        in_memo = self.central.in_memo(now) and self.memo.doc is not None
        if self.books.active_stack_for(now):
            return
        self.undo_group.setActiveStack(self.memo.stack if in_memo else self.library.stack)

    def _cards_changed(self) -> None:
        if self.memo.doc is not None:
            self.memo.doc.refresh()
        card = self.library_panel.current_card()
        fresh = self.workspace.library.get(card.id) if card is not None else None
        if fresh is not None:
            self.library_panel.show_card(fresh)

    def _show_problems(self, problems: list[Problem], new_errors: bool) -> None:
        """Fill the problems panel; bring it up when there are new errors."""
        self.problems_panel.set_problems(problems)
        if new_errors:
            self.problems_dock.show()
            self.resizeDocks([self.problems_dock], [140], Qt.Orientation.Vertical)
            errors = sum(p.is_error for p in problems)
            self.notify(f"{counted(errors, 'problem')} in the library; see the Problems panel.")
        elif not problems:
            self.problems_dock.hide()

    def _kind_refused(self, section: str, explanation: str) -> None:
        self.notify(explanation.replace("\n", " "))
        QTimer.singleShot(
            0, self, lambda: dialogs.tell(self, f"Not added to {section}", explanation)
        )

    def undo_tip(self, step: str) -> None:
        """The toolbar's Undo names the step (a method: Qt drops it with the window)."""
        keys = self.act_undo.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.tool_undo.setToolTip(f"Undo {step or 'the last change'} ({keys})")

    def redo_tip(self, step: str) -> None:
        keys = self.act_redo.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.tool_redo.setToolTip(f"Redo {step or 'the change undone'} ({keys})")

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    # -- memo commands ----------------------------------------------------------------
    def new_memo(self) -> None:
        """New memo: the template chooser starts on the template chosen last time."""
        if not self.memo.maybe_save():
            return
        last = self.settings.get(S.LAST_TEMPLATE)
        if chosen := dialogs.choose_template(self, self.workspace, current=last):
            self.settings.set(S.LAST_TEMPLATE, chosen)
            self.memo.new_memo(chosen)

    def open_memo(self) -> None:
        if not self.memo.maybe_save():
            return
        folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        path = dialogs.open_file(self, "Open memo", folder, MEMO_FILTER)
        if path:
            self.open_any(Path(path))

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.get(S.RECENT_FILES)
        for entry in recent:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setToolTip(entry)
            action.triggered.connect(lambda _=False, p=entry: self._open_recent(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    def _open_recent(self, path: Path) -> None:
        if path.exists():
            self.open_any(path)
            return
        self.settings.forget_recent(path)  # a name that opens nothing is not kept
        self._rebuild_recent()
        self.notify(f"{path} is no longer there (moved, renamed or deleted): removed from recent")

    def open_any(self, path: Path) -> None:
        """Open a memo, or a briefing book (told by its name)."""
        if path.name.endswith(BOOK_SUFFIX):
            self.book.open_path(path)
        elif self.memo.maybe_save():
            self.memo.open_path(path)

    def findings(self, pages: int | None = None) -> list[Finding]:
        """The open memo's preflight findings (``pages`` as the preview last laid it out)."""
        doc = self.memo.doc
        if doc is None:
            return []
        return preflight(doc.memo, self.workspace.library, self.workspace.templates, pages=pages)

    def _refresh_checks(self, pages: int | None = None) -> None:
        if self.memo.doc is not None:
            self.checks.show_findings(self.findings(pages))

    def _go_to_finding(self, finding: Finding) -> None:
        """Show the item or header field a finding is about."""
        if self.composer is None:
            return
        box = self.composer.boxes.get(finding.section or "")
        if box is not None and finding.index is not None:
            box.view.setFocus()
            box.view.setCurrentIndex(box.model.index(finding.index))
            self.composer.scroll_to(box)
            if finding.code in ("card-changed-since-added", "reworded-card-changed"):
                self.composer.compare_item(box.model.section_id, finding.index)
        elif (edit := self.composer.fields.get(finding.field or "")) is not None:
            edit.setFocus()
            self.composer.scroll_to(edit)
        elif box is not None:
            box.view.setFocus()
            self.composer.scroll_to(box)

    def export(self, suffix: str) -> None:
        session = self.memo.session
        if session is None:
            self.notify("Open or start a memo first.")
            return
        errors = self._errors()
        go, draft = ask_draft(self, errors, "Export")
        if not go:
            return
        result = export_dialog(
            self,
            session.memo,
            session.path,
            self.workspace,
            self.settings,
            suffix,
            draft,
            said={f.message for f in errors},
        )
        if result is not None:
            self.notify(f"Exported {'a draft ' if draft else ''}to {result.path}")

    def _errors(self) -> list[Finding]:
        """What the checks say must be fixed before the memo goes out (asked about first)."""
        return [f for f in self.findings(self.preview.pages or None) if f.is_error]

    def print_memo(self) -> None:
        """Print the pages the PDF export writes (the same layout as the preview)."""
        doc = self.memo.doc
        if doc is None:
            self.notify("Open or start a memo first.")
            return
        go, draft = ask_draft(self, self._errors(), "Print")
        if not go:
            return
        reference = doc.template.reference_docx
        pages = print_dialog(self, doc.memo, doc.session.path, reference, self.workspace, draft)
        if pages:
            as_draft = " as a draft" if draft else ""
            self.notify(f"Sent {counted(pages, 'page')} to the printer{as_draft}.")

    def add_selected_cards(self, section: str) -> None:
        """The keyboard way to add cards: the library's selection goes into a section."""
        if self.memo.doc is None:
            return
        view = self.library_panel.view
        indexes = view.selectionModel().selectedRows() or [view.currentIndex()]
        ids = [i.data(CardRole).id for i in indexes if i.isValid()]
        if not ids:
            self.notify("Select one or more cards in the library first (Ctrl+F to search).")
            return
        model = self.memo.doc.models[section]
        model.dropMimeData(card_mime(ids), Qt.DropAction.CopyAction, -1, 0, QModelIndex())

    def find_anything(self) -> None:
        """Ctrl+F: in the memo when working in it (the composer, or the Memo tab with the
        focus outside the library), else in the cards."""
        focus = QApplication.focusWidget()
        in_memo = focus is not None and self.central.in_memo(focus)
        in_library = focus is not None and self.dock.isAncestorOf(focus)
        on_memo_tab = self.central.on_memo_tab()
        if self.memo.doc is not None and (in_memo or (on_memo_tab and not in_library)):
            self.find_in_memo()
        else:
            self.focus_search()

    def find_in_memo(self) -> FindReplaceDialog | None:
        """The Find and replace panel on the open memo (the selected words filled in)."""
        doc = self.memo.doc
        if doc is None or self.composer is None:
            self.notify("Open or start a memo first.")
            return None
        if self.find_dialog is None:
            from briefer.gui.find_dialog import FindReplaceDialog

            self.find_dialog = FindReplaceDialog(doc, self)
            self.find_dialog.show_match.connect(self._show_match)
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus.hasSelectedText():
            self.find_dialog.find_edit.setText(focus.selectedText())
        self.find_dialog.show()
        self.find_dialog.raise_()
        self.find_dialog.activateWindow()
        self.find_dialog.find_edit.setFocus()
        self.find_dialog.find_edit.selectAll()
        return self.find_dialog

    def _show_match(self, match: object) -> None:
        if self.composer is not None:
            self.show_memo()
            self.composer.show_match(match)  # type: ignore[arg-type]

    # -- card commands ----------------------------------------------------------------
    def focus_search(self) -> None:
        self.dock.show()
        self.library_panel.search.setFocus()
        self.library_panel.search.selectAll()

    def edit_selected_card(self) -> None:
        card = self.library_panel.current_card()
        if card is not None:
            self.library.edit_card(card.id)

    def duplicate_card(self) -> CardEditor | None:
        card = self.library_panel.current_card()
        if card is None:
            self.notify("Select a card in the library to duplicate.")
            return None
        return self.library.duplicate_card(card)

    def delete_card(self) -> None:
        card = self.library_panel.current_card()
        if card is None:
            self.notify("Select a card in the library to delete.")
        else:
            self.library.delete_card(card, self.memo.memos_using(card.id))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._split_when_shown:
            self._split_when_shown = False
            QTimer.singleShot(0, self, self._default_beside_split)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.memo.maybe_save() or not self.book.maybe_save():
            event.ignore()
            return
        self.library.stop_loading()
        self.unsaved.autosave_now()  # open card editors with changes stay for the next start
        self.memo.shutdown()
        self.book.shutdown()
        self.preview.stop()  # a render under way is not waited for
        self.preview.wait_idle()
        if self.books.view is not None:
            self.books.view.preview.stop()
            self.books.view.preview.wait_idle()
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.WINDOW_STATE, self.saveState())
        self.central.save_splits()
        self.settings.sync()
        event.accept()
