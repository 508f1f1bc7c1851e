"""Spell checking in the window's text fields: red wavy underlines as you type, and the
right-click menu's suggestions, "Add to dictionary" and "Ignore" (core/spelling.py checks)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QPlainTextEdit, QWidget

from briefer.core.spelling import Misspelling, Speller
from briefer.gui import settings as S

UNDERLINE = QColor("#d0021b")


def _utf16(text: str, index: int) -> int:
    """A Python string index as Qt counts it (UTF-16 code units)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)


def _from_utf16(text: str, position: int) -> int:
    units = 0
    for index, ch in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class Spelling(QObject):
    """The window's one speller, loaded on first use; ``changed`` when a word is added or
    checking is switched on or off, so every field redraws."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._settings = S.Settings()
        self.enabled = bool(self._settings.get(S.SPELL_CHECK))
        self._speller: Speller | None = None

    def set_enabled(self, on: bool) -> None:
        """Switch checking as you type on or off (remembered)."""
        self._settings.set(S.SPELL_CHECK, on)
        if on != self.enabled:
            self.enabled = on
            self.changed.emit()

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller(S.user_dictionary())
        return self._speller

    def misspelled(self, text: str) -> list[Misspelling]:
        return self.speller.misspelled(text) if self.enabled and text.strip() else []

    def add(self, word: str) -> None:
        self.speller.add(word)
        self.changed.emit()

    def ignore(self, word: str) -> None:
        self.speller.ignore(word)
        self.changed.emit()


_SPELLING: list[Spelling] = []


def spelling() -> Spelling:
    """The application's spelling service (one per process)."""
    if not _SPELLING:
        _SPELLING.append(Spelling())
    return _SPELLING[0]


def reset() -> None:
    """Forget the loaded dictionaries (tests, or after the data folder changed)."""
    _SPELLING.clear()


def add_suggestions(
    menu: QMenu, miss: Misspelling | None, replace: Callable[[Misspelling, str], None]
) -> None:
    """Put the corrections for ``miss`` and the dictionary actions at the top of ``menu``."""
    if miss is None:
        return
    service = spelling()
    first = menu.actions()[0] if menu.actions() else None
    entries: list[QAction] = []
    suggestions = service.speller.suggestions(miss.word)
    for word in suggestions:
        action = QAction(word, menu)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(lambda _=False, w=word: replace(miss, w))
        entries.append(action)
    if not suggestions:
        none = QAction("(no suggestions)", menu)
        none.setEnabled(False)
        entries.append(none)
    add = QAction(f"Add “{miss.word}” to dictionary", menu)
    add.triggered.connect(lambda: service.add(miss.word))
    ignore = QAction(f"Ignore “{miss.word}”", menu)
    ignore.triggered.connect(lambda: service.ignore(miss.word))
    entries += [add, ignore]
    menu.insertActions(first, entries)  # type: ignore[arg-type]
    menu.insertSeparator(first)  # type: ignore[arg-type]


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the misspelled words of a text document."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(UNDERLINE)
        spelling().changed.connect(self.rehighlight)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for miss in spelling().misspelled(text):
            start = _utf16(text, miss.start)
            self.setFormat(start, _utf16(text, miss.end) - start, self._format)


def text_menu(edit: QPlainTextEdit, pos: QPoint) -> QMenu:
    """The right-click menu of a multi-line field at ``pos`` (viewport coordinates)."""
    cursor = edit.cursorForPosition(pos)
    block = cursor.block().text()
    where = _from_utf16(block, cursor.positionInBlock())
    service = spelling()
    usable = service.enabled and not edit.isReadOnly()
    miss = service.speller.at(block, where) if usable else None
    menu = edit.createStandardContextMenu(pos)

    def replace(found: Misspelling, word: str) -> None:
        start = cursor.block().position() + _utf16(block, found.start)
        edit_cursor = QTextCursor(edit.document())
        edit_cursor.setPosition(start)
        edit_cursor.setPosition(
            start + _utf16(block, found.end) - _utf16(block, found.start),
            QTextCursor.MoveMode.KeepAnchor,
        )
        edit_cursor.insertText(word)  # one step of the field's own undo

    add_suggestions(menu, miss, replace)
    return menu


def check_spelling(edit: QPlainTextEdit) -> SpellHighlighter:
    """Spell check a multi-line field: underlines, and corrections on right-click."""
    highlighter = SpellHighlighter(edit.document())
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos: QPoint) -> None:
        menu = text_menu(edit, pos)
        menu.exec(edit.viewport().mapToGlobal(pos))
        menu.deleteLater()

    edit.customContextMenuRequested.connect(show_menu)
    edit.setProperty("spell_checked", True)
    return highlighter


class SpellLineEdit(QLineEdit):
    """A one-line field with the same underlines and right-click corrections."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._cache: tuple[str, list[Misspelling]] = ("", [])
        spelling().changed.connect(self._forget)
        self.setProperty("spell_checked", True)

    def _forget(self) -> None:
        self._cache = ("", [])
        self.update()

    def misspelled(self) -> list[Misspelling]:
        text = self.text()
        if self._cache[0] != text or not text:
            ok = self.echoMode() == QLineEdit.EchoMode.Normal and not self.isReadOnly()
            self._cache = (text, spelling().misspelled(text) if ok else [])
        return self._cache[1]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        found = self.misspelled()
        if not found:
            return
        text, metrics = self.text(), self.fontMetrics()
        # Where the text starts, scrolled or not: the cursor's x less the width before it.
        cursor_x = self.cursorRect().center().x()
        base = cursor_x - metrics.horizontalAdvance(
            text[: _from_utf16(text, self.cursorPosition())]
        )
        y = (self.height() + metrics.ascent() - metrics.descent()) / 2 + 2.5
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(UNDERLINE, 1))
        painter.setClipRect(self.contentsRect())
        for miss in found:
            left = base + metrics.horizontalAdvance(text[: miss.start])
            right = base + metrics.horizontalAdvance(text[: miss.end])
            path, x, up = QPainterPath(QPointF(left, y)), left, True
            while x < right:
                x = min(x + 2, right)
                path.lineTo(QPointF(x, y - 1.5 if up else y))
                up = not up
            painter.drawPath(path)
        painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.spelling_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def spelling_menu(self, pos: QPoint) -> QMenu:
        """The right-click menu at ``pos``: corrections first when a word there is wrong."""
        menu = self.createStandardContextMenu()
        text = self.text()
        where = _from_utf16(text, self.cursorPositionAt(pos))
        miss = next((m for m in self.misspelled() if m.start <= where <= m.end), None)

        def replace(found: Misspelling, word: str) -> None:
            start = _utf16(text, found.start)
            self.setSelection(start, _utf16(text, found.end) - start)
            self.insert(word)  # as typing does: textEdited, and the field's undo

        add_suggestions(menu, miss, replace)
        return menu
