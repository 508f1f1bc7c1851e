"""The main window: board, library, composer and preview, wired together in one place."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefer.core import paths, storage
from briefer.core.cardfile import save_card as write_card
from briefer.core.cards import Card, read_card_file
from briefer.core.locks import HOST, MemoLock
from briefer.core.memos import Memo, format_date, memo_to_yaml, parse_memo, read_memo
from briefer.core.problems import BrieferError
from briefer.core.recovery import (
    RecoveryEntry,
    RecoveryStore,
    card_draft_text,
    card_from_draft,
)
from briefer.core.templates import MemoTemplate
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.board import BoardView
from briefer.gui.card_editor import CardEditor
from briefer.gui.commands import DeleteCardCommand, PutCardCommand
from briefer.gui.composer import ComposerView
from briefer.gui.document import MemoDocument
from briefer.gui.library_panel import LibraryPanel
from briefer.gui.log import write_log
from briefer.gui.models import CardListModel, CardRole, card_mime
from briefer.gui.preview import PreviewPane
from briefer.gui.problems_panel import ProblemsPanel
from briefer.gui.watcher import FileWatcher

if TYPE_CHECKING:
    from briefer.render.export import ExportResult

MEMO_FILTER = "Briefer memos (*.brief.yaml);;All files (*)"
MEMO_KEY = f"{HOST}-{os.getpid()}-memo"  # this process's recovery entry for its memo
MEMO_SUFFIX = ".brief.yaml"
BOARD_TAB, MEMO_TAB = 0, 1


class TemplateDialog(QDialog):
    """New memo: pick a template, with its description."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, note: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Choose a memo template")
        self.list = QListWidget()
        self.list.setAccessibleName("Templates")
        self.description = QLabel()
        self.description.setWordWrap(True)
        for template in workspace.templates.templates.values():
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            item.setToolTip(template.description)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.workspace = workspace
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)

    def _show(self) -> None:
        template = self.workspace.templates.get(self.chosen())
        if template is not None:
            limit = f" Limit: {template.page_limit} page(s)." if template.page_limit else ""
            self.description.setText(template.description + limit)

    def chosen(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""


class MainWindow(QMainWindow):
    """Board and composer in tabs, the library docked beside them, one undo stack."""

    def __init__(self, workspace: Workspace, settings: S.Settings) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self.stack = QUndoStack(self)
        self.model = CardListModel(workspace.library, self)
        self.doc: MemoDocument | None = None
        self.composer: ComposerView | None = None
        self.session_memos: dict[str, set[str]] = {}  # memos closed this session: card ids
        self.lock: MemoLock | None = None
        self.editors: dict[str, CardEditor] = {}  # recovery key -> open card editor
        self._editor_count = 0
        self._asking = False  # a question about a file changed on disk is on screen
        self.read_only_reason = ""
        self.recovery = RecoveryStore(S.recovery_dir())
        storage.configure_backups(S.backups_dir(), settings.get(S.BACKUPS_KEPT))
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(max(1, settings.get(S.AUTOSAVE_SECONDS)) * 1000)
        self.watcher = FileWatcher(self)
        self.setObjectName("briefer-main")
        self.setWindowTitle("Briefer")

        self.board = BoardView(self.model)
        self.library_panel = LibraryPanel(self.model, self.memos_using)
        self.preview = PreviewPane(workspace)
        self.memo_area = QSplitter()
        self.memo_placeholder = self._placeholder()
        self.memo_area.addWidget(self.memo_placeholder)
        self.memo_area.addWidget(self.preview)
        self.memo_area.setStretchFactor(0, 1)
        self.memo_area.setStretchFactor(1, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.board, "Board")
        self.tabs.addTab(self.memo_area, "Memo")
        self.setCentralWidget(self.tabs)
        self.dock = QDockWidget("Library", self)
        self.dock.setObjectName("library-dock")
        self.dock.setWidget(self.library_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.problems_panel = ProblemsPanel()
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problems-dock")
        self.problems_dock.setWidget(self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self._create_actions()
        self._create_menus()
        self._connect()
        self._restore()
        self._update_title()
        self._watch_library()
        self._show_problems()
        self.statusBar().showMessage(
            f"{len(workspace.library)} cards, {len(workspace.templates.templates)} templates"
        )

    # -- construction -----------------------------------------------------------------
    def _placeholder(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        label = QLabel("No memo open. Start a new memo from a template, or open one.")
        label.setWordWrap(True)
        new = QPushButton("New memo…")
        new.clicked.connect(self.new_memo)
        open_button = QPushButton("Open memo…")
        open_button.clicked.connect(self.open_memo)
        layout.addStretch(1)
        layout.addWidget(label)
        layout.addWidget(new)
        layout.addWidget(open_button)
        layout.addStretch(1)
        return widget

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").rstrip("…"))
        action.setStatusTip(action.toolTip())
        action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        K = QKeySequence.StandardKey  # noqa: N806
        self.act_new = self._action("&New memo…", self.new_memo, K.New)
        self.act_open = self._action("&Open memo…", self.open_memo, K.Open)
        self.act_save = self._action("&Save", self.save, K.Save)
        self.act_save_as = self._action("Save &as…", self.save_as, K.SaveAs)
        self.act_export_docx = self._action(
            "Export to &Word…", lambda: self.export(".docx"), "Ctrl+E", "Export to Word (.docx)"
        )
        self.act_export_pdf = self._action(
            "Export to &PDF…", lambda: self.export(".pdf"), "Ctrl+Shift+E", "Export to PDF"
        )
        self.act_recover = self._action("Recover unsaved work…", self.offer_recovery)
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_undo = self.stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(K.Undo))
        self.act_redo = self.stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence(K.Redo))
        self.act_find = self._action("&Find cards", self.focus_search, K.Find)
        self.act_new_card = self._action(
            "New &card…", lambda: self.new_card("background", ""), "Ctrl+Shift+N"
        )
        self.act_edit_card = self._action("&Edit card…", self.edit_selected_card, "Ctrl+Return")
        self.act_duplicate_card = self._action("&Duplicate card…", self.duplicate_card, "Ctrl+D")
        self.act_delete_card = self._action("De&lete card…", self.delete_card, "Ctrl+Delete")
        self.act_board = self._action(
            "&Board", lambda: self.tabs.setCurrentIndex(BOARD_TAB), "Ctrl+1"
        )
        self.act_memo = self._action("&Memo", lambda: self.tabs.setCurrentIndex(MEMO_TAB), "Ctrl+2")
        self.act_preferences = self._action("&Preferences…", self.preferences, K.Preferences)
        self.act_about = self._action("&About Briefer", self.about)
        for action in (self.act_save, self.act_save_as, self.act_export_docx, self.act_export_pdf):
            action.setEnabled(False)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.act_export_docx, self.act_export_pdf])
        file_menu.addSeparator()
        file_menu.addAction(self.act_recover)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions(
            [
                self.act_find,
                self.act_new_card,
                self.act_edit_card,
                self.act_duplicate_card,
                self.act_delete_card,
            ]
        )
        edit.addSeparator()
        edit.addAction(self.act_preferences)
        view = bar.addMenu("&View")
        view.addActions(
            [
                self.act_board,
                self.act_memo,
                self.dock.toggleViewAction(),
                self.problems_dock.toggleViewAction(),
            ]
        )
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.addActions([self.act_new, self.act_open, self.act_save])
        toolbar.addSeparator()
        toolbar.addActions([self.act_undo, self.act_redo])
        toolbar.addSeparator()
        toolbar.addActions([self.act_export_docx, self.act_export_pdf])
        self._rebuild_recent()

    def _connect(self) -> None:
        """All the wiring between parts, in one block."""
        self.stack.cleanChanged.connect(self._update_title)
        self.stack.indexChanged.connect(self._update_title)
        self.board.edit_requested.connect(self.edit_card)
        self.board.new_card_requested.connect(self.new_card)
        self.library_panel.card_activated.connect(self.edit_card)
        self.model.dataChanged.connect(self._cards_changed)
        self.model.rowsInserted.connect(self._cards_changed)
        self.model.rowsRemoved.connect(self._cards_changed)
        self.stack.indexChanged.connect(self._start_autosave)
        self.autosave_timer.timeout.connect(self.autosave_now)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._application_state)
        self.watcher.files_changed.connect(self._files_changed)
        self.watcher.folders_changed.connect(self.reload_library)
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

    # -- state ------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.doc is not None and not self.stack.isClean()

    def _update_title(self) -> None:
        name = self.doc.display_name if self.doc else "Library"
        if self.doc is not None and self.doc.read_only:
            name += " (read-only)"
        self.setWindowTitle(f"{name}[*] — Briefer")
        self.setWindowModified(self.dirty)

    def memos_using(self, card_id: str) -> list[str]:
        """The memos of this session that use a card: the open one and those closed before."""
        names = [name for name, ids in self.session_memos.items() if card_id in ids]
        if self.doc is not None:
            names = [n for n in names if n != self.doc.display_name]
            if card_id in self.doc.cards_used():
                names.insert(0, self.doc.display_name)
        return names

    def add_selected_cards(self, section: str) -> None:
        """The keyboard way to add cards: the library's selection goes into a section."""
        if self.doc is None:
            return
        view = self.library_panel.view
        indexes = view.selectionModel().selectedRows() or [view.currentIndex()]
        ids = [i.data(CardRole).id for i in indexes if i.isValid()]
        if not ids:
            self.notify("Select one or more cards in the library first (Ctrl+F to search).")
            return
        model = self.doc.models[section]
        model.dropMimeData(card_mime(ids), Qt.DropAction.CopyAction, -1, 0, QModelIndex())

    def _cards_changed(self) -> None:
        if self.doc is not None:
            for model in self.doc.models.values():
                model.refresh()
            self.preview.schedule()
        card = self.library_panel.current_card()
        if card is not None:
            fresh = self.workspace.library.get(card.id)
            if fresh is not None:
                self.library_panel.show_card(fresh)

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def report_error(self, text: str) -> None:
        self.notify(text)
        write_log(text)
        QTimer.singleShot(0, lambda: dialogs.tell(self, "Briefer", text, error=True))

    # -- memo files -------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is safe to drop the current memo."""
        if not self.dirty:
            return True
        assert self.doc is not None
        answer = dialogs.ask_save(self, self.doc.display_name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_memo(self) -> None:
        if not self.maybe_save():
            return
        dialog = TemplateDialog(self.workspace, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return
        self.start_memo(dialog.chosen())

    def start_memo(self, template_id: str) -> MemoDocument:
        template = self.workspace.templates.get(template_id)
        assert template is not None
        header = {"date": format_date(dt.date.today())}
        office = self.settings.get(S.DEFAULT_FROM)
        if office and "from" in template.header:
            header["from"] = office
        memo = Memo(template=template.id, header=header)
        return self.set_document(memo, template, None)

    def open_memo(self) -> None:
        if not self.maybe_save():
            return
        folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        path = dialogs.open_file(self, "Open memo", folder, MEMO_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> MemoDocument | None:
        seen = storage.fingerprint(path)  # before reading: a change in between is noticed
        memo, problems = read_memo(path)
        if memo is None:
            detail = "\n".join(str(p) for p in problems)
            dialogs.tell(
                self,
                "Cannot open memo",
                f"{path.name} has problems Briefer cannot work around. Fix the lines listed "
                "below in a text editor, then open it again.",
                detail,
                error=True,
            )
            return None
        template = self._template_for(memo, path.name)
        if template is None:
            return None
        lock, read_only = self._lock_for(path)
        if lock is None and not read_only:
            return None
        doc = self.set_document(memo, template, path, lock=lock, seen=seen)
        self._set_read_only(read_only, self.read_only_reason)
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.settings.add_recent(path)
        self._rebuild_recent()
        missing = sorted(i for i in memo.card_ids() if self.workspace.library.get(i) is None)
        if missing:
            self.notify(f"Missing cards shown as placeholders: {', '.join(missing)}")
        return doc

    def _set_read_only(self, read_only: bool, why: str = "") -> None:
        assert self.doc is not None
        assert self.composer is not None
        self.doc.read_only = read_only
        self.read_only_reason = why if read_only else ""
        self.composer.set_read_only(read_only, why)
        self.act_save.setEnabled(not read_only)
        self._update_title()

    def _template_for(self, memo: Memo, name: str) -> MemoTemplate | None:
        """The memo's template; for an unknown one the user picks another (None: cancelled)."""
        template = self.workspace.templates.get(memo.template)
        if template is not None:
            return template
        dialog = TemplateDialog(
            self.workspace,
            self,
            note=f"{name} uses the template {memo.template!r}, which this Briefer does not "
            "have. Choose the template to open it with; its items are kept.",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return None
        memo.template = dialog.chosen()
        return self.workspace.templates.get(memo.template)

    def _lock_for(self, path: Path) -> tuple[MemoLock | None, bool]:
        """Lock a memo for editing: ``(lock, False)``, ``(None, True)`` for a read-only view,
        or ``(None, False)`` when the user cancelled."""
        if self.lock is not None and self.lock.path == path:
            return self.lock, False  # this window already holds it
        lock = MemoLock(path)
        owner = lock.acquire()
        if owner is None:
            return lock, False
        answer = dialogs.choose(
            self,
            "Memo already open",
            f"{path.name} is open in another Briefer: {owner.describe()}. Editing it in two "
            "places would lose one person's changes.\n\nOpen a read-only view, or cancel. If "
            "you are sure that Briefer is no longer running (for example, the other computer "
            "crashed), you can open it for editing anyway.",
            ["Open read-only", "Open anyway", "Cancel"],
        )
        if answer == "Open read-only":
            self.read_only_reason = (
                f"It is open in another Briefer ({owner.describe()}); this view follows "
                "their saves."
            )
            return None, True
        if answer == "Open anyway":
            lock.acquire(force=True)
            return lock, False
        return None, False

    def set_document(
        self,
        memo: Memo,
        template: MemoTemplate,
        path: Path | None,
        lock: MemoLock | None = None,
        seen: str | None = None,
    ) -> MemoDocument:
        if self.doc is not None:
            self.session_memos[self.doc.display_name] = self.doc.cards_used()
            if self.doc.path is not None:
                self.watcher.unwatch_file(self.doc.path)
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock = lock
        self.recovery.remove(MEMO_KEY)  # the memo it was for was saved or set aside
        self.stack.clear()
        doc = MemoDocument(memo, template, self.workspace.library, self.stack, path)
        if path is not None:
            doc.fingerprint = seen if seen is not None else storage.fingerprint(path)
            self.watcher.watch_file(path, doc.fingerprint)
        composer = ComposerView(doc)
        old = self.memo_area.widget(0)
        self.memo_area.replaceWidget(0, composer)
        if old is not None:
            old.deleteLater()
        self.doc, self.composer = doc, composer
        doc.changed.connect(self.preview.schedule)
        doc.kind_refused.connect(self._kind_refused)
        composer.message.connect(self.notify)
        composer.add_cards_requested.connect(self.add_selected_cards)
        self.preview.set_memo(memo, template.page_limit)
        for action in (self.act_save, self.act_save_as, self.act_export_docx, self.act_export_pdf):
            action.setEnabled(True)
        self.stack.setClean()
        self.tabs.setCurrentIndex(MEMO_TAB)
        self._update_title()
        return doc

    def _kind_refused(self, section: str, explanation: str) -> None:
        self.notify(explanation.replace("\n", " "))
        QTimer.singleShot(0, lambda: dialogs.tell(self, f"Not added to {section}", explanation))

    def save(self) -> bool:
        if self.doc is None:
            return False
        if self.doc.path is None or self.doc.read_only:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        if self.doc is None:
            return False
        folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        name = self.doc.path.name if self.doc.path else "memo" + MEMO_SUFFIX
        chosen = dialogs.save_file(self, "Save memo", str(Path(folder) / name), MEMO_FILTER)
        if not chosen:
            return False
        path = Path(chosen)
        if not path.name.endswith(MEMO_SUFFIX):
            path = path.with_name(path.name.removesuffix(".yaml") + MEMO_SUFFIX)
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        """Save, never over a colleague's change without asking, never losing the window's."""
        assert self.doc is not None
        same = self.doc.path is not None and path.absolute() == self.doc.path.absolute()
        if same and self.doc.read_only:
            self.notify("This memo is open read-only; use Save As to keep a copy.")
            return False
        if same and not self._may_overwrite(path):
            return False
        lock = self.lock if same else MemoLock(path)
        if not same and lock is not None and (owner := lock.acquire()) is not None:
            dialogs.tell(
                self,
                "Could not save",
                f"{path.name} is open in another Briefer ({owner.describe()}). Choose another "
                "name, or ask them to close it first.",
                error=True,
            )
            return False
        try:
            self.doc.save(path)
        except OSError as exc:
            if not same and lock is not None:
                lock.release()
            log = write_log(f"Could not save {path}", exc)
            dialogs.tell(
                self,
                "Could not save",
                f"Could not save {path}: {save_failure(exc)} The file on disk was not changed "
                "and your changes are still here. Use Save As to save them somewhere else.",
                detail=f"{exc}\n\nDetails are in the log: {log}",
                error=True,
            )
            return False
        if not same:
            self._set_read_only(False)  # a copy under a new name is the user's to edit
            if self.lock is not None:
                self.lock.release()
            self.lock = lock
            self.watcher.watch_file(path, self.doc.fingerprint)
        self.watcher.set_seen(path, self.doc.fingerprint)
        self.recovery.remove(MEMO_KEY)
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.settings.add_recent(path)
        self._rebuild_recent()
        self._update_title()
        self.notify(f"Saved {path}")
        return True

    def _may_overwrite(self, path: Path) -> bool:
        """Before saving over the memo's own file: did someone else change it since?"""
        assert self.doc is not None
        now = storage.fingerprint(path)
        if now is None or self.doc.fingerprint is None or now == self.doc.fingerprint:
            return True
        answer = dialogs.choose(
            self,
            "Memo changed on disk",
            f"{path.name} was changed on disk after you opened it (by a colleague, git or a "
            "sync client). Saving now would overwrite their version.\n\nOverwrite it with "
            "yours, or cancel and use Save As to keep both.",
            ["Overwrite", "Cancel"],
        )
        return answer == "Overwrite"

    # -- files changed on disk --------------------------------------------------------
    def _watch_library(self) -> None:
        self.watcher.watch_trees([d for d in self.workspace.library_dirs if d.is_dir()])
        self.watcher.watch_new_files(self.workspace.library.files)

    def _files_changed(self, changed: list[Path]) -> None:
        memo = self.doc.path.absolute() if self.doc and self.doc.path else None
        if memo is not None and memo in changed:
            self.memo_changed_on_disk()
        library = {p.absolute() for p in self.workspace.library.files}
        if any(p in library for p in changed):
            self.reload_library()

    def memo_changed_on_disk(self) -> None:
        """The open memo's file changed: reload it, if the user agrees (or it is read-only)."""
        if self.doc is None or self.doc.path is None or self._asking:
            return
        doc, path = self.doc, self.doc.path
        now = storage.fingerprint(path)
        if now == doc.fingerprint:
            return
        if now is None:
            self.notify(f"{path.name} was moved or deleted on disk; Save will write it again.")
            return
        if not doc.read_only:
            unsaved = (
                " You have unsaved changes here: reloading discards them."
                if self.dirty
                else " You have no unsaved changes here."
            )
            self._asking = True
            try:
                answer = dialogs.choose(
                    self,
                    "Memo changed on disk",
                    f"{path.name} was changed on disk by another program (a colleague, git or "
                    f"a sync client).{unsaved}\n\nReload it from disk, or keep your version? "
                    "If you keep yours, Briefer will ask again before saving over theirs.",
                    ["Reload", "Keep mine"],
                )
            finally:
                self._asking = False
            if answer != "Reload" or self.doc is not doc:
                self.notify(f"Kept your version of {path.name}.")
                return
        memo, problems = read_memo(path)
        template = self.workspace.templates.get(memo.template) if memo else None
        if memo is None or template is None:
            detail = "\n".join(str(p) for p in problems) or "its template is unknown"
            dialogs.tell(
                self,
                "Could not reload",
                f"{path.name} changed on disk, but the new version cannot be opened. Your "
                "version stays open; fix the file or save yours over it.",
                detail,
                error=True,
            )
            return
        self.set_document(memo, template, path, lock=self.lock, seen=now)
        self._set_read_only(doc.read_only, self.read_only_reason)
        self.notify(f"Reloaded {path.name} from disk.")

    def reload_library(self) -> None:
        """Read the library folders again and apply what changed, card by card."""
        fresh = self.workspace.read_library()
        errors_before = {str(p) for p in self.workspace.library.errors}
        added, changed, removed = self.model.sync(fresh)
        self._watch_library()
        self._show_problems(errors_before)
        if added or changed or removed:
            self.notify(
                f"Library updated from disk: {added} added, {changed} changed, {removed} removed."
            )

    def _show_problems(self, known: set[str] | None = None) -> None:
        """Fill the problems panel; bring it up when there are new errors."""
        problems = self.workspace.problems
        self.problems_panel.set_problems(problems)
        errors = {str(p) for p in problems if p.is_error}
        if errors - (known or set()):
            self.problems_dock.show()
            self.resizeDocks([self.problems_dock], [140], Qt.Orientation.Vertical)
            self.notify(f"{len(errors)} problem(s) in the library; see the Problems panel.")
        elif not problems:
            self.problems_dock.hide()

    # -- autosave and recovery --------------------------------------------------------
    def _start_autosave(self) -> None:
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_now()

    def autosave_now(self) -> None:
        """Copy unsaved work to the recovery folder (and drop copies of what is saved)."""
        self.autosave_timer.stop()
        try:
            if self.dirty:
                assert self.doc is not None
                self.recovery.write(
                    MEMO_KEY,
                    "memo",
                    self.doc.display_name,
                    self.doc.to_yaml(),
                    original=str(self.doc.path or ""),
                    based_on=self.doc.fingerprint or "",
                )
            else:
                self.recovery.remove(MEMO_KEY)
            for key, editor in self.editors.items():
                if editor.has_changes():
                    card = editor.card()
                    self.recovery.write(
                        key,
                        "card",
                        card.title or card.id or "Untitled card",
                        card_draft_text(card),
                        card_id=editor.original.id if editor.original else "",
                    )
        except OSError as exc:
            log = write_log("Autosave failed", exc)
            self.notify(
                f"Autosave could not write to {self.recovery.folder}: {exc.strerror or exc}. "
                f"Save your work now. (Details: {log})"
            )

    def offer_recovery(self) -> None:
        """Unsaved work left by a Briefer that crashed or was killed: offer it back."""
        entries = self.recovery.orphaned()
        if not entries:
            if self.sender() is self.act_recover:
                dialogs.tell(self, "Recover unsaved work", "There is no unsaved work to recover.")
            return
        answer = dialogs.recover(self, entries)
        if answer is None:
            self.notify("Recovered work kept; use File › Recover unsaved work… when ready.")
            return
        restore, discard = answer
        for entry in discard:
            self.recovery.remove(entry.key)
        memos = [e for e in restore if e.kind == "memo"]
        if memos and not self.maybe_save():
            memos = []  # kept for later: nothing is discarded without asking
        copies = []
        for index, entry in enumerate(reversed(memos)):  # the newest opens in the window
            done = self._restore_memo(entry) if index == 0 else self._recovered_copy(entry)
            if done is not None:
                if isinstance(done, Path):
                    copies.append(done)
                self.recovery.remove(entry.key)
        for entry in (e for e in restore if e.kind == "card"):
            if self._restore_card(entry):
                self.recovery.remove(entry.key)
        if copies:
            dialogs.tell(
                self,
                "Recovered memos",
                "More than one memo was recovered. The newest is open; the others were saved "
                "beside their originals as:\n\n" + "\n".join(str(p) for p in copies),
            )

    def _recovered_text(self, entry: RecoveryEntry) -> Memo | None:
        try:
            text = entry.content_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.report_error(f"Could not read the recovered copy of {entry.title}: {exc}")
            return None
        memo, problems = parse_memo(text, entry.title)
        if memo is None:
            self.report_error(
                f"The recovered copy of {entry.title} cannot be read; it was kept in "
                f"{entry.content_path}.\n" + "\n".join(str(p) for p in problems)
            )
        return memo

    def _restore_memo(self, entry: RecoveryEntry) -> MemoDocument | None:
        memo = self._recovered_text(entry)
        if memo is None:
            return None
        original = Path(entry.original) if entry.original else None
        template = self._template_for(memo, entry.title)
        if template is None:
            return None
        lock, read_only = (None, False) if original is None else self._lock_for(original)
        if original is not None and lock is None:
            original = None  # someone else has it open: the restored text stays untitled
        doc = self.set_document(memo, template, original, lock=lock)
        if original is not None:
            # What the recovered text was based on: if the file changed since, Save asks.
            doc.fingerprint = entry.based_on or None
        self.stack.resetClean()  # restored work is unsaved until the user saves it
        self._update_title()
        self.notify(f"Restored {entry.title}, autosaved {entry.saved_at.replace('T', ' ')}.")
        return doc

    def _recovered_copy(self, entry: RecoveryEntry) -> Path | None:
        memo = self._recovered_text(entry)
        if memo is None:
            return None
        if entry.original:
            base = Path(entry.original)
        else:
            base = Path(self.settings.get(S.LAST_MEMO_FOLDER) or Path.home()) / "memo.brief.yaml"
        stem = base.name.removesuffix(MEMO_SUFFIX)
        target, n = base.with_name(f"{stem} (recovered){MEMO_SUFFIX}"), 2
        while target.exists():
            target, n = base.with_name(f"{stem} (recovered {n}){MEMO_SUFFIX}"), n + 1
        try:
            storage.atomic_write_text(target, memo_to_yaml(memo))
        except OSError as exc:
            self.report_error(
                f"Could not save the recovered copy of {entry.title} to {target}: "
                f"{exc.strerror or exc}. It stays in the recovery folder for next time."
            )
            return None
        return target

    def _restore_card(self, entry: RecoveryEntry) -> bool:
        try:
            draft = card_from_draft(entry.content_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError) as exc:
            self.report_error(
                f"The recovered card “{entry.title}” cannot be read ({exc}); it was kept in "
                f"{entry.content_path}."
            )
            return False
        original = self.workspace.library.get(entry.card_id) if entry.card_id else None
        draft = dataclasses.replace(draft, origin=original.origin if original else None)
        self._open_editor(CardEditor(original, self.workspace.library, self, draft=draft))
        return True

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.get(S.RECENT_FILES)
        for entry in recent:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setToolTip(entry)
            action.triggered.connect(lambda _=False, p=entry: self._open_recent(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            self.notify(f"{path} no longer exists")
            return
        if self.maybe_save():
            self.open_path(path)

    # -- export -----------------------------------------------------------------------
    def export(self, suffix: str) -> None:
        if self.doc is None:
            self.notify("Open or start a memo first.")
            return
        folder = self.settings.get(S.LAST_EXPORT_FOLDER) or str(
            self.doc.path.parent if self.doc.path else Path.home()
        )
        stem = self.doc.path.name.removesuffix(MEMO_SUFFIX) if self.doc.path else "memo"
        kind = "Word document (*.docx)" if suffix == ".docx" else "PDF (*.pdf)"
        chosen = dialogs.save_file(
            self,
            "Export to Word" if suffix == ".docx" else "Export to PDF",
            str(Path(folder) / (stem + suffix)),
            kind,
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.settings.set(S.LAST_EXPORT_FOLDER, str(path.parent))
        result = self.run_export(path)
        if result is not None:
            pages = f" ({result.pages} pages)" if result.pages else ""
            warnings = "\n".join(result.warnings)
            text = f"Exported to {path}{pages}." + (
                f"\n\nWarnings:\n{warnings}" if warnings else ""
            )
            if dialogs.offer_open(self, path, text):
                dialogs.open_url(path)

    def run_export(self, path: Path) -> ExportResult | None:
        """Export with a progress dialog; errors become a dialog that says what to do."""
        from briefer.render.export import ExportResult, iter_export  # first export pays

        assert self.doc is not None
        progress = QProgressDialog("Exporting…", "Cancel", 0, 100, self)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        result = ExportResult(path)
        steps = iter_export(copy.deepcopy(self.doc.memo), path, self.workspace, None, result)
        try:
            for done, total in steps:
                progress.setMaximum(total)
                progress.setValue(done)
                QApplication.processEvents()
                if progress.wasCanceled():
                    steps.close()  # removes the temporary file; any earlier export is kept
                    self.notify("Export cancelled")
                    return None
        except BrieferError as exc:
            dialogs.tell(
                self,
                "Export failed",
                f"The memo could not be exported: {exc}\n\nFix the problem and export again.",
                error=True,
            )
            return None
        except OSError as exc:
            dialogs.tell(
                self,
                "Export failed",
                f"Could not write {path}: {exc.strerror or exc}. If the file is open in another "
                "program, close it; or choose another folder.",
                error=True,
            )
            return None
        finally:
            progress.close()
        self.notify(f"Exported {path}")
        return result

    # -- cards ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.dock.show()
        self.library_panel.search.setFocus()
        self.library_panel.search.selectAll()

    def edit_selected_card(self) -> None:
        card = self.library_panel.current_card()
        if card is not None:
            self.edit_card(card.id)

    def edit_card(self, card_id: str) -> CardEditor | None:
        card = self.workspace.library.get(card_id)
        if card is None:
            return None
        return self._open_editor(CardEditor(card, self.workspace.library, self))

    def new_card(self, kind: str, strategy: str) -> CardEditor:
        draft = Card(id="", kind=kind, title="", body="", strategy=(strategy,) if strategy else ())
        return self._open_editor(CardEditor(None, self.workspace.library, self, draft=draft))

    def duplicate_card(self) -> CardEditor | None:
        card = self.library_panel.current_card()
        if card is None:
            self.notify("Select a card in the library to duplicate.")
            return None
        new_id, n = f"{card.id}-copy", 2
        while new_id in self.workspace.library.cards:
            new_id, n = f"{card.id}-copy-{n}", n + 1
        draft = dataclasses.replace(card, id=new_id, title=f"{card.title} (copy)", origin=None)
        return self._open_editor(CardEditor(None, self.workspace.library, self, draft=draft))

    def _open_editor(self, editor: CardEditor) -> CardEditor:
        self._editor_count += 1
        key = f"{HOST}-{os.getpid()}-card-{self._editor_count}"
        self.editors[key] = editor
        editor.save_requested.connect(lambda old, new: self._editor_save(editor, old, new))
        editor.edited.connect(self._start_autosave)
        editor.finished.connect(lambda _: self._editor_closed(key))
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

    def _editor_save(self, editor: CardEditor, old: Card | None, new: Card) -> None:
        if self.save_card(old, new):
            editor.accept()
        else:
            editor.show_problem("Not saved; your text is still here. See the message.")

    def _editor_closed(self, key: str) -> None:
        self.editors.pop(key, None)
        self.recovery.remove(key)

    def card_path(self, old: Card | None) -> tuple[Path, str]:
        """Where a card is written, and a note when that is not its own file."""
        user = S.user_library_dir(self.settings)
        if old is None or old.origin is None:
            return user / "my-cards.yaml", ""
        bundled = paths.bundled_library()
        if paths.is_frozen() and old.origin.path.is_relative_to(bundled):
            return (
                user / "edited-bundled-cards.yaml",
                "The bundled library is read-only; your edit was saved as a copy in your "
                f"library ({user}).",
            )
        return old.origin.path, ""

    def save_card(self, old: Card | None, new: Card) -> bool:
        """Write a card to its file, then record it for undo. False leaves the editor open."""
        path, note = self.card_path(old)
        if (
            old is not None
            and old.origin is not None
            and old.origin.path == path
            and not self._card_unchanged_on_disk(old, path)
        ):
            return False
        # Made before the write: it records the entry's old text for undo.
        command = PutCardCommand(self.model, old, new, path, self.report_error, written=True)
        try:
            write_card(new, path)
        except (OSError, BrieferError) as exc:
            reason = save_failure(exc) if isinstance(exc, OSError) else str(exc)
            log = write_log(f"Could not save card {new.id} to {path}", exc)
            dialogs.tell(
                self,
                "Could not save card",
                f"The card “{new.title}” could not be saved to {path}: {reason} The file was "
                "not changed and the editor stays open with your text.",
                detail=f"{exc}\n\nDetails are in the log: {log}",
                error=True,
            )
            return False
        self.stack.push(command)
        self.watcher.set_seen(path, storage.fingerprint(path))
        self.library_panel.select_card(new.id)
        self.notify(note or f"Saved card “{new.title}” to {path.name}")
        return True

    def _card_unchanged_on_disk(self, old: Card, path: Path) -> bool:
        """True if the card in its file is still as the editor found it, or the user says
        to overwrite the colleague's version."""
        cards, _ = read_card_file(path)
        on_disk = next((c for c in cards if c.id == old.id), None)
        if on_disk == old:  # Card equality leaves out where it was read from
            return True
        what = "was removed from" if on_disk is None else "was changed in"
        answer = dialogs.choose(
            self,
            "Card changed on disk",
            f"The card “{old.title}” {what} {path.name} after you began editing it (by a "
            "colleague, git or a sync client). Saving would overwrite their version.\n\n"
            "Overwrite it with yours, or cancel and keep editing (copy your text, then "
            "reopen the card to see theirs).",
            ["Overwrite", "Cancel"],
        )
        return answer == "Overwrite"

    def delete_card(self) -> None:
        card = self.library_panel.current_card()
        if card is None:
            self.notify("Select a card in the library to delete.")
            return
        users = self.memos_using(card.id)
        used = (
            f"It is used in the open memo {', '.join(users)}, which will show it as missing."
            if users
            else "No open memo uses it."
        )
        if dialogs.confirm(
            self, "Delete card", f"Delete the card “{card.title}” from its file? {used}", "Delete"
        ):
            self.stack.push(DeleteCardCommand(self.model, card, self.report_error))

    # -- settings and help ------------------------------------------------------------
    def preferences(self) -> None:
        from briefer.gui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.notify("Preferences saved. Library folder changes apply at the next start.")

    def about(self) -> None:
        dialogs.tell(
            self,
            "About Briefer",
            "Briefer drafts briefing memos from a library of cards and exports them to Word "
            "and PDF. It works offline and makes no network connection.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave_now()  # open card editors with changes stay for the next start
        self.recovery.remove(MEMO_KEY)  # the memo was saved, or its changes discarded
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.preview.wait_idle()
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.WINDOW_STATE, self.saveState())
        self.settings.sync()
        event.accept()


def save_failure(exc: OSError) -> str:
    """Why a write failed and what to do, in words."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full. Free some space, or save somewhere else."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "Briefer may not write there (the folder or file is read-only or locked)."
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "the folder does not exist (a removed drive or a renamed folder?)."
    return f"{exc.strerror or exc}."
