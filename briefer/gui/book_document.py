"""One open briefing book: its tabs as a list model and every change an undo command."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoCommand, QUndoStack

from briefer.core.books import Book, BookTab
from briefer.core.memos import read_memo
from briefer.core.problems import counted

TAB_MIME = "application/x-briefer-book-tab"
Index = QModelIndex | QPersistentModelIndex
BOOK_FIELDS = ("title", "subtitle", "date", "prepared_by", "marking", "draft", "dividers")


class BookTabsModel(QAbstractListModel):
    """The tabs in order; rows can be dragged to a new place (an undoable move)."""

    move_requested = Signal(int, int)  # from row, to row (before which it goes)
    rename_requested = Signal(int, str)  # row, new title (typed in place)

    def __init__(self, book: Book, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self._subjects: dict[Path, str] = {}  # memo file -> its subject, read once

    def subject(self, tab: BookTab) -> str:
        """What the tab is called when it has no title of its own: its memo's subject."""
        path = tab.path(self.book.path)
        if path not in self._subjects:
            memo = read_memo(path)[0] if path.is_file() else None
            subject = memo.header.get("subject") or memo.header.get("event", "") if memo else ""
            self._subjects[path] = subject or ("(missing file)" if memo is None else path.name)
        return self._subjects[path]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.book.tabs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.book.tabs):
            return None
        tab = self.book.tabs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = tab.title or self.subject(tab)
            return f"Tab {index.row() + 1}: {title}  ·  {tab.memo}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(tab.path(self.book.path))
        if role == Qt.ItemDataRole.EditRole:
            return tab.title or ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsEditable
        )

    def setData(  # noqa: N802 - Qt override
        self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        self.rename_requested.emit(index.row(), str(value))  # an undoable rename
        return True

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [TAB_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(TAB_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(TAB_MIME):
            return False
        rows = [int(r) for r in bytes(data.data(TAB_MIME).data()).decode().split(",") if r]
        if len(rows) != 1:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.book.tabs))
        self.move_requested.emit(rows[0], target)
        return False  # the move is done by the undo command, not by the view

    def refresh(self) -> None:
        """Show the tabs again (after a save elsewhere, or a memo saved since)."""
        self.beginResetModel()
        self._subjects.clear()
        self.endResetModel()


class BookDocument(QObject):
    """The book, its tabs model and its undo stack. ``changed`` after every change."""

    changed = Signal()
    field_changed = Signal(str)

    def __init__(self, book: Book, read_only: bool = False) -> None:
        super().__init__()
        self.book = book
        self.read_only = read_only
        self.stack = QUndoStack(self)
        self.tabs = BookTabsModel(book, self)
        self.tabs.move_requested.connect(self.move_tab)

    def set_field(self, name: str, value: object) -> None:
        if getattr(self.book, name) != value and not self.read_only:
            self.stack.push(SetBookFieldCommand(self, name, value))

    def insert_tabs(self, row: int, tabs: Sequence[BookTab]) -> None:
        if tabs and not self.read_only:
            self.stack.push(InsertTabsCommand(self, row, list(tabs)))

    def remove_tabs(self, rows: Sequence[int]) -> None:
        if rows and not self.read_only:
            self.stack.push(RemoveTabsCommand(self, rows))

    def move_tab(self, source: int, target: int) -> None:
        """Move one tab so it goes before ``target`` (as a drop does)."""
        count = len(self.book.tabs)
        if self.read_only or not 0 <= source < count:
            return
        target = max(0, min(target, count))
        final = target - 1 if target > source else target
        if final != source:
            self.stack.push(MoveTabCommand(self, source, final))

    def rename_tab(self, row: int, title: str) -> None:
        tab = self.book.tabs[row]
        new = title.strip() or None
        if new != tab.title and not self.read_only:
            self.stack.push(RenameTabCommand(self, row, new))


class SetBookFieldCommand(QUndoCommand):
    """A cover field, the marking, draft mode or dividers."""

    def __init__(self, doc: BookDocument, name: str, value: object) -> None:
        super().__init__(f"Change the book's {name.replace('_', ' ')}")
        self.doc, self.name, self.value = doc, name, value
        self.old = getattr(doc.book, name)

    def id(self) -> int:
        return 7301

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        text_field = isinstance(self.value, str) and self.name != "marking"
        if isinstance(other, SetBookFieldCommand) and other.name == self.name and text_field:
            self.value = other.value  # typing in one field is one undo step
            return True
        return False

    def _apply(self, value: object) -> None:
        setattr(self.doc.book, self.name, value)
        self.doc.field_changed.emit(self.name)
        self.doc.changed.emit()

    def redo(self) -> None:
        self._apply(self.value)

    def undo(self) -> None:
        self._apply(self.old)


class InsertTabsCommand(QUndoCommand):
    def __init__(self, doc: BookDocument, row: int, tabs: list[BookTab]) -> None:
        super().__init__(f"Add {counted(len(tabs), 'tab')}")
        self.doc, self.row, self.tabs = doc, row, tabs

    def redo(self) -> None:
        model = self.doc.tabs
        model.beginInsertRows(QModelIndex(), self.row, self.row + len(self.tabs) - 1)
        self.doc.book.tabs[self.row : self.row] = [dataclasses.replace(t) for t in self.tabs]
        model.endInsertRows()
        self.doc.changed.emit()

    def undo(self) -> None:
        model = self.doc.tabs
        model.beginRemoveRows(QModelIndex(), self.row, self.row + len(self.tabs) - 1)
        del self.doc.book.tabs[self.row : self.row + len(self.tabs)]
        model.endRemoveRows()
        self.doc.changed.emit()


class RemoveTabsCommand(QUndoCommand):
    def __init__(self, doc: BookDocument, rows: Sequence[int]) -> None:
        super().__init__(f"Remove {counted(len(rows), 'tab')}")
        self.doc = doc
        self.removed = [(r, doc.book.tabs[r]) for r in sorted(set(rows))]

    def redo(self) -> None:
        model = self.doc.tabs
        model.beginResetModel()
        for row, _ in reversed(self.removed):
            del self.doc.book.tabs[row]
        model.endResetModel()
        self.doc.changed.emit()

    def undo(self) -> None:
        model = self.doc.tabs
        model.beginResetModel()
        for row, tab in self.removed:
            self.doc.book.tabs.insert(row, tab)
        model.endResetModel()
        self.doc.changed.emit()


class MoveTabCommand(QUndoCommand):
    def __init__(self, doc: BookDocument, source: int, final: int) -> None:
        super().__init__("Move tab")
        self.doc, self.source, self.final = doc, source, final

    def _move(self, source: int, final: int) -> None:
        model = self.doc.tabs
        model.beginResetModel()
        tab = self.doc.book.tabs.pop(source)
        self.doc.book.tabs.insert(final, tab)
        model.endResetModel()
        self.doc.changed.emit()

    def redo(self) -> None:
        self._move(self.source, self.final)

    def undo(self) -> None:
        self._move(self.final, self.source)


class RenameTabCommand(QUndoCommand):
    def __init__(self, doc: BookDocument, row: int, title: str | None) -> None:
        super().__init__("Rename tab")
        self.doc, self.row, self.title = doc, row, title
        self.old = doc.book.tabs[row].title

    def _apply(self, title: str | None) -> None:
        self.doc.book.tabs[self.row].title = title
        index = self.doc.tabs.index(self.row)
        self.doc.tabs.dataChanged.emit(index, index)
        self.doc.changed.emit()

    def redo(self) -> None:
        self._apply(self.title)

    def undo(self) -> None:
        self._apply(self.old)
