"""The open briefing book: new, open, save, close, autosave and recovery, as for a memo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # loaded with the first book, not with the window
    from briefer.core.books import BookSession
    from briefer.core.problems import Problem
    from briefer.core.session import FileSession
    from briefer.gui.book_document import BookDocument

from briefer.core.locks import HOST
from briefer.core.recovery import RecoveryEntry, RecoveryStore
from briefer.core.storage import fingerprint
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.file_prompts import SavesFiles, save_session, take_lock

BOOK_FILTER = "Briefing books (*.book.yaml);;All files (*)"
MEMO_FILES = "Briefer memos (*.brief.yaml);;All files (*)"
BOOK_KEY = f"{HOST}-{os.getpid()}-book"  # this process's recovery entry for its book


class BookController(SavesFiles, QObject):
    """One book at a time. ``document_changed`` carries the new BookDocument (or None)."""

    document_changed = Signal(object)
    state_changed = Signal()
    message = Signal(str)

    def __init__(
        self, workspace: Workspace, settings: S.Settings, recovery: RecoveryStore, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.workspace, self.settings, self.recovery, self.window = (
            workspace,
            settings,
            recovery,
            parent,
        )
        self.session: BookSession | None = None
        self.doc: BookDocument | None = None
        self._start_autosave(self, settings, self.autosave)
        self._watch_own_file(self)

    @property
    def dirty(self) -> bool:
        # isValid: while the window is torn down, the stack may go before this object does
        return (
            self.doc is not None
            and shiboken6.isValid(self.doc.stack)
            and not self.doc.stack.isClean()
        )

    @property
    def title(self) -> str:
        if self.session is None:
            return ""
        return self.session.display_name + (" (read-only)" if self.session.read_only else "")

    # -- starting and opening ---------------------------------------------------------
    def new_book(self) -> BookDocument | None:
        from briefer.core.books import Book, BookSession

        if not self.maybe_save():
            return None
        office = self.settings.get(S.DEFAULT_FROM)
        return self._show(BookSession(Book(title="Briefing book", prepared_by=office)))

    def open_path(self, path: Path) -> BookDocument | None:
        from briefer.core.books import BookSession, read_book

        if not self.maybe_save():
            return None
        seen = fingerprint(path)
        book, problems = read_book(path)
        if book is None:
            dialogs.tell(
                self.window,
                "Cannot open book",
                f"Briefer cannot open {path.name}. Each problem below says where it is "
                "and what to do; put them right (a text editor will do), then open it again:",
                "\n".join(str(p) for p in problems),
                error=True,
            )
            return None
        session = BookSession(book, path, seen)
        if self.session is not None and self.session.path == path:
            session.lock, self.session.lock = self.session.lock, None  # already ours
        if not take_lock(self.window, session):
            return None
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        return self._show(session)

    def _show(self, session: BookSession) -> BookDocument:
        from briefer.gui.book_document import BookDocument

        old = self.session
        if old is not None:
            if old.path is not None:
                self.watcher.unwatch_file(old.path)
            if old.lock is not session.lock:
                old.close()
        self.recovery.remove(BOOK_KEY)
        self.session = session
        if session.path is not None:
            self.watcher.watch_file(session.path, session.fingerprint)
        self.doc = BookDocument(session.book, session.read_only)
        self.doc.stack.cleanChanged.connect(self.state_changed)
        self.doc.stack.indexChanged.connect(self._edited)
        self.document_changed.emit(self.doc)
        self.state_changed.emit()
        return self.doc

    def shutdown(self) -> None:
        """The window closes: drop this process's recovery copy and release the lock."""
        self.recovery.remove(BOOK_KEY)
        if self.session is not None:
            self.session.close()

    def close_book(self) -> bool:
        if self.session is None:
            return True
        if not self.maybe_save():
            return False
        if self.session.path is not None:
            self.watcher.unwatch_file(self.session.path)
        self.session.close()
        self.recovery.remove(BOOK_KEY)
        self.session, self.doc = None, None
        self.document_changed.emit(None)
        self.state_changed.emit()
        return True

    # -- tabs -------------------------------------------------------------------------
    def add_memos(self, paths: list[Path], row: int | None = None) -> int:
        """Add memo files as tabs (after the selected one, or at the end)."""
        from briefer.core.books import BookTab, relative_memo

        if self.doc is None or self.session is None:
            return 0
        where = self.session.book.path
        tabs = [BookTab(relative_memo(p.resolve(), where)) for p in paths]
        at = len(self.doc.book.tabs) if row is None else row
        self.doc.insert_tabs(at, tabs)
        return len(tabs)

    # -- saving -----------------------------------------------------------------------
    def save_as(self) -> bool:
        from briefer.core.books import book_file_name

        if self.session is None:
            return False
        path = self.session.path
        folder = (
            str(path.parent)
            if path is not None
            else self.settings.get(S.LAST_MEMO_FOLDER) or str(Path.home())
        )
        stem = (
            path.name
            if path is not None
            else "-".join(self.session.book.title.casefold().split()) or "book"
        )
        chosen = dialogs.save_file(
            self.window, "Save book", str(Path(folder) / book_file_name(stem)), BOOK_FILTER
        )
        if not chosen:
            return False
        return self._save_to(Path(chosen).with_name(book_file_name(Path(chosen).name)))

    def _save_to(self, path: Path) -> bool:
        assert self.session is not None
        assert self.doc is not None
        previous = self.session.path
        if not save_session(self.window, self.session, path, self.message.emit):
            return False
        if previous is not None and previous != path:
            self.watcher.unwatch_file(previous)
        self.watcher.watch_file(path, self.session.fingerprint)
        self.doc.read_only = False
        self.doc.tabs.refresh()  # the tabs are now named relative to the new place
        self.doc.stack.setClean()
        self.recovery.remove(BOOK_KEY)
        self.settings.set(S.LAST_MEMO_FOLDER, str(path.parent))
        self.state_changed.emit()
        self.message.emit(f"Saved {path}")
        return True

    # -- the file on disk -------------------------------------------------------------
    def _reread(self, session: FileSession) -> list[Problem]:
        from briefer.core.books import BookSession

        assert isinstance(session, BookSession)
        return session.reload()

    # -- autosave and recovery --------------------------------------------------------
    def autosave(self) -> None:
        """Unsaved work to the recovery folder (raises OSError, as the memo's does)."""
        if self.session is not None and self.dirty:
            self.session.write_recovery(self.recovery, BOOK_KEY)
        elif self.session is not None:
            self.recovery.remove(BOOK_KEY)

    def restore(self, entry: RecoveryEntry) -> bool:
        """Open a book kept by a Briefer that stopped, unsaved (it stays unsaved here)."""
        from briefer.core.books import BookSession, parse_book

        try:
            text = entry.content_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            dialogs.tell(self.window, "Briefer", f"Could not read {entry.title}: {exc}")
            return False
        original = Path(entry.original) if entry.original else None
        book, problems = parse_book(text, entry.title)
        if book is None:
            dialogs.tell(
                self.window,
                "Briefer",
                f"The recovered copy of {entry.title} cannot be read; it was kept in "
                f"{entry.content_path}.",
                "\n".join(str(p) for p in problems),
            )
            return False
        book.path = original
        session = BookSession(book, original, entry.based_on or None)
        if original is not None and session.acquire_lock() is not None:
            session = BookSession(book)  # someone has it: the text stays untitled
        doc = self._show(session)
        # Not saved yet: one step to undo back to nothing, so the window shows it unsaved.
        doc.stack.resetClean()
        self.recovery.remove(entry.key)
        return True
