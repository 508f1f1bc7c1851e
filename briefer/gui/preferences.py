"""Preferences: the default FROM, where new cards go, library folders, autosave, backups,
spell checking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefer.core import paths
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.spelling import spelling


def folder_problem(text: str, what: str, may_be_new: bool = False) -> str | None:
    """What is wrong with ``text`` as the folder for ``what``, said so a user can fix it;
    None when it will do. ``may_be_new``: a folder Briefer creates when it first writes."""
    path = Path(text).expanduser()
    if not path.is_absolute():
        return f"{what}: “{text}” is not a full path; choose the folder with Choose…"
    if path.exists() and not path.is_dir():
        return f"{what}: “{text}” is a file, not a folder; choose a folder"
    if not path.exists() and not may_be_new:
        return f"{what}: there is no folder “{text}”; choose an existing folder or remove it"
    return None


def _full(text: str) -> str:
    """A folder as stored: ``~`` spelled out; empty stays empty."""
    return str(Path(text).expanduser()) if text else ""


class FolderField(QWidget):
    """A folder path: typed, or picked with Choose…"""

    def __init__(self, text: str, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title = title
        self.edit = QLineEdit(text)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setCursorPosition(0)
        choose = QPushButton("Choose…")
        choose.setAccessibleName(f"Choose: {title}")
        choose.clicked.connect(self.choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(choose)

    def choose(self) -> None:
        start = self.edit.text().strip() or str(Path.home())
        chosen = dialogs.choose_folder(self, self.title, start)
        if chosen:
            self.edit.setText(chosen)

    def text(self) -> str:
        return self.edit.text().strip()


class PreferencesDialog(QDialog):
    """Edits the settings a user would expect to set once. A folder that will not do is
    said under the fields, and nothing is saved until it is fixed."""

    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.office = QLineEdit(settings.get(S.DEFAULT_FROM))
        self.office.setAccessibleName("Your office (default FROM)")
        self.office.setPlaceholderText("e.g. Office of Climate Diplomacy")
        self.new_cards = FolderField(
            str(S.user_library_dir(settings)), "Folder for new cards", str(S.default_library_dir())
        )
        self.new_cards.edit.setAccessibleName("Folder for new cards")
        self.folders = QListWidget()
        self.folders.setAccessibleName("Extra library folders")
        self.folders.setToolTip("Card folders read beside the bundled library, e.g. a team's")
        for folder in settings.get(S.LIBRARY_FOLDERS):
            self._add_folder_row(folder)
        add = QPushButton("Add folder…")
        add.clicked.connect(self.add_folder)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_folder)
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(add)
        folder_buttons.addWidget(remove)
        folder_buttons.addStretch(1)
        folder_box = QVBoxLayout()
        folder_box.setContentsMargins(0, 0, 0, 0)
        folder_box.addWidget(self.folders)
        folder_box.addLayout(folder_buttons)
        self.memos_folder = FolderField(
            settings.get(S.MEMOS_FOLDER), "Memos folder", "optional: a folder of memos"
        )
        self.memos_folder.edit.setAccessibleName("Memos folder (searched for Used in)")
        self.memos_folder.setToolTip(
            "The library's Used in lists the memos here (and in the recent files) that use a card"
        )
        self.autosave = QSpinBox()
        self.autosave.setRange(5, 30)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(min(max(settings.get(S.AUTOSAVE_SECONDS), 5), 30))
        self.autosave.setAccessibleName("Autosave unsaved work after")
        self.autosave.setToolTip(
            f"Unsaved work is copied to {S.recovery_dir()} this long after an edit, and "
            "whenever Briefer loses focus"
        )
        self.backups = QSpinBox()
        self.backups.setRange(1, 50)
        self.backups.setValue(settings.get(S.BACKUPS_KEPT))
        self.backups.setAccessibleName("Backups kept per file")
        self.backups.setToolTip(f"Earlier versions of saved files are kept in {S.backups_dir()}")
        self.spell_check = QCheckBox("Underline misspelled words as I type")
        self.spell_check.setChecked(spelling().enabled)
        self.spell_check.setToolTip(
            f"English word list from pyspellchecker; words you add are kept in "
            f"{S.user_dictionary()}"
        )
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #a4000f;")
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        form = QFormLayout(self)
        form.addRow("Your office (FROM)", self.office)
        form.addRow("Save new cards in", self.new_cards)
        form.addRow("Extra library folders", folder_box)
        form.addRow("Memos folder", self.memos_folder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow("Autosave unsaved work after", self.autosave)
        form.addRow("Backups kept per file", self.backups)
        form.addRow("Spelling", self.spell_check)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.setMinimumWidth(560)

    def _add_folder_row(self, folder: str) -> None:
        item = QListWidgetItem(folder)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)  # a path can be pasted in
        self.folders.addItem(item)

    def add_folder(self) -> None:
        chosen = dialogs.choose_folder(self, "Add a library folder", str(Path.home()))
        if chosen and chosen not in self.library_folders():
            self._add_folder_row(chosen)

    def remove_folder(self) -> None:
        for item in self.folders.selectedItems():
            self.folders.takeItem(self.folders.row(item))

    def library_folders(self) -> list[str]:
        rows = (self.folders.item(row).text().strip() for row in range(self.folders.count()))
        return [folder for folder in rows if folder]

    def problems(self) -> list[str]:
        """Each folder entered here that will not do, and why. (A folder saved before that
        has gone, a share not mounted today, is kept: the window says it is missing.)"""
        found: list[str | None] = []
        new_cards = self.new_cards.text()
        if new_cards and new_cards != str(S.user_library_dir(self.settings)):
            problem = folder_problem(new_cards, "Save new cards in", may_be_new=True)
            bundled = paths.bundled_library().resolve()
            if problem is None and Path(new_cards).expanduser().resolve() == bundled:
                problem = "Save new cards in: the bundled library is read-only; choose another"
            found.append(problem)
        before = self.settings.get(S.LIBRARY_FOLDERS)
        found += [
            folder_problem(folder, "Extra library folders")
            for folder in self.library_folders()
            if folder not in before
        ]
        memos = self.memos_folder.text()
        if memos and memos != self.settings.get(S.MEMOS_FOLDER):
            found.append(folder_problem(memos, "Memos folder"))
        return [problem for problem in found if problem]

    def save(self) -> None:
        found = self.problems()
        self.problem.setText("\n".join(found))
        self.problem.setVisible(bool(found))
        if found:
            return
        new_cards = _full(self.new_cards.text())
        self.settings.set(S.DEFAULT_FROM, self.office.text().strip())
        self.settings.set(
            S.NEW_CARD_FOLDER, "" if new_cards == str(S.default_library_dir()) else new_cards
        )
        self.settings.set(S.LIBRARY_FOLDERS, [_full(f) for f in self.library_folders()])
        self.settings.set(S.MEMOS_FOLDER, _full(self.memos_folder.text()))
        self.settings.set(S.AUTOSAVE_SECONDS, self.autosave.value())
        self.settings.set(S.BACKUPS_KEPT, self.backups.value())
        spelling().set_enabled(self.spell_check.isChecked())
        self.accept()
