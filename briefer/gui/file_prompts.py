"""What the window asks when a file is locked by another Briefer or changed on disk, and
how it reports a failed save: one wording for memos and books."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

from briefer.core.problems import Problem
from briefer.core.session import FileSession
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.log import write_log
from briefer.gui.watcher import FileWatcher


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


def reload_changed(
    window: QWidget, session: FileSession, dirty: bool, notify: Callable[[str], None]
) -> bool:
    """The open file changed on disk (a watch saw it): whether to read it again. A
    read-only view follows without asking; otherwise the user chooses, told whether
    reloading would discard unsaved changes. Unchanged or missing: False (missing is said)."""
    state = session.disk_state()
    if state == "same":
        return False
    name = session.display_name
    if state == "missing":
        notify(f"{name} was moved or deleted on disk; Save will write it again.")
        return False
    if session.read_only:
        return True
    unsaved = (
        " You have unsaved changes here: reloading discards them."
        if dirty
        else " You have no unsaved changes here."
    )
    answer = dialogs.choose(
        window,
        f"{session.kind.title()} changed on disk",
        f"{name} was changed on disk by another program (a colleague, git or a sync "
        f"client).{unsaved}\n\nReload it from disk, or keep your version? If you keep "
        "yours, Briefer will ask again before saving over theirs.",
        ["Reload", "Keep mine"],
    )
    if answer != "Reload":
        notify(f"Kept your version of {name}.")
        return False
    return True


def tell_reload_failed(window: QWidget, session: FileSession, problems: list[Problem]) -> None:
    dialogs.tell(
        window,
        "Could not reload",
        f"{session.display_name} changed on disk, but the new version cannot be opened. "
        "Your version stays open; fix the file or save yours over it.",
        "\n".join(str(p) for p in problems),
        error=True,
    )


class SavesFiles:
    """What a document controller shares: ask before dropping unsaved work, and Save
    falling back to Save As for a new or read-only file. The controller provides
    ``session``, ``dirty``, ``window``, ``save_as`` and ``_save_to``."""

    session: FileSession | None
    window: QWidget
    message: SignalInstance
    _asking = False  # a changed-on-disk question is open

    def _show(self, session: Any) -> object:
        raise NotImplementedError

    def _reread(self, session: FileSession) -> list[Problem]:
        """Read the session's file again into it; the problems when it cannot be."""
        raise NotImplementedError

    @property
    def dirty(self) -> bool:
        raise NotImplementedError

    def save_as(self) -> bool:
        raise NotImplementedError

    def _save_to(self, path: Path) -> bool:
        raise NotImplementedError

    def _watch_own_file(self, owner: QObject) -> None:
        """Watch the open document's file, so a change made elsewhere is offered."""
        self.watcher = FileWatcher(owner)
        self.watcher.files_changed.connect(self._files_changed)

    def _files_changed(self, changed: list[Path]) -> None:
        """The watch saw files change: one of them may be this document's."""
        session = self.session
        if session is not None and session.path is not None and session.path.absolute() in changed:
            self.changed_on_disk()

    def changed_on_disk(self) -> None:
        """The open file changed: reload it, if the user agrees (or it is read-only)."""
        session = self.session
        if session is None or session.path is None or self._asking:
            return
        self._asking = True
        try:
            reload = reload_changed(self.window, session, self.dirty, self.message.emit)
        finally:
            self._asking = False
        if not reload or self.session is not session:
            return
        problems = self._reread(session)
        if problems:
            tell_reload_failed(self.window, session, problems)
            return
        self._show(session)
        self.message.emit(f"Reloaded {session.display_name} from disk.")

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
