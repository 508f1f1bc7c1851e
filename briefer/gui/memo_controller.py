"""The open memo's controller: the memo session, its document model, the memo's own undo
stack (which alone decides whether the memo has unsaved changes), autosave, and the watch
on the memo's file. Decisions about files are the session's; this asks the user."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from briefer.core.locks import HOST
from briefer.core.memos import Memo, format_date
from briefer.core.problems import Problem
from briefer.core.recovery import RecoveryEntry, RecoveryStore
from briefer.core.session import (
    FileSession,
    MemoSession,
    memo_file_name,
    memo_stem,
    read_memo_file,
    recovered_memo,
    save_recovered_copy,
)
from briefer.core.templates import MemoTemplate
from briefer.core.usage import MemoUsage
from briefer.core.versions import CardVersions
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.document import MemoDocument
from briefer.gui.file_prompts import SavesFiles, save_session, take_lock

MEMO_FILTER = "Briefer memos (*.brief.yaml);;All files (*)"
MEMO_KEY = f"{HOST}-{os.getpid()}-memo"  # this process's recovery entry for its memo


class MemoController(SavesFiles, QObject):
    """One memo at a time. ``document_changed`` carries the new MemoDocument (or None)."""

    document_changed = Signal(object)
    state_changed = Signal()  # the name, read-only state or unsaved mark changed
    message = Signal(str)
    recent_changed = Signal()

    def __init__(
        self,
        workspace: Workspace,
        settings: S.Settings,
        recovery: RecoveryStore,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.settings, self.recovery, self.window = (
            workspace,
            settings,
            recovery,
            parent,
        )
        self.stack = QUndoStack(self)
        self.session: MemoSession | None = None
        self.doc: MemoDocument | None = None
        self.closed_memos: dict[str, set[str]] = {}  # memos closed this session: card ids
        self.usage = MemoUsage()  # card ids of memo files, for the library's "Used in"
        self._start_autosave(self, settings, self.autosave)
        self._watch_own_file(self)
        self.stack.cleanChanged.connect(self.state_changed)
        self.stack.indexChanged.connect(self._edited)

    @property
    def dirty(self) -> bool:
        return self.doc is not None and not self.stack.isClean()

    @property
    def title(self) -> str:
        if self.session is None:
            return "Library"
        suffix = " (read-only)" if self.session.read_only else ""
        return self.session.display_name + suffix

    def memos_using(self, card_id: str) -> list[str]:
        """The memos that use a card: the open one first (as it is now, saved or not), then
        those closed this session, the recent files and the memos folder (as saved)."""
        names = [name for name, ids in self.closed_memos.items() if card_id in ids]
        open_path = None
        if self.session is not None:
            name = self.session.display_name
            names = [n for n in names if n != name]
            if card_id in self.session.memo.card_ids():
                names.insert(0, name)
            open_path = self.session.path.absolute() if self.session.path else None
        recent = [Path(p) for p in self.settings.get(S.RECENT_FILES)]
        folder = self.settings.get(S.MEMOS_FOLDER)
        for path in self.usage.memos_using(card_id, recent, Path(folder) if folder else None):
            if path != open_path and path.name not in names:
                names.append(path.name)
        return names

    # -- starting and opening ---------------------------------------------------------
    def new_memo(self, template_id: str) -> MemoDocument:
        template = self.workspace.templates.get(template_id)
        assert template is not None
        header = {"date": format_date(dt.date.today())}
        office = self.settings.get(S.DEFAULT_FROM)
        if office and "from" in template.header:
            header["from"] = office
        return self._show(MemoSession(Memo(template=template.id, header=header), template))

    def open_path(self, path: Path) -> MemoDocument | None:
        read = read_memo_file(path)
        if read.memo is None:
            dialogs.tell(
                self.window,
                "Cannot open memo",
                f"Briefer cannot open {path.name}. Each problem below says where it is "
                "and what to do; put them right (a text editor will do), then open it again:",
                "\n".join(str(p) for p in read.problems),
                error=True,
            )
            return None
        template = self._template_for(read.memo, path.name)
        if template is None:
            return None
        session = MemoSession(read.memo, template, path, read.fingerprint)
        if not self._lock(session):
            return None
        doc = self._show(session)
        self._remember(path)
        missing = sorted(i for i in read.memo.card_ids() if self.workspace.library.get(i) is None)
        if missing:
            self.message.emit(f"Missing cards shown as placeholders: {', '.join(missing)}")
        return doc

    def _template_for(self, memo: Memo, name: str) -> MemoTemplate | None:
        """The memo's template; for an unknown one the user picks another (None: cancelled)."""
        template = self.workspace.templates.get(memo.template)
        if template is not None:
            return template
        chosen = dialogs.choose_template(
            self.window,
            self.workspace,
            f"{name} uses the template {memo.template!r}, which this Briefer does not have. "
            "Choose the template to open it with; its items are kept.",
        )
        if not chosen:
            return None
        memo.template = chosen
        return self.workspace.templates.get(chosen)

    def _lock(self, session: MemoSession) -> bool:
        """Lock the file; if another Briefer has it, the user chooses. False: cancelled."""
        if self.session is not None and self.session.path == session.path:
            session.lock, self.session.lock = self.session.lock, None  # already ours
        return take_lock(self.window, session)

    def _show(self, session: MemoSession) -> MemoDocument:
        """Make ``session`` the open memo; the memo stack starts again (the library's not)."""
        old = self.session
        if old is not None:
            self.closed_memos[old.display_name] = old.memo.card_ids()
            if old.path is not None:
                self.watcher.unwatch_file(old.path)
            if old.lock is not session.lock:
                old.close()
        self.recovery.remove(MEMO_KEY)  # the memo it was for was saved or set aside
        self.stack.clear()
        self.session = session
        versions = CardVersions(S.user_data_dir() / "card-versions")
        self.doc = MemoDocument(session, self.workspace.library, self.stack, versions)
        if session.path is not None:
            self.watcher.watch_file(session.path, session.fingerprint)
        self.document_changed.emit(self.doc)
        self.state_changed.emit()
        return self.doc

    def close_memo(self) -> bool:
        """Close the memo (asking about unsaved changes); the library stays as it is."""
        if self.session is None or not self.maybe_save():
            return self.session is None
        self.closed_memos[self.session.display_name] = self.session.memo.card_ids()
        if self.session.path is not None:
            self.watcher.unwatch_file(self.session.path)
        self.session.close()
        self.recovery.remove(MEMO_KEY)
        self.session, self.doc = None, None
        self.stack.clear()
        self.document_changed.emit(None)
        self.state_changed.emit()
        return True

    # -- saving -----------------------------------------------------------------------
    def save_as(self) -> bool:
        if self.session is None:
            return False
        # The memo's own folder when it has one we can write to; else the last one used.
        path = self.session.path
        if path is not None and not self.session.read_only and os.access(path.parent, os.W_OK):
            folder = str(path.parent)
        else:
            folder = self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        name = memo_file_name(memo_stem(self.session.memo, path))
        chosen = dialogs.save_file(self.window, "Save memo", str(Path(folder) / name), MEMO_FILTER)
        if not chosen:
            return False
        path = Path(chosen)
        return self._save_to(path.with_name(memo_file_name(path.name)))

    def _save_to(self, path: Path) -> bool:
        """Save, never over a colleague's change without asking, never losing the window's."""
        assert self.session is not None
        session = self.session
        previous = session.path
        if not save_session(self.window, session, path, self.message.emit):
            return False
        if previous is not None and previous != path:
            self.watcher.unwatch_file(previous)
        self.watcher.watch_file(path, session.fingerprint)
        self.stack.setClean()
        self.recovery.remove(MEMO_KEY)
        self._remember(path)
        self.state_changed.emit()
        self.message.emit(f"Saved {path}")
        return True

    def _remember(self, path: Path) -> None:
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.settings.add_recent(path)
        self.recent_changed.emit()

    # -- the file on disk -------------------------------------------------------------
    def _reread(self, session: FileSession) -> list[Problem]:
        assert isinstance(session, MemoSession)
        return session.reload(self.workspace.templates.templates)

    # -- autosave and recovery --------------------------------------------------------
    def autosave(self) -> None:
        """Copy unsaved changes to the recovery folder (and drop a copy of saved work)."""
        self.autosave_timer.stop()
        if self.dirty and self.session is not None:
            self.session.write_recovery(self.recovery, MEMO_KEY)
        else:
            self.recovery.remove(MEMO_KEY)

    def restore(self, entries: list[RecoveryEntry]) -> list[Path]:
        """Restore recovered memos: the newest opens, the others are saved beside their
        originals. Returns the paths of those copies."""
        if not self.maybe_save():
            return []  # kept for later: nothing is discarded without asking
        copies = []
        for index, entry in enumerate(reversed(entries)):
            memo, why = recovered_memo(entry)
            if memo is None:
                dialogs.tell(self.window, "Briefer", why, error=True)
                continue
            if index == 0:
                if self._restore(entry, memo):
                    self.recovery.remove(entry.key)
                continue
            folder = Path(self.settings.get(S.LAST_MEMO_FOLDER) or Path.home())
            try:
                copies.append(save_recovered_copy(memo, entry, folder))
            except OSError as exc:
                dialogs.tell(
                    self.window,
                    "Briefer",
                    f"Could not save the recovered copy of {entry.title}: "
                    f"{exc.strerror or exc}. It stays in the recovery folder for next time.",
                    error=True,
                )
                continue
            self.recovery.remove(entry.key)
        return copies

    def _restore(self, entry: RecoveryEntry, memo: Memo) -> bool:
        template = self._template_for(memo, entry.title)
        if template is None:
            return False
        original = Path(entry.original) if entry.original else None
        session = MemoSession(memo, template, original, entry.based_on or None)
        if original is not None and not self._lock(session):
            session = MemoSession(memo, template)  # someone has it: the text stays untitled
        if session.read_only:
            session = MemoSession(memo, template)
        self._show(session)
        # Restored work is unsaved until the user saves it; if the file changed since the
        # text was based on it, Save asks first (the fingerprint is the old one).
        self.stack.resetClean()
        self.state_changed.emit()
        self.message.emit(f"Restored {entry.title}, autosaved {entry.saved_at.replace('T', ' ')}.")
        return True

    def shutdown(self) -> None:
        """The window closes: drop this process's recovery copy and release the lock."""
        self.recovery.remove(MEMO_KEY)
        if self.session is not None:
            self.session.close()
