"""The main window: board, library, composer and preview, wired together in one place."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoStack
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

from briefer.core import paths
from briefer.core.cards import Card
from briefer.core.memos import Memo, format_date, read_memo
from briefer.core.problems import BrieferError
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
from briefer.gui.models import CardListModel, CardRole, card_mime
from briefer.gui.preview import PreviewPane

if TYPE_CHECKING:
    from briefer.render.export import ExportResult

MEMO_FILTER = "Briefer memos (*.brief.yaml);;All files (*)"
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

        self._create_actions()
        self._create_menus()
        self._connect()
        self._restore()
        self._update_title()
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
        view.addActions([self.act_board, self.act_memo, self.dock.toggleViewAction()])
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
        template = self.workspace.templates.get(memo.template)
        if template is None:
            dialog = TemplateDialog(
                self.workspace,
                self,
                note=f"{path.name} uses the template {memo.template!r}, which this Briefer "
                "does not have. Choose the template to open it with.",
            )
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
                return None
            memo.template = dialog.chosen()
            template = self.workspace.templates.get(memo.template)
            assert template is not None
        doc = self.set_document(memo, template, path)
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.settings.add_recent(path)
        self._rebuild_recent()
        missing = sorted(i for i in memo.card_ids() if self.workspace.library.get(i) is None)
        if missing:
            self.notify(f"Missing cards shown as placeholders: {', '.join(missing)}")
        return doc

    def set_document(self, memo: Memo, template: MemoTemplate, path: Path | None) -> MemoDocument:
        if self.doc is not None:
            self.session_memos[self.doc.display_name] = self.doc.cards_used()
        self.stack.clear()
        doc = MemoDocument(memo, template, self.workspace.library, self.stack, path)
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
        if self.doc.path is None:
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
        assert self.doc is not None
        try:
            self.doc.save(path)
        except OSError as exc:
            dialogs.tell(
                self,
                "Could not save",
                f"Could not save {path}: {exc.strerror or exc}. Your changes are still here; "
                "choose another folder with Save As, or free some space and try again.",
                error=True,
            )
            return False
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.settings.add_recent(path)
        self._rebuild_recent()
        self._update_title()
        self.notify(f"Saved {path}")
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
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

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
        editor.save_requested.connect(self.save_card)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

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

    def save_card(self, old: Card | None, new: Card) -> None:
        path, note = self.card_path(old)
        self.stack.push(PutCardCommand(self.model, old, new, path, self.report_error))
        self.library_panel.select_card(new.id)
        self.notify(note or f"Saved card “{new.title}” to {path.name}")

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
        self.preview.wait_idle()
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.WINDOW_STATE, self.saveState())
        self.settings.sync()
        event.accept()
