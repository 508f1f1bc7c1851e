"""The problems panel: what is wrong in the library's files, as ``file:line: message``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefer.core.problems import Problem, counted

PathRole = Qt.ItemDataRole.UserRole


class ProblemsPanel(QWidget):
    """Lists problems; activating one asks to open its file's folder (or the file itself)."""

    open_folder_requested = Signal(object)  # Path
    open_file_requested = Signal(object)  # Path

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems in the library")
        self.list.setToolTip("Double-click to open the folder that holds the file")
        self.list.itemActivated.connect(self._activated)
        folder = QPushButton("Open folder")
        folder.setToolTip("Open the folder that holds the selected file")
        folder.clicked.connect(lambda: self._emit(self.open_folder_requested))
        edit = QPushButton("Open file")
        edit.setToolTip("Open the selected file in your text editor")
        edit.clicked.connect(lambda: self._emit(self.open_file_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(folder)
        buttons.addWidget(edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self.set_problems([])

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.list.clear()
        for problem in problems:
            text = f"{problem.path}:{problem.line}: " + (
                f"warning: {problem.message}" if not problem.is_error else problem.message
            )
            item = QListWidgetItem(text)
            item.setData(PathRole, str(Path(problem.path).absolute()))
            item.setToolTip(str(problem))
            self.list.addItem(item)
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        if not problems:
            self.summary.setText("No problems in the library.")
        else:
            self.summary.setText(
                f"{counted(errors, 'error')}, {counted(warnings, 'warning')}. Cards with errors "
                "are left out of the library until their file is fixed; the list updates when "
                "it is saved."
            )

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_folder_requested.emit(Path(item.data(PathRole)))

    def _emit(self, signal: SignalInstance) -> None:
        item = self.list.currentItem() or self.list.item(0)
        if item is not None:
            signal.emit(Path(item.data(PathRole)))
