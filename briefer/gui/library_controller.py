"""The card library's controller: the card store, the list model, the library's own undo
stack, the watch on its folders, its problems and the open card editors."""

from __future__ import annotations

import dataclasses
import gc
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from briefer.core.cards import Card, CardLibrary, read_card_file
from briefer.core.cardstore import CardSave, CardStore, FileChange
from briefer.core.locks import HOST
from briefer.core.problems import Problem
from briefer.core.recovery import RecoveryEntry, RecoveryStore, card_draft_text, card_from_draft
from briefer.core.workspace import Workspace
from briefer.gui import dialogs
from briefer.gui.card_editor import CardEditor
from briefer.gui.log import write_log
from briefer.gui.models import CardListModel
from briefer.gui.watcher import FileWatcher

if TYPE_CHECKING:
    from briefer.gui.library_loader import LibraryLoader


class PutCardCommand(QUndoCommand):
    """A card written (new or changed); undo and redo put the file's bytes back exactly."""

    def __init__(self, library: LibraryController, old: Card | None, saved: CardSave) -> None:
        assert saved.card is not None
        assert saved.change is not None
        title = saved.card.title
        super().__init__(f"Edit card “{title}”" if old else f"New card “{title}”")
        self.library, self.old, self.new, self.change = library, old, saved.card, saved.change
        self.done = True  # the save already wrote it

    def redo(self) -> None:
        if self.done:
            self.done = False
            self.library.model.put_card(self.new)
            return
        self.library.apply(self.change, False, want=self.new, have=self.old)

    def undo(self) -> None:
        self.library.apply(self.change, True, want=self.old, have=self.new)


class DeleteCardCommand(QUndoCommand):
    """A card removed from its file; undo writes its entry back as it was."""

    def __init__(self, library: LibraryController, card: Card, deleted: CardSave) -> None:
        super().__init__(f"Delete card “{card.title}”")
        assert deleted.change is not None
        self.library, self.card, self.change = library, card, deleted.change
        self.done = True

    def redo(self) -> None:
        if self.done:
            self.done = False
            self.library.model.remove_card(self.card.id)
            return
        self.library.apply(self.change, False, want=None, have=self.card)

    def undo(self) -> None:
        self.library.apply(self.change, True, want=self.card, have=None)


