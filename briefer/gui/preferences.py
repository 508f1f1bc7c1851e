"""Preferences: the default FROM, where new cards go, library folders, autosave, backups,
spell checking."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from briefer.gui import settings as S
from briefer.gui.spelling import spelling


class PreferencesDialog(QDialog):
    """Edits the settings a user would expect to set once."""

    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.office = QLineEdit(settings.get(S.DEFAULT_FROM))
        self.office.setAccessibleName("Your office (default FROM)")
        self.new_cards = QLineEdit(str(S.user_library_dir(settings)))
        self.new_cards.setAccessibleName("Folder for new cards")
        folders: list[str] = settings.get(S.LIBRARY_FOLDERS)
        self.folders = QPlainTextEdit("\n".join(folders))
        self.folders.setAccessibleName("Extra library folders, one per line")
        self.memos_folder = QLineEdit(settings.get(S.MEMOS_FOLDER))
        self.memos_folder.setAccessibleName("Memos folder (searched for Used in)")
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
        form = QFormLayout(self)
        form.addRow("Your office (FROM)", self.office)
        form.addRow("Save new cards in", self.new_cards)
        form.addRow("Extra library folders", self.folders)
        form.addRow("Memos folder", self.memos_folder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow("Autosave unsaved work after", self.autosave)
        form.addRow("Backups kept per file", self.backups)
        form.addRow("Spelling", self.spell_check)
        form.addRow(buttons)

    def save(self) -> None:
        self.settings.set(S.DEFAULT_FROM, self.office.text().strip())
        self.settings.set(S.NEW_CARD_FOLDER, self.new_cards.text().strip())
        folders = [f.strip() for f in self.folders.toPlainText().splitlines() if f.strip()]
        self.settings.set(S.LIBRARY_FOLDERS, folders)
        self.settings.set(S.MEMOS_FOLDER, self.memos_folder.text().strip())
        self.settings.set(S.AUTOSAVE_SECONDS, self.autosave.value())
        self.settings.set(S.BACKUPS_KEPT, self.backups.value())
        spelling().set_enabled(self.spell_check.isChecked())
        self.accept()
