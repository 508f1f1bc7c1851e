"""The book view: the cover fields, the tabs in order, and the whole book's pages."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefer.core import markings
from briefer.core.workspace import Workspace
from briefer.gui.book_document import BookDocument
from briefer.gui.preview import BookPreview
from briefer.gui.spelling import SpellLineEdit

TEXT_FIELDS = (
    ("title", "Title"),
    ("subtitle", "Subtitle"),
    ("date", "Date"),
    ("prepared_by", "Prepared by"),
)


class TabListView(QListView):
    """The tabs. Alt+Up/Down moves the selected tab; Delete removes; F2 renames."""

    move_requested = Signal(int)  # step
    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class BookView(QWidget):
    """Shows one BookDocument. Asks the window, by signal, for what needs it (choosing
    files, the open memo, opening a tab's memo); every change goes to the book's stack."""

    add_files_requested = Signal()
    add_open_memo_requested = Signal()
    open_memo_requested = Signal(object)  # Path

    def __init__(self, doc: BookDocument, workspace: Workspace) -> None:
        super().__init__()
        self.doc = doc
        book = doc.book
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, label in TEXT_FIELDS:
            edit = (
                SpellLineEdit(str(getattr(book, name) or ""))
                if name
                in (
                    "title",
                    "subtitle",
                )
                else QLineEdit(str(getattr(book, name) or ""))
            )
            edit.setAccessibleName(f"Book {label.lower()}")
            edit.textEdited.connect(lambda text, n=name: doc.set_field(n, text))
            edit.setReadOnly(doc.read_only)
            self.fields[name] = edit
            form.addRow(label, edit)
        self.fields["date"].setPlaceholderText("as it should print, e.g. 2023-07-16")
        self.marking = QComboBox()
        self.marking.setAccessibleName("Book marking")
        self.marking.setToolTip("Raises the book's banner above its tabs' markings; never lowers")
        self.marking.addItem("From the tabs", None)
        for code in markings.CODES:
            self.marking.addItem(f"At least {code}", code)
        self.marking.activated.connect(lambda: doc.set_field("marking", self.marking.currentData()))
        form.addRow("Marking", self.marking)
        # Short labels and two columns of buttons: with a book open, the window must still
        # fit a 1,366-pixel laptop screen (the book's side was 729 pixels at the least).
        self.draft = QCheckBox("Mark every page DRAFT")
        self.draft.setToolTip("A pale DRAFT across every page, and the time it was printed")
        self.draft.toggled.connect(lambda on: doc.set_field("draft", on))
        self.dividers = QCheckBox("A divider page before each tab")
        self.dividers.toggled.connect(lambda on: doc.set_field("dividers", on))
        form.addRow("", self.draft)
        form.addRow("", self.dividers)

        self.tabs = TabListView()
        self.tabs.setModel(doc.tabs)
        self.tabs.setAccessibleName("Tabs of the book")
        self.tabs.setToolTip(
            "Drag to reorder (or Alt+Up/Down); F2 or double-click renames; Delete removes"
        )
        self.tabs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tabs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tabs.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tabs.setDropIndicatorShown(True)
        self.tabs.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tabs.move_requested.connect(self.move_selected)
        self.tabs.remove_requested.connect(self.remove_selected)
        buttons = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot, tip in (
            ("add", "Add memos…", self.add_files_requested.emit, "Add memo files as tabs"),
            (
                "add-open",
                "Add the open memo",
                self.add_open_memo_requested.emit,
                "The memo in the composer",
            ),
            ("rename", "Rename", self.rename_selected, "Give the tab its own title (F2)"),
            ("up", "Move up", lambda: self.move_selected(-1), "Move the tab up (Alt+Up)"),
            ("down", "Move down", lambda: self.move_selected(1), "Move the tab down (Alt+Down)"),
            (
                "remove",
                "Remove",
                self.remove_selected,
                "Remove the tab; its memo file stays (Delete)",
            ),
            ("open", "Open memo", self.open_selected, "Open the tab's memo in the composer"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button, len(self.buttons) // 2, len(self.buttons) % 2)
            self.buttons[key] = button
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff4ce; border: 1px solid #c9a227; padding: 6px; color: #3b2f00;"
        )
        self.banner.setVisible(doc.read_only)
        self.banner.setText(
            "<b>Read-only.</b> This book is open in another Briefer. Use Save As to keep "
            "your own copy."
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.banner)
        heading = QLabel("<b>Briefing book</b> — the cover, then the tabs in order")
        heading.setWordWrap(True)
        left_layout.addWidget(heading)
        left_layout.addLayout(form)
        left_layout.addWidget(QLabel("Tabs"))
        left_layout.addWidget(self.tabs, 1)
        left_layout.addLayout(buttons)
        self.preview = BookPreview(workspace)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        # A tab's buttons are greyed until a tab is selected (and Move up at the top).
        self.tabs.selectionModel().currentChanged.connect(self._update_buttons)
        for changed in (
            doc.tabs.rowsInserted,
            doc.tabs.rowsRemoved,
            doc.tabs.rowsMoved,
            doc.tabs.modelReset,
        ):
            changed.connect(self._update_buttons)
        self._update_buttons()
        self.show_fields()
        doc.field_changed.connect(self.show_fields)
        doc.changed.connect(self.preview.schedule)
        doc.tabs.rename_requested.connect(doc.rename_tab)
        self.preview.set_book(doc.book)

    def show_fields(self, _name: str = "") -> None:
        """Every widget shows the book as it is (after an edit, an undo or a redo)."""
        book = self.doc.book
        for name, edit in self.fields.items():
            value = str(getattr(book, name) or "")
            if edit.text() != value:
                edit.setText(value)
                if not edit.hasFocus():  # opened, undone or redone: show the value's start
                    edit.setCursorPosition(0)
        self.marking.setCurrentIndex(max(self.marking.findData(book.marking), 0))
        for box, on in ((self.draft, book.draft), (self.dividers, book.dividers)):
            box.blockSignals(True)
            box.setChecked(bool(on))
            box.blockSignals(False)
        self.draft.setEnabled(not self.doc.read_only)
        self.dividers.setEnabled(not self.doc.read_only)
        self.marking.setEnabled(not self.doc.read_only)

    def _update_buttons(self) -> None:
        row, count = self.selected_row(), self.doc.tabs.rowCount()
        allowed = {
            "add": True,
            "add-open": True,
            "rename": row >= 0,
            "up": row > 0,
            "down": 0 <= row < count - 1,
            "remove": row >= 0,
        }
        for key, button in self.buttons.items():
            if key == "open":  # a read-only book's memos open all the same
                button.setEnabled(row >= 0)
            else:
                button.setEnabled(allowed[key] and not self.doc.read_only)

    def selected_row(self) -> int:
        index = self.tabs.currentIndex()
        return index.row() if index.isValid() else -1

    def move_selected(self, step: int) -> None:
        row = self.selected_row()
        if row < 0:
            return
        target = row + step
        if not 0 <= target < self.doc.tabs.rowCount():
            return
        self.doc.move_tab(row, target + 1 if step > 0 else target)
        self.tabs.setCurrentIndex(self.doc.tabs.index(target))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.tabs.selectionModel().selectedRows()})
        if not rows and self.selected_row() >= 0:
            rows = [self.selected_row()]
        self.doc.remove_tabs(rows)

    def rename_selected(self) -> None:
        index = self.tabs.currentIndex()
        if index.isValid():
            self.tabs.edit(index)

    def open_selected(self, index: QModelIndex | None = None) -> None:
        row = index.row() if index is not None and index.isValid() else self.selected_row()
        if row >= 0:
            self.open_memo_requested.emit(self.doc.book.tabs[row].path(self.doc.book.path))
