"""A memo section in the composer: its guidance, the kinds it takes, its items (a list
that takes drops and the keyboard's moves) and the buttons for the selected item."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from briefer.core.rules import KIND_LABELS
from briefer.gui.models import SectionModel

MAX_ROWS_SHOWN = 8  # a section box grows with its items up to this many, then scrolls


class SectionListView(QListView):
    """A section's list. Delete removes; Alt+Up/Down reorders; Alt+Shift+Up/Down moves the
    item to the previous or next section: the keyboard's way to do what dragging does."""

    remove_requested = Signal()
    move_requested = Signal(int, bool)  # step, across sections
    focused = Signal()
    width_changed = Signal()  # its rows wrap again: the box fits them again

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.width_changed.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.focused.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if event.matches(QKeySequence.StandardKey.Delete) or (
            event.key() == Qt.Key.Key_Backspace and not alt
        ):
            self.remove_requested.emit()
            return
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.move_requested.emit(step, bool(mods & Qt.KeyboardModifier.ShiftModifier))
            return
        super().keyPressEvent(event)


class SectionBox(QGroupBox):
    """One section: its guidance, the kinds it takes, its items and their buttons. Asks for
    everything by signal (``requested``: add-cards, add-text, edit, revert, remove)."""

    requested = Signal(str)
    move_requested = Signal(int, bool)  # step, across sections

    def __init__(self, model: SectionModel, guidance: str) -> None:
        super().__init__(model.title)
        self.model = model
        kinds = ", ".join(KIND_LABELS.get(k, k) for k in model.section.kinds)
        note = QLabel(f"<i>{escape(guidance)}</i><br/>Takes: {kinds}")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.RichText)
        self.view = SectionListView()
        self.view.setModel(model)
        self.view.setAccessibleName(f"{model.title} items")
        self.view.setToolTip("Drop cards here; drag to reorder or to another section")
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Each row as tall as its wrapped text, laid out again when the width changes: one
        # height for all (the first row's) cut the last lines off a longer item.
        self.view.setWordWrap(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        # (once the view has laid the rows out at its width: their heights depend on it)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit)
        for changed in (
            self.view.width_changed,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
        ):
            changed.connect(self._fit_timer.start)
        self.view.activated.connect(lambda _index: self.requested.emit("edit"))
        # Three to a row: the composer fits a narrow window without scrolling sideways.
        buttons = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        self._read_only = False
        for label, action, tip in (
            (
                "Add selected card",
                "add-cards",
                "Add the cards selected in the library (keyboard alternative to dragging)",
            ),
            ("Add text", "add-text", "Type a paragraph"),
            ("Edit…", "edit", "Reword for this memo"),
            ("Revert", "revert", "Back to the card"),
            ("Changes…", "compare", "Compare with the library's card, word by word"),
            ("Remove", "remove", "Remove (Delete)"),
        ):
            button = QPushButton(label)
            button.setToolTip(tip)
            button.setAccessibleName(f"{label.rstrip('…')} in {model.title}")
            button.clicked.connect(lambda _=False, a=action: self.requested.emit(a))
            buttons.addWidget(button, len(self.buttons) // 3, len(self.buttons) % 3)
            self.buttons[action] = button
        buttons.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.view.remove_requested.connect(lambda: self.requested.emit("remove"))
        self.view.focused.connect(lambda: self.requested.emit("focus"))
        self.view.move_requested.connect(self.move_requested)
        # An item's buttons are greyed until an item they apply to is selected.
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        for changed in (model.dataChanged, model.rowsRemoved, model.modelReset):
            changed.connect(self._update_buttons)
        self._update_buttons()
        self._fit()

    def _fit(self) -> None:
        """As tall as its items, up to eight of them, and room for one more to drop."""
        line = self.view.fontMetrics().lineSpacing() + 6
        shown = min(len(self.model.items), MAX_ROWS_SHOWN)
        self.view.executeDelayedItemsLayout()  # (if one is due) the rows as drawn
        rows = sum(
            max(self.view.visualRect(self.model.index(row, 0)).height(), line)
            for row in range(shown)
        )
        spare = line if len(self.model.items) < MAX_ROWS_SHOWN else 0
        self.view.setFixedHeight(rows + spare + 2 * self.view.frameWidth() + 4)

    def set_read_only(self, read_only: bool) -> None:
        mode = QAbstractItemView.DragDropMode
        self.view.setDragDropMode(mode.DragOnly if read_only else mode.DragDrop)
        self._read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Edit and Remove need a selected item; Changes a card item; Revert a reworded
        one (the first selected, as the commands take it). Nothing, read-only."""
        rows = [row for row in self.selected_rows() if row < len(self.model.items)]
        item = self.model.items[rows[0]] if rows else None
        allowed = {
            "add-cards": True,
            "add-text": True,
            "edit": item is not None,
            "remove": item is not None,
            "revert": item is not None and item.is_override,
            "compare": item is not None and item.card is not None,
        }
        for action, button in self.buttons.items():
            button.setEnabled(allowed[action] and not self._read_only)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
