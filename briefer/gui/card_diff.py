"""Compare a memo item with the library's card: word by word, then keep one of them."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefer.core.versions import word_diff

USE_LIBRARY = "library"
KEEP_MEMO = "memo"


def diff_html(old: str, new: str) -> str:
    """The two wordings as one text: removed words struck through in red, added words
    underlined in green (and named for a screen reader)."""
    out = []
    for op, text in word_diff(old, new):
        shown = html.escape(text).replace("\n", "<br/>")
        if op == "delete":
            out.append(
                f'<span style="color:#b00020;text-decoration:line-through" '
                f'title="removed">{shown}</span>'
            )
        elif op == "insert":
            out.append(
                f'<span style="color:#1b6e20;text-decoration:underline" '
                f'title="added">{shown}</span>'
            )
        else:
            out.append(shown)
    return "".join(out)


class CardChangeDialog(QDialog):
    """Shows the memo's wording against the library's; ``choice`` is what was chosen."""

    def __init__(
        self,
        card_title: str,
        memo_text: str | None,
        library_text: str,
        reworded: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Changes — {card_title}")
        self.resize(720, 480)
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        if reworded:
            intro = "This memo rewords the card. Its wording against the library's card now:"
        else:
            intro = "The card changed in the library after it was added to this memo:"
        layout.addWidget(QLabel(intro))
        self.view = QTextBrowser()
        self.view.setAccessibleName("Differences, word by word")
        if memo_text is None:
            self.view.setPlainText(
                "The version this memo was built from is not on this computer (the memo was "
                "written elsewhere), so it cannot be shown. The library's card now reads:\n\n"
                + library_text
            )
        else:
            self.view.setHtml(diff_html(memo_text, library_text))
        layout.addWidget(self.view, 1)
        legend = QLabel(
            "Struck through in red: only in the memo. Underlined in green: new in the library."
        )
        legend.setWordWrap(True)
        layout.addWidget(legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_library = QPushButton("Use the library's version")
        self.keep_memo = QPushButton("Keep this memo's version")
        self.keep_memo.setEnabled(memo_text is not None)
        buttons.addButton(self.use_library, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_memo, QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_library.clicked.connect(lambda: self._choose(USE_LIBRARY))
        self.keep_memo.clicked.connect(lambda: self._choose(KEEP_MEMO))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
