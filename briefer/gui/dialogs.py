"""Every modal question the window asks, in one place (tests replace these functions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefer.core.problems import counted

if TYPE_CHECKING:
    from briefer.core.recovery import RecoveryEntry
    from briefer.core.workspace import Workspace


def empty_state(text: str, buttons: Sequence[tuple[str, Callable[[], object]]]) -> QWidget:
    """What a pane shows with nothing open: a sentence and the buttons that open something."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    label = QLabel(text)
    label.setWordWrap(True)
    layout.addStretch(1)
    layout.addWidget(label)
    for caption, slot in buttons:
        button = QPushButton(caption)
        button.clicked.connect(slot)
        layout.addWidget(button)
    layout.addStretch(1)
    return widget


SHOWN_DETAIL_LINES = 6  # a message shows this many lines of its details itself


def message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
) -> QMessageBox:
    """A message box whose text is shown exactly as given: file names and problems come
    from users' files, and Qt would read "<b>" or a link in them as markup."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    return box


def tell(
    parent: QWidget | None, title: str, text: str, detail: str = "", error: bool = False
) -> None:
    """An information or error message. The first lines of ``detail`` (the problems found,
    say) are in the message itself; a longer list is whole under Show Details."""
    icon = QMessageBox.Icon.Critical if error else QMessageBox.Icon.Information
    lines = detail.splitlines()
    shown = "\n".join(lines[:SHOWN_DETAIL_LINES])
    more = len(lines) - SHOWN_DETAIL_LINES
    if more > 0:
        shown += f"\n… and {more} more (Show Details… lists them all)"
    box = message_box(parent, icon, title, f"{text}\n\n{shown}" if shown else text)
    if more > 0:
        box.setDetailedText(detail)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something destructive; the safe answer is the default."""
    box = message_box(parent, QMessageBox.Icon.Warning, title, text)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go


def ask_save(parent: QWidget | None, name: str) -> str:
    """``save``, ``discard`` or ``cancel`` for unsaved changes."""
    box = message_box(
        parent,
        QMessageBox.Icon.Warning,
        "Unsaved changes",
        f"Save the changes to “{name}” before closing?",
    )
    box.setInformativeText("If you don't save, your changes will be lost.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def may_drop(parent: QWidget | None, name: str, save: Callable[[], object]) -> bool:
    """Unsaved changes are about to go (Cancel, Escape, a window's close): ask. True when
    they may be dropped; on Save, ``save`` runs instead."""
    answer = ask_save(parent, name)
    if answer == "save":
        save()
    return answer == "discard"


def offer_open(parent: QWidget | None, path: Path, text: str) -> bool:
    """After an export: say what happened and offer to open the file."""
    box = message_box(parent, QMessageBox.Icon.Information, "Export finished", text)
    opener = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    return box.clickedButton() is opener


def open_file(parent: QWidget | None, title: str, folder: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return path


def open_files(parent: QWidget | None, title: str, folder: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, folder, filters)
    return list(paths)


def choose_folder(parent: QWidget | None, title: str, folder: str) -> str:
    """A folder the user picks; empty when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, folder)


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path


def choose(parent: QWidget | None, title: str, text: str, options: Sequence[str]) -> str:
    """A warning with named answers; returns the one chosen. The last option is the safe
    one: it is the default and what Escape gives."""
    box = message_box(parent, QMessageBox.Icon.Warning, title, text)
    buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options[:-1]]
    safe = box.addButton(options[-1], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(safe)
    box.setEscapeButton(safe)
    box.exec()
    clicked = box.clickedButton()
    for option, button in zip(options, [*buttons, safe], strict=True):
        if clicked is button:
            return option
    return options[-1]


def open_url(path: Path) -> None:
    """Open a file or folder in the desktop's own application for it."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class RecoveryDialog(QDialog):
    """Unsaved work found after a crash: each item with what it is and when it was saved."""

    def __init__(self, entries: Sequence[RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.entries = list(entries)
        text = QLabel(
            "Briefer did not close properly last time. This unsaved work was kept. Tick what "
            "to restore: restored memos and cards open with their changes unsaved, so you can "
            "check them and save. What you leave unticked is discarded."
        )
        text.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Recovered work")
        for entry in self.entries:
            item = QListWidgetItem(entry.describe())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox()
        buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Decide later", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def ticked(self) -> list[RecoveryEntry]:
        return [
            e
            for i, e in enumerate(self.entries)
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


def recover(
    parent: QWidget | None, entries: Sequence[RecoveryEntry]
) -> tuple[list[RecoveryEntry], list[RecoveryEntry]] | None:
    """Ask what to restore: ``(restore, discard)``, or None to decide at the next start."""
    dialog = RecoveryDialog(entries, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    restore = dialog.ticked()
    return restore, [e for e in entries if e not in restore]


class TemplateDialog(QDialog):
    """New memo: pick a template, with its description."""

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        note: str = "",
        current: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle("Choose a memo template")
        self.workspace = workspace
        self.list = QListWidget()
        self.list.setAccessibleName("Templates")
        self.description = QLabel()
        self.description.setWordWrap(True)
        for template in workspace.templates.templates.values():
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            item.setToolTip(template.description)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        ids = list(workspace.templates.templates)
        self.list.setCurrentRow(ids.index(current) if current in ids else 0)

    def _show(self) -> None:
        template = self.workspace.templates.get(self.chosen())
        if template is not None:
            limit = (
                f" Page limit: {counted(template.page_limit, 'page')}."
                if template.page_limit
                else ""
            )
            self.description.setText(template.description + limit)

    def chosen(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""


def choose_template(
    parent: QWidget | None, workspace: Workspace, note: str = "", current: str = ""
) -> str:
    """The id of the template the user picks (``current`` chosen to begin with); empty
    when cancelled."""
    dialog = TemplateDialog(workspace, parent, note, current)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    return dialog.chosen()
