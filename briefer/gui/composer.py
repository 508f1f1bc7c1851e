"""The memo composer: the header form and the template's sections, each a droppable list."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from briefer.core import markings
from briefer.core.cards import Card
from briefer.core.find import Match
from briefer.core.memos import MemoItem, format_date
from briefer.core.rules import card_wording, memo_level
from briefer.core.templates import HEADER_FIELDS, Section
from briefer.core.versions import CardWording
from briefer.gui import dialogs
from briefer.gui.card_diff import USE_LIBRARY, CardChangeDialog
from briefer.gui.document import (
    InsertItemsCommand,
    MemoDocument,
    RemoveItemsCommand,
    ReplaceItemCommand,
)
from briefer.gui.section_box import SectionBox
from briefer.gui.spelling import SpellLineEdit, check_spelling


class ItemDialog(QDialog):
    """Edit free text, or reword a card for this memo only."""

    def __init__(
        self,
        title: str,
        body: str,
        with_title: bool,
        parent: QWidget | None = None,
        marking: str | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Reword for this memo" if with_title else "Edit text")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.title_edit = SpellLineEdit(title)
        self.title_edit.setAccessibleName("Title for this memo")
        if with_title:
            layout.addWidget(QLabel("Title"))
            layout.addWidget(self.title_edit)
        self.body_edit = QPlainTextEdit(body)
        self.body_edit.setAccessibleName("Text for this memo")
        self.body_edit.setTabChangesFocus(True)  # Tab moves on, as in every dialog
        check_spelling(self.body_edit)
        layout.addWidget(QLabel("Text (Markdown)"))
        layout.addWidget(self.body_edit, 1)
        # Typed text carries its own portion marking: it starts at the memo's (the
        # conservative choice) and the drafter may lower it.
        self.marking = QComboBox()
        self.marking.setAccessibleName("Portion marking of this text")
        for code in markings.CODES:
            self.marking.addItem(f"({code}) {markings.banner(code).title()}", code)
        self.marking.setCurrentIndex(max(self.marking.findData(marking), 0))
        if marking is not None:
            row = QHBoxLayout()
            row.addWidget(QLabel("Portion marking"))
            row.addWidget(self.marking)
            row.addStretch(1)
            layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok = QShortcut(QKeySequence("Ctrl+Return"), self)
        ok.activated.connect(self.accept)
        self._first = self._state()

    def _state(self) -> tuple[str, str, object]:
        return self.title_edit.text(), self.body_edit.toPlainText(), self.marking.currentData()

    def reject(self) -> None:
        """Cancel, Escape and the window's close: typed words are never dropped unasked."""
        name = self.title_edit.text().strip() or "this text"
        if self._state() != self._first and not dialogs.may_drop(self, name, self.accept):
            return
        super().reject()


_BODY = Section("", "", "", ())  # a section that shows a card's whole body


def _as_card(card: Card, seen: CardWording) -> Card:
    """The card with an earlier version's wording."""
    return dataclasses.replace(card, title=seen.title, short=seen.short, body=seen.body)


def _is_undo(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo)


class HeaderEdit(SpellLineEdit):
    """A header field whose Ctrl+Z and Ctrl+Shift+Z undo through the memo's stack, not the
    line edit's own history (which would leave the memo and the field out of step)."""

    undo_requested = Signal()
    redo_requested = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (_is_undo(event) or event.matches(QKeySequence.StandardKey.Redo))
        ):
            event.accept()  # deliver it to keyPressEvent below, not to a shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.redo_requested.emit()
        else:
            super().keyPressEvent(event)


