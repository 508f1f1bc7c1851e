"""What the window asks when a file is locked by another Briefer or changed on disk, and
how it reports a failed save: one wording for memos and books."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from briefer.core.session import FileSession
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.log import write_log


def take_lock(window: QWidget, session: FileSession) -> bool:
    """Lock the file; if another Briefer has it, the user chooses. False: cancelled."""
    owner = session.acquire_lock()
    if owner is None:
        return True
    answer = dialogs.choose(
        window,
        f"{session.kind.title()} already open",
        f"{session.display_name} is open in another Briefer: {owner.describe()}. Editing "
        "it in two places would lose one person's changes.\n\nOpen a read-only view, or "
        "cancel. If you are sure that Briefer is no longer running (for example, the "
        "other computer crashed), you can open it for editing anyway.",
        ["Open read-only", "Open anyway", "Cancel"],
    )
    if answer == "Open read-only":
        session.view_read_only(owner)
        return True
    if answer == "Open anyway":
        return session.acquire_lock(force=True) is None
    return False


def save_session(
    window: QWidget, session: FileSession, path: Path, notify: Callable[[str], None]
) -> bool:
    """Save, never over a colleague's change without asking, never losing the window's
    work: every other outcome is said plainly. True when the file was written."""
    kind = session.kind
    result = session.save(path)
    if result.status == "changed_on_disk":
        answer = dialogs.choose(
            window,
            f"{kind.title()} changed on disk",
            f"{path.name} was changed on disk after you opened it (by a colleague, git or "
            "a sync client). Saving now would overwrite their version.\n\nOverwrite it "
            "with yours, or cancel and use Save As to keep both.",
            ["Overwrite", "Cancel"],
        )
        if answer != "Overwrite":
            return False
        result = session.save(path, overwrite=True)
    if result.status == "read_only":
        notify(f"This {kind} is open read-only; use Save As to keep a copy.")
        return False
    if result.status == "locked":
        assert result.owner is not None
        dialogs.tell(
            window,
            "Could not save",
            f"{path.name} is open in another Briefer ({result.owner.describe()}). Choose "
            "another name, or ask them to close it first.",
            error=True,
        )
        return False
    if result.status == "failed":
        log = write_log(f"Could not save {path}: {result.message} ({result.detail})")
        dialogs.tell(
            window,
            "Could not save",
            f"Could not save {path}: {result.message} The file on disk was not changed "
            "and your changes are still here. Use Save As to save them somewhere else.",
            detail=f"Details are in the log: {log}",
            error=True,
        )
        return False
    return True


class SavesFiles:
    """What a document controller shares: ask before dropping unsaved work, and Save
    falling back to Save As for a new or read-only file. The controller provides
    ``session``, ``dirty``, ``window``, ``save_as`` and ``_save_to``."""

    session: FileSession | None
    window: QWidget

    @property
    def dirty(self) -> bool:
        raise NotImplementedError

    def save_as(self) -> bool:
        raise NotImplementedError

    def _save_to(self, path: Path) -> bool:
        raise NotImplementedError

    def _start_autosave(
        self, owner: QObject, settings: S.Settings, write: Callable[[], None]
    ) -> None:
        """Unsaved work goes to the recovery folder this long after the first edit."""
        self.autosave_timer = QTimer(owner)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(max(1, settings.get(S.AUTOSAVE_SECONDS)) * 1000)
        self.autosave_timer.timeout.connect(write)

    def _edited(self) -> None:
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def maybe_save(self) -> bool:
        """True when it is safe to drop the current document."""
        if not self.dirty or self.session is None:
            return True
        answer = dialogs.ask_save(self.window, self.session.display_name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def save(self) -> bool:
        if self.session is None:
            return False
        if self.session.path is None or self.session.read_only:
            return self.save_as()
        return self._save_to(self.session.path)
