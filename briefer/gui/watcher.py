"""Noticing files that change on disk: an open memo, and the library's folders and files.

``QFileSystemWatcher`` stops watching a file that is replaced by a rename (what git, sync
clients and Briefer's own atomic saves do). So folders are watched too and every event is
followed by re-adding what exists again. A watched memo is compared by content, so touching
it or saving what it already held reports nothing. Library trees are not hashed here: any
event under them is reported once, and the library's own cache (one digest per file) tells
which files really changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from briefer.core.storage import fingerprint


class FileWatcher(QObject):
    """Watches files (by content) and folder trees (by event); reports after a short pause."""

    files_changed = Signal(list)  # [Path]: content changed, or the file appeared or vanished
    trees_changed = Signal()  # something under a watched tree was added, changed or removed

    def __init__(self, parent: QObject | None = None, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._qt = QFileSystemWatcher(self)
        self._known: dict[Path, str | None] = {}  # watched file -> last fingerprint
        self._trees: list[Path] = []
        self._tree_paths: set[str] = set()
        self._touched: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.check)
        self._qt.fileChanged.connect(self._event)
        self._qt.directoryChanged.connect(self._event)

    # -- what is watched --------------------------------------------------------------
    def watch_file(self, path: Path, seen: str | None = None) -> None:
        """Watch a file by content; ``seen`` is the fingerprint of the content the app has."""
        path = Path(path).absolute()
        self._known[path] = seen if seen is not None else fingerprint(path)
        self._add([path, path.parent])

    def unwatch_file(self, path: Path) -> None:
        path = Path(path).absolute()
        self._known.pop(path, None)
        if str(path) in self._qt.files() and str(path) not in self._tree_paths:
            self._qt.removePath(str(path))

    def watch_trees(self, folders: Iterable[Path], files: Iterable[Path] = ()) -> None:
        """Watch folders, every folder below them, and the given files in them."""
        self._trees = [Path(f).absolute() for f in folders]
        # Strings, not Path objects: a library of 10,000 files makes 10,000 of them.
        names = [str(p) for p in self._folders()]
        names += [os.path.abspath(f) for f in files]
        self._tree_paths = set(names)
        self._add_names(names)

    def watched(self) -> list[str]:
        return [*self._qt.files(), *self._qt.directories()]

    # -- checking ---------------------------------------------------------------------
    def _event(self, path: str) -> None:
        self._touched.add(path)
        self._timer.start()

    def check(self) -> None:
        """Compare watched files with what was seen, re-add dropped watches, report."""
        touched, self._touched = self._touched, set()
        changed = []
        for path, seen in list(self._known.items()):
            now = fingerprint(path)
            if now != seen:
                self._known[path] = now
                changed.append(path)
        in_trees = any(
            t in self._tree_paths or any(Path(t).is_relative_to(tree) for tree in self._trees)
            for t in touched
        )
        self._add([*self._known, *(p.parent for p in self._known), *self._folders()])
        self._add(Path(p) for p in self._tree_paths)
        if changed:
            self.files_changed.emit(changed)
        if in_trees:
            self.trees_changed.emit()

    def _add(self, paths: Iterable[Path]) -> None:
        self._add_names(str(p) for p in paths)

    def _add_names(self, names: Iterable[str]) -> None:
        present = set(self._qt.files()) | set(self._qt.directories())
        new = {n for n in names if n not in present and os.path.exists(n)}
        if new:
            self._qt.addPaths(sorted(new))

    def _folders(self) -> list[Path]:
        """Every folder under the trees, without following links (no loop, no recursion)."""
        found = []
        pending = [str(t) for t in self._trees if t.is_dir()]
        while pending:
            folder = pending.pop()
            found.append(Path(folder))
            try:
                with os.scandir(folder) as entries:
                    pending.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
            except OSError:
                continue
        return found
