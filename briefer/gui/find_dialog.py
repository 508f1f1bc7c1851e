"""Find and replace in the open memo's own text (core/find.py), every change undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefer.core.find import (
    Match,
    Query,
    find_all,
    in_card_wording,
    replace_in,
    replace_in_item,
    replaced_item,
    still_there,
)
from briefer.core.problems import counted
from briefer.core.templates import HEADER_FIELDS
from briefer.gui.document import MemoDocument, ReplaceItemCommand, SetHeaderCommand


class FindReplaceDialog(QDialog):
    """A non-modal Find / Replace panel on one memo. ``show_match`` asks the window to show
    where a match is (the header field, or the item in its section)."""

    show_match = Signal(object)  # Match

    def __init__(self, doc: MemoDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.current: Match | None = None
        self.setWindowTitle("Find and replace in memo")
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName("Find")
        self.replace_edit = QLineEdit()
        self.replace_edit.setAccessibleName("Replace with")
        self.match_case = QCheckBox("Match case")
        self.whole_words = QCheckBox("Whole words")
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Find result")
        form = QFormLayout()
        form.addRow("Find", self.find_edit)
        form.addRow("Replace with", self.replace_edit)
        options = QHBoxLayout()
        options.addWidget(self.match_case)
        options.addWidget(self.whole_words)
        options.addStretch(1)
        form.addRow("", options)
        self.next_button = QPushButton("Find &next")
        self.previous_button = QPushButton("Find &previous")
        self.replace_button = QPushButton("&Replace")
        self.replace_all_button = QPushButton("Replace &all")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (
            self.next_button,
            self.previous_button,
            self.replace_button,
            self.replace_all_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        # Enter in the fields is Find next. (A default set before the buttons were in the
        # panel did not hold: Enter pressed Close, and the panel went.)
        for each in buttons.buttons():
            if isinstance(each, QPushButton):
                each.setAutoDefault(False)
        self.next_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        note = QLabel(
            "<small>Searches what this memo says in its own words: header fields, typed "
            "paragraphs and rewordings. A card's own wording is changed in the library.</small>"
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(note)
        self.next_button.clicked.connect(lambda: self.find_match(1))
        self.previous_button.clicked.connect(lambda: self.find_match(-1))
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, lambda: self.find_match(1))
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.FindPrevious), self, lambda: self.find_match(-1)
        )
        self.find_edit.textEdited.connect(self._forget)
        for box in (self.match_case, self.whole_words):
            box.toggled.connect(self._forget)

    def query(self) -> Query:
        return Query(
            self.find_edit.text(), self.match_case.isChecked(), self.whole_words.isChecked()
        )

    def _forget(self) -> None:
        self.current = None
        self.status.setText(" ")

    def where(self, match: Match) -> str:
        if match.section is None:
            return f"the {HEADER_FIELDS.get(match.field, match.field)} field"
        section = self.doc.section_title(match.section)
        place = {"title": "reworded title", "body": "reworded text", "text": "text"}[match.field]
        return f"{section}, item {(match.index or 0) + 1} ({place})"

    def _elsewhere(self, query: Query) -> str:
        count = in_card_wording(self.doc.memo, self.doc.library, query)
        if not count:
            return ""
        return (
            f" {count} more in cards' own wording, not changed here (Edit… rewords a card "
            "for this memo)."
        )

    def find_match(self, step: int = 1) -> Match | None:
        """Go to the next (or previous) match after the current one, wrapping round."""
        query = self.query()
        matches = find_all(self.doc.memo, query)
        if not matches:
            self.current = None
            found = "Nothing found in the memo's own text." if query.text else "Type a word."
            self.status.setText(found + self._elsewhere(query))
            return None
        if self.current in matches:
            position = (matches.index(self.current) + step) % len(matches)
        else:
            position = 0 if step > 0 else len(matches) - 1
        self.current = matches[position]
        self.status.setText(
            f"{position + 1} of {len(matches)}: in {self.where(self.current)}."
            + self._elsewhere(query)
        )
        self.show_match.emit(self.current)
        return self.current

    def _can_edit(self) -> bool:
        if self.doc.read_only:
            self.status.setText("This memo is read-only; use Save As to edit a copy.")
        return not self.doc.read_only

    def replace(self) -> None:
        """Replace the match shown, then go to the next."""
        query = self.query()
        if not self._can_edit():
            return
        match = self.current
        if match is None or not still_there(self.doc.memo, match, query):
            self.find_match(1)
            return
        before = find_all(self.doc.memo, query).index(match)
        new = self.replace_edit.text()
        self.doc.stack.beginMacro(f"Replace “{query.text}”")
        self._replace_one(match, new)
        self.doc.stack.endMacro()
        # Go on from just after the new words (which may themselves contain the query).
        resume = match.start + len(new)
        later = [
            m
            for m in find_all(self.doc.memo, query)[before:]
            if not (_same_place(m, match) and m.start < resume)
        ]
        self.current = None
        if later:
            self.current = later[0]
            self.find_match(0)
        else:
            self.status.setText("Replaced. No more matches after it." + self._elsewhere(query))

    def _replace_one(self, match: Match, new: str) -> None:
        if match.section is None:
            old = self.doc.memo.header.get(match.field, "")
            value = old[: match.start] + new + old[match.end :]
            self.doc.stack.push(SetHeaderCommand(self.doc, match.field, value))
            return
        assert match.index is not None
        item = self.doc.models[match.section].items[match.index]
        changed = replaced_item(item, match.field, match.start, match.end, new)
        self.doc.stack.push(
            ReplaceItemCommand(self.doc, match.section, match.index, changed, "Replace")
        )

    def replace_all(self) -> int:
        """Replace every match in the memo's own text: one undo step."""
        query = self.query()
        if not self._can_edit() or not query.text:
            return 0
        if not find_all(self.doc.memo, query):
            self.status.setText("Nothing found in the memo's own text." + self._elsewhere(query))
            return 0
        new, memo, total = self.replace_edit.text(), self.doc.memo, 0
        stack = self.doc.stack
        stack.beginMacro(f"Replace all “{query.text}”")
        for name, value in list(memo.header.items()):
            text, count = replace_in(value, query, new)
            if count:
                stack.push(SetHeaderCommand(self.doc, name, text))
                total += count
        for section, items in memo.sections.items():
            for row, item in enumerate(list(items)):
                changed, count = replace_in_item(item, query, new)
                if count:
                    total += count
                    stack.push(ReplaceItemCommand(self.doc, section, row, changed, "Replace"))
        stack.endMacro()
        self.current = None
        self.status.setText(f"Replaced {counted(total, 'occurrence')}." + self._elsewhere(query))
        return total


def _same_place(one: Match, other: Match) -> bool:
    return (one.section, one.index, one.field) == (other.section, other.index, other.field)
