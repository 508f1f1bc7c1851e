"""Noticing files that change on disk: an open memo, and the card files of the library.

``QFileSystemWatcher`` stops watching a file that is replaced by a rename (what git, sync
clients and Briefer's own atomic saves do). So the folders are watched too, every event is
followed by re-adding the files that exist again, and a change is reported only when the
file's bytes differ from what was last seen: touching a file or saving what it already held
reports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from briefer.core.storage import fingerprint


class FileWatcher(QObject):
    """Watches files (by content) and folder trees (by listing); reports after a short pause."""

    files_changed = Signal(list)  # [Path]: content changed, or the file appeared or vanished
    folders_changed = Signal()  # a file was added, removed or renamed under a watched tree

    def __init__(self, parent: QObject | None = None, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._qt = QFileSystemWatcher(self)
        self._known: dict[Path, str | None] = {}  # watched file -> last fingerprint
        self._trees: list[Path] = []
        self._listing: set[Path] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.check)
        self._qt.fileChanged.connect(self._timer.start)
        self._qt.directoryChanged.connect(self._timer.start)

    # -- what is watched --------------------------------------------------------------
    def watch_file(self, path: Path, seen: str | None = None) -> None:
        """Watch a file; ``seen`` is the fingerprint of the content the app has."""
        path = Path(path).absolute()
        self._known[path] = seen if seen is not None else fingerprint(path)
        self._add([path, path.parent])

    def watch_new_files(self, paths: Iterable[Path]) -> None:
        """Watch the files not watched yet (those already watched keep what was seen)."""
        for path in paths:
            if Path(path).absolute() not in self._known:
                self.watch_file(path)

    def unwatch_file(self, path: Path) -> None:
        path = Path(path).absolute()
        if self._known.pop(path, None) is not None or str(path) in self._qt.files():
            self._qt.removePath(str(path))

    def set_seen(self, path: Path, seen: str | None) -> None:
        """After the app itself wrote a file: its new content is not someone else's change."""
        path = Path(path).absolute()
        if path in self._known:
            self._known[path] = seen

    def watch_trees(self, folders: Iterable[Path]) -> None:
        """Watch folders and every folder below them for files coming and going."""
        self._trees = [Path(f).absolute() for f in folders]
        self._listing = self._list()
        self._add(self._folders())

    def watched(self) -> list[str]:
        return [*self._qt.files(), *self._qt.directories()]

    # -- checking ---------------------------------------------------------------------
    def check(self) -> None:
        """Compare what is on disk with what was seen, re-add dropped watches, report."""
        changed = []
        for path, seen in list(self._known.items()):
            now = fingerprint(path)
            if now != seen:
                self._known[path] = now
                changed.append(path)
        listing = self._list()
        trees_changed = listing != self._listing
        self._listing = listing
        self._add([*self._known, *(p.parent for p in self._known), *self._folders()])
        if changed:
            self.files_changed.emit(changed)
        if trees_changed:
            self.folders_changed.emit()

    def _add(self, paths: Iterable[Path]) -> None:
        present = set(self._qt.files()) | set(self._qt.directories())
        new = [str(p) for p in paths if str(p) not in present and p.exists()]
        if new:
            self._qt.addPaths(sorted(set(new)))

    def _folders(self) -> list[Path]:
        found = []
        for tree in self._trees:
            if tree.is_dir():
                found.append(tree)
                found.extend(p for p in tree.rglob("*") if p.is_dir())
        return found

    def _list(self) -> set[Path]:
        """The files under the trees (hidden temporary files left out)."""
        found: set[Path] = set()
        for tree in self._trees:
            if tree.is_dir():
                found.update(
                    p for p in tree.rglob("*") if p.is_file() and not p.name.startswith(".")
                )
            elif tree.is_file():
                found.add(tree)
        return found
