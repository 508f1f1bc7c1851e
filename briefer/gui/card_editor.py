"""The card editor: every field of a card, with a Markdown toolbar and a rendered view."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from briefer.core import markings, rules
from briefer.core.cards import Card, CardLibrary, Source
from briefer.core.rules import CARD_KINDS, KIND_LABELS, CardIssue
from briefer.gui import dialogs
from briefer.gui.spelling import SpellLineEdit, check_spelling
from briefer.render.html import markdown_html

SOURCE_FIELDS = ("title", "author", "publisher", "date", "url")
RENDER_PAUSE_MS = 150  # the rendered body follows the Markdown once typing pauses this long


class CardEditor(QDialog):
    """Edits a copy of a card. OK emits ``save_requested(old_id, new_card)``; nothing is
    written here: the main window turns it into an undoable command."""

    save_requested = Signal(object, object)  # old Card or None, new Card
    edited = Signal()  # any field changed (starts the autosave timer)

    def __init__(
        self,
        card: Card | None,
        library: CardLibrary,
        parent: QWidget | None = None,
        draft: Card | None = None,
    ):
        super().__init__(parent)
        self.original = card
        self.library = library
        self.setWindowTitle(f"Edit card — {card.title}" if card else "New card")
        self.resize(900, 680)
        # A draft (a duplicate, or unsaved work restored after a crash) fills the fields;
        # ``card`` is what is being edited, if anything.
        base = draft or card or Card(id="", kind="background", title="", body="")
        if not base.reviewed:
            base = dataclasses.replace(base, reviewed=dt.date.today().isoformat())

        self.id_edit = QLineEdit(base.id)
        self.id_edit.setAccessibleName("Card id")
        self.id_edit.setPlaceholderText("made from the title, or type lowercase-words-with-hyphens")
        self.id_edit.setReadOnly(card is not None)
        self.title_edit = SpellLineEdit(base.title)
        self.title_edit.setAccessibleName("Title")
        self.short_edit = SpellLineEdit(base.short)
        self.short_edit.setAccessibleName("Short form")
        self.short_edit.setPlaceholderText(
            "One sentence, printed where a template shows cards short (a recommendation)"
        )
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for kind in CARD_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setCurrentIndex(max(self.kind.findData(base.kind), 0))
        self.marking = QComboBox()
        self.marking.setAccessibleName("Marking")
        for code in markings.CODES:
            self.marking.addItem(f"{code} — {markings.banner(code).title()}", code)
        self.marking.setCurrentIndex(max(self.marking.findData(base.marking), 0))
        self.tags = QLineEdit(", ".join(base.tags))
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("comma, separated, tags")
        self.reviewed = QLineEdit(base.reviewed)
        self.reviewed.setAccessibleName("Reviewed date")
        self.reviewed.setPlaceholderText("YYYY-MM-DD")
        self.as_of = QLineEdit(base.as_of)
        self.as_of.setAccessibleName("As of: when the facts hold")
        self.as_of.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        self.review_by = QLineEdit(base.review_by)
        self.review_by.setAccessibleName("Review by date")
        self.review_by.setPlaceholderText("YYYY-MM-DD")
        self.strategies = QListWidget()
        self.strategies.setAccessibleName("Strategies this initiative serves")
        self.strategies.setMaximumHeight(80)
        for strategy in library.of_kind("strategy"):
            item = QListWidgetItem(strategy.title)
            item.setData(Qt.ItemDataRole.UserRole, strategy.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = strategy.id in base.strategy
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.strategies.addItem(item)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.title_edit.textEdited.connect(self._suggest_id)

        self.sources = QTableWidget(0, len(SOURCE_FIELDS))
        self.sources.setAccessibleName("Sources")
        self.sources.setHorizontalHeaderLabels([f.title() for f in SOURCE_FIELDS])
        self.sources.horizontalHeader().setStretchLastSection(True)
        self.sources.horizontalHeader().resizeSection(0, 320)  # the title: room to read it
        self.sources.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sources.setMaximumHeight(120)
        for source in base.sources or (Source(""),):
            self._add_source_row(source)
        source_buttons = QToolBar()
        source_buttons.addAction("Add source", lambda: self._add_source_row(Source("")))
        source_buttons.addAction("Remove source", self._remove_source_row)

        self.body = QPlainTextEdit(base.body)
        self.body.setAccessibleName("Body (Markdown)")
        check_spelling(self.body)
        self.rendered = QTextBrowser()
        self.rendered.setAccessibleName("Body as it will read")
        # Drawn again once typing pauses, not on every key: a long body took 5 ms (9 KB)
        # to 17 ms (95 KB) to parse and lay out, a dropped frame per keystroke.
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_PAUSE_MS)
        self._render_timer.timeout.connect(self._render)
        self.body.textChanged.connect(self._render_timer.start)
        toolbar = QToolBar()
        toolbar.setAccessibleName("Formatting")
        bold = toolbar.addAction("Bold", lambda: self._wrap("**"))
        bold.setShortcut(QKeySequence(QKeySequence.StandardKey.Bold))
        italic = toolbar.addAction("Italic", lambda: self._wrap("*"))
        italic.setShortcut(QKeySequence(QKeySequence.StandardKey.Italic))
        toolbar.addAction("Bullet list", lambda: self._prefix_lines("- "))
        toolbar.addAction("Numbered list", lambda: self._prefix_lines("1. "))
        body_split = QSplitter()
        body_split.addWidget(self.body)
        body_split.addWidget(self.rendered)

        form = QFormLayout()
        form.addRow("Id", self.id_edit)
        form.addRow("Title", self.title_edit)
        form.addRow("Short form", self.short_edit)
        row = QHBoxLayout()
        row.addWidget(QLabel("Kind"))
        row.addWidget(self.kind)
        row.addWidget(QLabel("Marking"))
        row.addWidget(self.marking)
        row.addWidget(QLabel("Reviewed"))
        row.addWidget(self.reviewed)
        form.addRow(row)
        dates = QHBoxLayout()
        dates.addWidget(self.as_of)
        dates.addWidget(QLabel("Review by"))
        dates.addWidget(self.review_by)
        form.addRow("As of", dates)
        form.addRow("Tags", self.tags)
        self.strategy_label = QLabel("Serves strategy")
        form.addRow(self.strategy_label, self.strategies)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problems")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        # Ctrl+S saves the card, as it saves a memo in the window.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.try_accept)
        buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip("Save the card (Ctrl+S)")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Body (Markdown)"))
        layout.addWidget(toolbar)
        layout.addWidget(body_split, 1)
        layout.addWidget(QLabel("Sources"))
        layout.addWidget(source_buttons)
        layout.addWidget(self.sources)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._kind_changed()
        self._render()
        for line in (
            self.id_edit,
            self.title_edit,
            self.short_edit,
            self.tags,
            self.reviewed,
            self.as_of,
            self.review_by,
        ):
            line.textEdited.connect(self.edited)
        for signal in (
            self.body.textChanged,
            self.kind.currentIndexChanged,
            self.marking.currentIndexChanged,
            self.strategies.itemChanged,
            self.sources.itemChanged,
        ):
            signal.connect(self.edited)
        self.edited.connect(self._recheck)
        # Typing starts in the title: a new card's id is made from it, and an edited
        # card's id cannot change (the first field, the id, took what was typed).
        self.title_edit.setFocus()

    def _kind_changed(self) -> None:
        is_initiative = self.kind.currentData() == "initiative"
        self.strategies.setEnabled(is_initiative)
        self.strategy_label.setEnabled(is_initiative)

    def _add_source_row(self, source: Source) -> None:
        row = self.sources.rowCount()
        self.sources.insertRow(row)
        for column, name in enumerate(SOURCE_FIELDS):
            self.sources.setItem(row, column, QTableWidgetItem(getattr(source, name)))

    def _remove_source_row(self) -> None:
        row = self.sources.currentRow()
        if row >= 0:
            self.sources.removeRow(row)

    def _wrap(self, marker: str) -> None:
        cursor = self.body.textCursor()
        text = cursor.selectedText() or "text"
        cursor.insertText(f"{marker}{text}{marker}")
        self.body.setTextCursor(cursor)

    def _prefix_lines(self, prefix: str) -> None:
        cursor = self.body.textCursor()
        text = cursor.selectedText().replace("\u2029", "\n") or "item"
        cursor.insertText("\n".join(prefix + line for line in text.split("\n")))

    def _body_text(self) -> str:
        """The body as typed, ending in a line break exactly when the card's did: a trailing
        newline means nothing in Markdown, and keeping it keeps the file's ``|`` as written."""
        text = self.body.toPlainText().rstrip("\n")
        original = self.original.body if self.original is not None else ""
        return text + "\n" if original.endswith("\n") and text else text

    def _render(self) -> None:
        """The body as the exports will print it (the same parser, not Qt's Markdown)."""
        self.rendered.setHtml(markdown_html(self.body.toPlainText()))

    def card(self) -> Card:
        """The card as the fields now describe it."""
        sources = []
        for row in range(self.sources.rowCount()):
            values = {}
            for col, name in enumerate(SOURCE_FIELDS):
                cell = self.sources.item(row, col)
                values[name] = cell.text().strip() if cell is not None else ""
            if any(values.values()):
                sources.append(Source(**values))
        strategy = tuple(
            str(self.strategies.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.strategies.count())
            if self.strategies.item(i).checkState() == Qt.CheckState.Checked
        )
        kind = str(self.kind.currentData())
        base = self.original or Card(id="", kind=kind, title="", body="")
        return dataclasses.replace(
            base,
            id=self.id_edit.text().strip(),
            kind=kind,
            title=self.title_edit.text().strip(),
            short=self.short_edit.text().strip(),
            body=self._body_text(),
            marking=str(self.marking.currentData()),
            strategy=strategy if kind == "initiative" else (),
            tags=tuple(t.strip() for t in self.tags.text().split(",") if t.strip()),
            sources=tuple(sources),
            reviewed=self.reviewed.text().strip(),
            as_of=self.as_of.text().strip(),
            review_by=self.review_by.text().strip(),
        )

    def problems(self) -> list[CardIssue]:
        """What ``rules`` finds wrong with the card as the fields now describe it."""
        taken = self.library.cards if self.original is None else ()
        return rules.card_issues(self.card(), taken)

    def _suggest_id(self) -> None:
        """A new card's id follows its title until the user types one."""
        if self.original is None and not self.id_edit.isModified():
            self.id_edit.setText(rules.suggest_id(self.title_edit.text(), self.library.cards))

    def _recheck(self) -> None:
        """Once problems are shown, they follow the fields: a fixed one goes away."""
        if self.error.text():
            self.error.setText("\n".join(i.message for i in self.problems()))

    def try_accept(self) -> None:
        found = self.problems()
        self.error.setText("\n".join(i.message for i in found))
        if any(i.is_error for i in found):
            return
        # The main window writes the card and closes this editor only if that worked;
        # if the write fails the editor stays open with the user's words.
        self.save_requested.emit(self.original, self.card())

    def reject(self) -> None:
        """Cancel, Escape and the window's close: changes are never dropped unasked."""
        name = self.title_edit.text().strip() or "this card"
        # (Save: the controller closes the editor once the card is written.)
        if self.has_changes() and not dialogs.may_drop(self, name, self.try_accept):
            return
        super().reject()

    def show_problem(self, text: str) -> None:
        self.error.setText(text)

    def has_changes(self) -> bool:
        """Whether the fields differ from the card being edited (or a new card has text)."""
        if self.original is None:
            card = self.card()
            return bool(card.title or card.body.strip())
        return self.card() != self.original
