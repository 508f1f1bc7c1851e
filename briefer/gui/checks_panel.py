"""The Checks panel: the memo's preflight findings, live, each one a click from its place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefer.core.checks import Finding
from briefer.core.problems import counted

_ERROR = QColor("#b00020")
_WARNING = QColor("#7a5200")
_NO_LIMIT = 16777215  # (QWIDGETSIZE_MAX)
_TOP = 4  # the space above the summary line


class ChecksPanel(QWidget):
    """Lists findings; activating one emits ``go_to`` with it. With nothing to list, the
    panel folds to its summary line, and the pages above it in the splitter get the room;
    it opens again, at the height it had, when there is something to show."""

    go_to = Signal(object)  # Finding

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("Checks: no memo open")
        self.summary.setAccessibleName("Checks summary")
        self.list = QListWidget()
        self.list.setAccessibleName("Checks")
        self.list.setWordWrap(True)
        self.list.setToolTip("Double-click or press Enter to go to the item or field at fault")
        self.list.itemActivated.connect(self._activated)
        self.findings: list[Finding] = []
        self._open_height = 0  # the panel's height when last open, to open at again
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, _TOP, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self._fold(True)  # nothing to list until a memo is open

    def show_findings(self, findings: list[Finding] | None) -> None:
        self.list.clear()
        self.findings = list(findings or [])
        self._fold(not self.findings)
        if findings is None:
            self.summary.setText("Checks: no memo open")
            return
        errors = sum(f.is_error for f in self.findings)
        warnings = len(self.findings) - errors
        if not self.findings:
            self.summary.setText("Checks: ready to go — no errors, no warnings")
        else:
            self.summary.setText(
                f"Checks: {counted(errors, 'error')}, {counted(warnings, 'warning')}"
            )
        for finding in self.findings:
            mark = "Error:" if finding.is_error else "Warning:"  # words, not a glyph a font lacks
            item = QListWidgetItem(f"{mark} {finding.message}")
            item.setForeground(_ERROR if finding.is_error else _WARNING)
            item.setToolTip(f"{finding.severity}: {finding.message} [{finding.code}]")
            item.setData(Qt.ItemDataRole.UserRole, self.list.count())
            self.list.addItem(item)

    def _fold(self, folded: bool) -> None:
        if folded == self.list.isHidden():
            return
        parent = self.parentWidget()
        splitter = parent if isinstance(parent, QSplitter) and parent.count() == 2 else None
        sizes = splitter.sizes() if splitter is not None else [0, 0]
        at = splitter.indexOf(self) if splitter is not None else 1
        if folded:
            self._open_height = sizes[at] or self._open_height
            self.list.hide()
            self.setMaximumHeight(self.summary.sizeHint().height() + _TOP)
            return
        self.list.show()
        self.setMaximumHeight(_NO_LIMIT)
        total = sum(sizes)
        if splitter is None or total <= 0:
            return  # not laid out yet: the splitter's stretch factors apply
        sizes[at] = min(self._open_height or total // 4, total // 2)
        sizes[1 - at] = total - sizes[at]
        splitter.setSizes(sizes)

    def _activated(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(index, int) and 0 <= index < len(self.findings):
            self.go_to.emit(self.findings[index])
