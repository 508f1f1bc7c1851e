"""Help › User guide: the README's window section (briefer/help/guide.md), offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = Path(__file__).resolve().parent.parent / "help" / "guide.md"


class GuideDialog(QDialog):
    """The user guide in a window of its own, beside the work (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Briefer user guide")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 640)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        # Links are shown, never followed: Briefer makes no network connection.
        self.browser.setOpenLinks(False)
        try:
            text = GUIDE.read_text(encoding="utf-8")
        except OSError as exc:
            text = f"The user guide could not be read from {GUIDE}: {exc.strerror or exc}."
        self.browser.setMarkdown(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
