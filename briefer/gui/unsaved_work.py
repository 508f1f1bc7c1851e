"""Unsaved work kept safe: every open document's autosave at once, and the offer to bring
back what a Briefer that crashed or was killed left in the recovery folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from briefer.core.recovery import RecoveryStore
from briefer.gui import dialogs
from briefer.gui.log import write_log

if TYPE_CHECKING:
    from briefer.gui.book_controller import BookController
    from briefer.gui.library_controller import LibraryController
    from briefer.gui.memo_controller import MemoController


class UnsavedWork(QObject):
    """The recovery folder's side of the window, over its three kinds of document."""

    message = Signal(str)

    def __init__(
        self,
        window: QWidget,
        recovery: RecoveryStore,
        memo: MemoController,
        book: BookController,
        library: LibraryController,
    ) -> None:
        super().__init__(window)
        self.window, self.recovery = window, recovery
        self.memo, self.book, self.library = memo, book, library

    def application_state(self, state: Qt.ApplicationState) -> None:
        """Briefer left for another program: what is unsaved is copied at once."""
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_now()

    def autosave_now(self) -> None:
        """Copy unsaved memo, book and card work to the recovery folder at once."""
        try:
            self.memo.autosave()
            self.book.autosave()
            self.library.autosave_drafts()
        except OSError as exc:
            log = write_log("Autosave failed", exc)
            self.message.emit(
                f"Autosave could not write to {self.recovery.folder}: {exc.strerror or exc}. "
                f"Save your work now. (Details: {log})"
            )

    def offer(self, asked: bool = False) -> None:
        """Unsaved work left by a Briefer that crashed or was killed: offer it back.
        ``asked``: the user chose File › Recover unsaved work, so none is said too."""
        entries = self.recovery.orphaned()
        if not entries:
            if asked:
                dialogs.tell(
                    self.window, "Recover unsaved work", "There is no unsaved work to recover."
                )
            return
        answer = dialogs.recover(self.window, entries)
        if answer is None:
            self.message.emit("Recovered work kept; use File › Recover unsaved work… when ready.")
            return
        restore, discard = answer
        for entry in discard:
            self.recovery.remove(entry.key)
        copies = self.memo.restore([e for e in restore if e.kind == "memo"])
        for entry in (e for e in restore if e.kind == "book"):
            self.book.restore(entry)
        for entry in (e for e in restore if e.kind == "card"):
            if self.library.restore_draft(entry):
                self.recovery.remove(entry.key)
        if copies:
            dialogs.tell(
                self.window,
                "Recovered memos",
                "More than one memo was recovered. The newest is open; the others were saved "
                "beside their originals as:\n\n" + "\n".join(str(p) for p in copies),
            )