class ComposerView(QWidget):
    """Shows one MemoDocument; every change is pushed to the document's undo stack."""

    message = Signal(str)
    add_cards_requested = Signal(str)  # section id: add the library's selected cards

    def __init__(self, doc: MemoDocument) -> None:
        super().__init__()
        self.doc = doc
        template = doc.template
        heading = QLabel(f"<b>{escape(template.name)}</b> — {escape(template.description)}")
        heading.setWordWrap(True)
        self.marking = QComboBox()
        self.marking.setAccessibleName("Memo marking")
        self.marking.setToolTip("Raises the banner above the cards' own markings; never lowers it")
        self.marking.addItem("From the cards", None)
        for code in markings.CODES:
            self.marking.addItem(f"At least {code}", code)
        self._show_marking(doc.memo.marking)
        self.marking.activated.connect(lambda: doc.set_marking(self.marking.currentData()))
        doc.marking_changed.connect(self._show_marking)

        form = QFormLayout()
        self.fields: dict[str, HeaderEdit] = {}
        for field in template.header:
            edit = self._header_edit(field, HEADER_FIELDS[field])
            if field == "date":
                edit.setPlaceholderText(f"today ({format_date(dt.date.today())}) if left empty")
            form.addRow(HEADER_FIELDS[field], edit)
        form.addRow("Marking", self.marking)
        # The classification authority block, printed on page one from CONFIDENTIAL up.
        for field, label in markings.AUTHORITY_FIELDS.items():
            edit = self._header_edit(field, label)
            edit.setPlaceholderText(
                f"needed when the memo is {markings.banner(markings.AUTHORITY_FROM)} or higher"
            )
            form.addRow(label, edit)
        doc.header_changed.connect(self._header_changed)

        self.boxes: dict[str, SectionBox] = {}
        # The section the Memo menu's item commands act on: the last one worked in.
        self.current_section = template.sections[0].id if template.sections else ""
        sections = QWidget()
        sections_layout = QVBoxLayout(sections)
        for section in template.sections:
            box = SectionBox(doc.models[section.id], section.guidance)
            box.requested.connect(lambda action, s=section.id: self._box_action(s, action))
            box.move_requested.connect(
                lambda step, across, s=section.id: self.move_selected(s, step, across)
            )
            self.boxes[section.id] = box
            sections_layout.addWidget(box)
        sections_layout.addStretch(1)
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Read-only notice")
        self.banner.setStyleSheet(
            "background: #fff4ce; border: 1px solid #c9a227; padding: 6px; color: #3b2f00;"
        )
        self.banner.hide()
        inner_layout.addWidget(self.banner)
        inner_layout.addWidget(heading)
        inner_layout.addLayout(form)
        inner_layout.addWidget(sections)
        scroll.setWidget(inner)
        # Never narrower than its buttons: the splitter stops there rather than cut them.
        bar = scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(inner.minimumSizeHint().width() + bar + 2 * scroll.frameWidth())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def scroll_to(self, widget: QWidget) -> None:
        self.scroll_area.ensureWidgetVisible(widget)

    def show_match(self, match: Match) -> None:
        """Show a find match: select it in its header field, or select its item."""
        if match.section is None:
            edit = self.fields.get(match.field)
            if edit is not None:
                self.scroll_to(edit)
                edit.setFocus()
                edit.setSelection(match.start, match.end - match.start)
            return
        box = self.boxes.get(match.section)
        if box is not None and match.index is not None:
            self.current_section = match.section
            self.scroll_to(box)
            box.view.setCurrentIndex(box.model.index(match.index))

    def item_action(self, action: str) -> None:
        """A Memo menu command on the selected item of the section last worked in."""
        section = self.current_section
        if section not in self.boxes:
            return
        if action.startswith("move"):
            step = -1 if action.endswith("up") else 1
            self.move_selected(section, step, across=action.startswith("move-section"))
        else:
            self._box_action(section, action)

    def _header_edit(self, field: str, label: str) -> HeaderEdit:
        doc = self.doc
        edit = HeaderEdit(doc.memo.header.get(field, ""))
        edit.setCursorPosition(0)  # a value longer than the box shows its start, not its end
        edit.setAccessibleName(label)
        edit.textEdited.connect(lambda text, f=field: doc.set_header(f, text))
        edit.undo_requested.connect(doc.stack.undo)
        edit.redo_requested.connect(doc.stack.redo)
        self.fields[field] = edit
        return edit

    def set_read_only(self, read_only: bool, why: str = "") -> None:
        """A read-only view: everything can be read and scrolled, nothing changed."""
        self.banner.setText(
            f"<b>Read-only.</b> {escape(why)} To work on it, use Save As to make your own copy."
        )
        self.banner.setVisible(read_only)
        for edit in self.fields.values():
            edit.setReadOnly(read_only)
        self.marking.setEnabled(not read_only)
        for box in self.boxes.values():
            box.set_read_only(read_only)

    def _editable(self) -> bool:
        if self.doc.read_only:
            self.message.emit("This memo is open read-only; use Save As to edit a copy.")
        return not self.doc.read_only

    def _box_action(self, section: str, action: str) -> None:
        self.current_section = section
        if action == "add-cards":
            self.add_cards_requested.emit(section)
        elif action == "add-text":
            self.add_text(section)
        elif action == "edit":
            self.edit_item(section)
        elif action == "revert":
            self.revert_item(section)
        elif action == "compare":
            self.compare_item(section)
        elif action == "remove":
            self.remove_items(section)

    def _header_changed(self, field: str, value: str) -> None:
        edit = self.fields.get(field)
        if edit is not None and edit.text() != value:
            edit.setText(value)
            if not edit.hasFocus():  # changed from elsewhere (undo, replace): show its start
                edit.setCursorPosition(0)

    def _show_marking(self, value: str | None) -> None:
        self.marking.setCurrentIndex(max(self.marking.findData(value), 0))

    # -- item actions -----------------------------------------------------------------
    def add_text(self, section: str, text: str | None = None) -> None:
        if not self._editable():
            return
        level = memo_level(self.doc.memo, self.doc.library)
        if text is None:
            dialog = ItemDialog("", "", with_title=False, parent=self, marking=level)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            text, level = dialog.body_edit.toPlainText(), str(dialog.marking.currentData())
        if not text.strip():
            return
        row = len(self.doc.models[section].items)
        item = MemoItem(text=text, marking=level)
        self.doc.stack.push(InsertItemsCommand(self.doc, section, row, [item]))

    def move_selected(self, section: str, step: int, across: bool) -> None:
        """Move the selected item up or down, or into the previous or next section."""
        if not self._editable():
            return
        current = self.boxes[section].view.currentIndex()
        if not current.isValid():
            return
        row = current.row()
        order = list(self.boxes)
        if across:
            index = order.index(section) + step
            if not 0 <= index < len(order):
                return
            target = order[index]
            if not self.doc.move_items(section, [row], target, len(self.doc.models[target].items)):
                return
            box = self.boxes[target]
            box.view.setFocus()
            box.view.setCurrentIndex(box.model.index(len(box.model.items) - 1))
            return
        new_row = row + step
        if not 0 <= new_row < len(self.doc.models[section].items):
            return
        # Moving down by one means dropping after the next item.
        drop_at = new_row + 1 if step > 0 else new_row
        self.doc.move_items(section, [row], section, drop_at)
        view = self.boxes[section].view
        view.setCurrentIndex(self.doc.models[section].index(new_row))

    def remove_items(self, section: str) -> None:
        if not self._editable():
            return
        rows = self.boxes[section].selected_rows()
        if rows:
            self.doc.stack.push(RemoveItemsCommand(self.doc, section, rows))

    def _row(self, section: str, index: QModelIndex | None) -> int:
        if index is not None and index.isValid():
            return index.row()
        rows = self.boxes[section].selected_rows()
        return rows[0] if rows else -1

    def edit_item(self, section: str, index: QModelIndex | None = None) -> None:
        if not self._editable():
            return
        row = self._row(section, index)
        if row < 0:
            self.message.emit("Select an item to edit first.")
            return
        item = self.doc.models[section].items[row]
        if item.card is None:
            follows = item.marking is None  # an older item follows the memo's marking
            shown = item.marking or self.doc.memo.marking or markings.LOWEST
            dialog = ItemDialog("", item.text or "", False, self, marking=shown)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                chosen = str(dialog.marking.currentData())
                marking = None if follows and chosen == shown else chosen
                text = dialog.body_edit.toPlainText()
                new = dataclasses.replace(item, text=text, marking=marking)
                if new != item:
                    self.reword(section, row, new, "Edit text")
            return
        card = self.doc.library.get(item.card)
        if card is None:
            self.message.emit(f"Card {item.card!r} is not in the library; it cannot be reworded.")
            return
        shown = card_wording(card, self.doc.template.section(section) or _BODY)
        title = item.title if item.title is not None else card.title
        body = item.body if item.body is not None else shown
        dialog = ItemDialog(title, body, with_title=True, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.override(section, row, dialog.title_edit.text(), dialog.body_edit.toPlainText())

    def override(self, section: str, row: int, title: str, body: str) -> None:
        """Reword a card for this memo only; wording equal to the card's is no override.
        The text compared is what this section prints: the body, or the short form."""
        item = self.doc.models[section].items[row]
        card = self.doc.library.get(item.card or "")
        if card is None:
            return
        shown = card_wording(card, self.doc.template.section(section) or _BODY)
        new = dataclasses.replace(
            item,
            title=None if title == card.title else title,
            body=None if body == shown else body,
        )
        if new != item:
            self.reword(section, row, new, "Reword card for this memo")

    def compare_item(self, section: str, row: int | None = None) -> None:
        """Show a card item against the library's card; keep either wording (undoable)."""
        if not self._editable():
            return
        row = self._row(section, None) if row is None else row
        if row < 0:
            self.message.emit("Select a card item to compare first.")
            return
        item = self.doc.models[section].items[row]
        card = self.doc.library.get(item.card or "")
        if card is None:
            self.message.emit("Only an item made from a library card can be compared.")
            return
        current = card.version()
        if item.version in ("", current) and not item.is_override:
            self.message.emit("That item matches the library's card.")
            return
        shape = self.doc.template.section(section) or _BODY
        library_text = card.title + "\n\n" + card_wording(card, shape)
        seen = self.doc.versions.get(item.version) if self.doc.versions else None
        if item.is_override:  # the memo's own wording against the card as it is now
            memo_title = item.title if item.title is not None else card.title
            memo_body = item.body if item.body is not None else card_wording(card, shape)
        elif seen is not None:  # the version it was built from, as this computer saw it
            memo_title, memo_body = seen.title, card_wording(_as_card(card, seen), shape)
        else:  # written elsewhere: that version cannot be shown
            memo_title, memo_body = card.title, card_wording(card, shape)
        known = item.is_override or seen is not None
        memo_text = memo_title + "\n\n" + memo_body if known else None
        dialog = CardChangeDialog(card.title, memo_text, library_text, item.is_override, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        if dialog.choice == USE_LIBRARY:
            new = dataclasses.replace(item, title=None, body=None, version=current)
            label = "Use the library's version"
        else:
            title = None if memo_title == card.title else memo_title
            body = None if memo_body == card_wording(card, shape) else memo_body
            new = dataclasses.replace(item, title=title, body=body, version=current)
            label = "Keep this memo's version"
        if new != item:
            self.reword(section, row, new, label)

    def revert_item(self, section: str) -> None:
        if not self._editable():
            return
        row = self._row(section, None)
        if row < 0:
            return
        item = self.doc.models[section].items[row]
        if not item.is_override:
            self.message.emit("That item uses the card's own wording already.")
            return
        self.reword(
            section, row, dataclasses.replace(item, title=None, body=None), "Revert to card"
        )

    def reword(self, section: str, row: int, new: MemoItem, label: str) -> None:
        if not self._editable():
            return
        self.doc.stack.push(ReplaceItemCommand(self.doc, section, row, new, label))