class LibraryController(QObject):
    """Joins the card store, the model and the library's undo stack. Plain decisions live in
    ``CardStore``; this asks the user and keeps the model in step with the files."""

    message = Signal(str)
    problems_changed = Signal(list, bool)  # every problem, and whether new errors appeared
    loading = Signal(int, int)  # the first read: steps done, of how many
    loaded = Signal()  # the first read is in (or failed, and was reported)

    def __init__(
        self,
        workspace: Workspace,
        store: CardStore,
        recovery: RecoveryStore,
        parent: QWidget,
        autosave_ms: int = 10000,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.store, self.recovery, self.window = workspace, store, recovery, parent
        self.model = CardListModel(workspace.library, self)
        self.model.loading = not workspace.loaded
        self.stack = QUndoStack(self)
        self.watcher = FileWatcher(self)
        self.watcher.trees_changed.connect(self.reload)
        self.editors: dict[str, CardEditor] = {}  # recovery key -> open editor
        self._count = 0
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave_drafts)
        self.loader: LibraryLoader | None = None

    @property
    def library(self) -> CardLibrary:
        return self.workspace.library

    def start(self) -> None:
        """Report what loading the library found, and watch its folders once the window
        is up (a watch per file: half a second for 10,000 files, not before the window)."""
        QTimer.singleShot(0, self, self._watch)
        self.problems_changed.emit(self.workspace.problems, bool(self.library.errors))

    def load_in_background(self) -> None:
        """Read the library on a worker thread; ``loaded`` is emitted when it is in, and
        ``start`` then runs as for a library read before the window."""
        from briefer.gui.library_loader import LibraryLoader

        loader = LibraryLoader(self.workspace)
        loader.progress.connect(self.loading)
        loader.arrived.connect(self.model.add_arrived)
        loader.finished.connect(self._loaded)
        self.loader = loader
        loader.start()

    def stop_loading(self) -> None:
        """The window closes: the worker stops at its next file and nothing is adopted."""
        loader, self.loader = self.loader, None
        if loader is not None:
            loader.finished.disconnect(self._loaded)
            loader.stop()
            loader.deleteLater()

    def _loaded(self) -> None:
        loader, self.loader = self.loader, None
        if loader is None:
            return
        loader.deleteLater()
        self.model.loading = False
        if loader.result is not None:
            library, cache, search = loader.result
            self.workspace.adopt(library, cache)
            self.model.set_library(self.workspace.library, search)
            # What is in memory now lives as long as the window (for 100,000 cards, two
            # million objects, none in a cycle): the cycle collector leaves it alone from
            # here, instead of pausing typing for 0.2 s each time it walks it.
            gc.freeze()
        else:  # the read failed: the window goes on with no cards (the views say so)
            self.workspace.adopt(CardLibrary(), {})  # and a reload may read them later
            self.model.set_library(self.workspace.library)
        if loader.failure is not None:
            log = write_log("Loading the library failed.", loader.failure)
            self.report(
                f"The card library could not be loaded ({type(loader.failure).__name__}: "
                f"{loader.failure}). Briefer opened with no cards; your files are unchanged. "
                f"Details are in {log}."
            )
        self.start()
        self.loaded.emit()

    # -- editors ----------------------------------------------------------------------
    def edit_card(self, card_id: str) -> CardEditor | None:
        card = self.library.get(card_id)
        return None if card is None else self._open(CardEditor(card, self.library, self.window))

    def new_card(self, kind: str, strategy: str = "") -> CardEditor:
        draft = Card(id="", kind=kind, title="", body="", strategy=(strategy,) if strategy else ())
        return self._open(CardEditor(None, self.library, self.window, draft=draft))

    def duplicate_card(self, card: Card) -> CardEditor:
        new_id, n = f"{card.id}-copy", 2
        while new_id in self.library.cards:
            new_id, n = f"{card.id}-copy-{n}", n + 1
        draft = dataclasses.replace(card, id=new_id, title=f"{card.title} (copy)", origin=None)
        return self._open(CardEditor(None, self.library, self.window, draft=draft))

    def _open(self, editor: CardEditor) -> CardEditor:
        self._count += 1
        key = f"{HOST}-{os.getpid()}-card-{self._count}"
        self.editors[key] = editor
        editor.save_requested.connect(lambda old, new: self._editor_save(editor, old, new))
        editor.edited.connect(self._edited)
        editor.finished.connect(lambda _: self._closed(key))
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor

    def _edited(self) -> None:
        if not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def _closed(self, key: str) -> None:
        self.editors.pop(key, None)
        self.recovery.remove(key)  # saved, or its changes discarded

    def _editor_save(self, editor: CardEditor, old: Card | None, new: Card) -> None:
        if self.save_card(old, new):
            editor.accept()
        else:
            editor.show_problem("Not saved; your text is still here. See the message.")

    # -- writing ----------------------------------------------------------------------
    def save_card(self, old: Card | None, new: Card) -> bool:
        """Write a card, asking about a colleague's change or an unusual layout. False leaves
        the editor open with the user's words."""
        result = self.store.save(new, old)
        if result.status == "conflict":
            what = "was removed from" if result.on_disk is None else "was changed in"
            answer = dialogs.choose(
                self.window,
                "Card changed on disk",
                f"The card “{new.title}” {what} {result.path.name} after you began editing "
                "it (by a colleague, git or a sync client). Saving would overwrite their "
                "version.\n\nOverwrite it with yours, or cancel and keep editing (copy your "
                "text, then reopen the card to see theirs).",
                ["Overwrite", "Cancel"],
            )
            if answer != "Overwrite":
                return False
            result = self.store.save(new, old, overwrite=True)
        if result.status == "unsafe":
            result = self._unsafe(old, new, result)
        if result.status == "failed":
            log = write_log(f"Could not save card {new.id} to {result.path}")
            dialogs.tell(
                self.window,
                "Could not save card",
                f"The card “{new.title}” could not be saved: {result.message} The file was "
                "not changed and the editor stays open with your text.",
                detail=f"Details are in the log: {log}",
                error=True,
            )
            return False
        if not result.ok:
            return False
        self.stack.push(PutCardCommand(self, old, result))
        self.message.emit(result.note or f"Saved card “{new.title}” to {result.path.name}")
        return True

    def _unsafe(self, old: Card | None, new: Card, result: CardSave) -> CardSave:
        mine = self.store.user_dir / "my-cards.yaml"
        answer = dialogs.choose(
            self.window,
            "Card file cannot be edited in place",
            f"Briefer cannot change {result.path.name} in place without touching other "
            f"lines: {result.message}.\n\nRewrite the file in Briefer's standard layout (its "
            "comments will be lost; every card is kept), save this card in your own library "
            f"({mine}) instead, or cancel.",
            ["Rewrite file", "Save in my library", "Cancel"],
        )
        if answer == "Rewrite file":
            return self.store.save(new, old, rewrite=True, overwrite=True)
        if answer == "Save in my library":
            return self.store.save(new, old, path=mine)
        return CardSave("cancelled", result.path)

    def delete_card(self, card: Card, used_in: list[str]) -> None:
        used = (
            f"It is used in the open memo {', '.join(used_in)}, which will show it as missing."
            if used_in
            else "No open memo uses it."
        )
        if not dialogs.confirm(
            self.window,
            "Delete card",
            f"Delete the card “{card.title}” from its file? {used}",
            "Delete",
        ):
            return
        result = self.store.delete(card)
        if not result.ok:
            self.report(f"Could not delete card “{card.title}”: {result.message}")
            return
        self.stack.push(DeleteCardCommand(self, card, result))

    def apply(self, change: FileChange, to_before: bool, want: Card | None, have: Card | None):
        """Undo or redo a card write. Byte for byte when the file is as Briefer left it;
        otherwise only if the card itself is unchanged, so nobody's edit is overwritten."""
        if not self.store.restore(change, to_before):
            cards = read_card_file(change.path)[0] if change.path.exists() else []
            on_disk = next((c for c in cards if have and c.id == have.id), None)
            result: CardSave | None = None
            if have is not None and on_disk == have:
                result = (
                    self.store.delete(on_disk)
                    if want is None
                    else self.store.save(want, on_disk, path=change.path, overwrite=True)
                )
            elif have is None and want is not None:
                result = self.store.save(want, None, path=change.path)
            if result is None or not result.ok:
                self.report(
                    f"{change.path.name} was changed by someone else since, so Briefer did not "
                    "change it back. The library now shows the file as it is."
                )
                self.reload()
                return
        if want is None:
            self.model.remove_card(have.id if have else "")
            self.reload()  # a bundled card that an override hid shows again
        else:
            self.model.put_card(want)

    def report(self, text: str) -> None:
        self.message.emit(text)
        write_log(text)
        QTimer.singleShot(0, self, lambda: dialogs.tell(self.window, "Briefer", text, error=True))

    # -- the files on disk ------------------------------------------------------------
    def _watch(self) -> None:
        folders = [d for d in self.workspace.library_dirs if d.is_dir()]
        self.watcher.watch_trees(folders, self.library.files)

    def reload(self) -> None:
        """Read the library folders again (unchanged files from the cache) and apply what
        changed, card by card."""
        errors_before = {str(p) for p in self.library.errors}
        fresh = self.workspace.read_library()
        added, changed, removed = self.model.sync(fresh)
        self._watch()
        new_errors = bool({str(p) for p in self.library.errors} - errors_before)
        self.problems_changed.emit(self.workspace.problems, new_errors)
        if added or changed or removed:
            self.message.emit(
                f"Library updated from disk: {added} added, {changed} changed, {removed} removed."
            )

    @property
    def problems(self) -> list[Problem]:
        return self.workspace.problems

    # -- recovery ---------------------------------------------------------------------
    def autosave_drafts(self) -> None:
        """Copy every open editor's unsaved text to the recovery folder."""
        self.autosave_timer.stop()
        for key, editor in self.editors.items():
            if editor.has_changes():
                card = editor.card()
                self.recovery.write(
                    key,
                    "card",
                    card.title or card.id or "Untitled card",
                    card_draft_text(card),
                    card_id=editor.original.id if editor.original else "",
                )
            else:
                self.recovery.remove(key)

    def restore_draft(self, entry: RecoveryEntry) -> bool:
        try:
            draft = card_from_draft(entry.content_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError) as exc:
            self.report(
                f"The recovered card “{entry.title}” cannot be read ({exc}); it was kept in "
                f"{entry.content_path}."
            )
            return False
        original = self.library.get(entry.card_id) if entry.card_id else None
        draft = dataclasses.replace(draft, origin=original.origin if original else None)
        self._open(CardEditor(original, self.library, self.window, draft=draft))
        return True
