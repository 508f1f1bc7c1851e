"""The library read on a worker thread at start, so the window shows at once and fills
as the cards arrive (100,000 cards: about ten seconds the first time, under two once
cached), with progress in the status bar."""

from __future__ import annotations

import time

from PySide6.QtCore import QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QStatusBar

from briefer.core.cards import Card, CardLibrary, FileCache
from briefer.core.workspace import Workspace


class LoadStopped(Exception):
    """The window closed while the library was loading."""


# Seconds to the first batch of arrived cards, doubled after each: every batch re-filters and
# lays out every view again (a cold read of 100,000 cards sends four or five).
ARRIVED_EVERY = 1.0


class LibraryLoader(QThread):
    """Runs ``Workspace.first_read`` off the GUI thread. ``progress`` is emitted at most
    every 50 ms, and ``arrived`` (cards, their search texts) with the cards read since
    after one second, then two, four...; when the thread finishes, ``result`` holds the
    library and its per-file cache, or ``failure`` says why there is none. Search texts
    are made here."""

    progress = Signal(int, int)
    arrived = Signal(object, object)  # list[Card], list[str]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.result: tuple[CardLibrary, FileCache, list[str]] | None = None
        self.failure: Exception | None = None
        self._stop = False
        self._told = 0.0
        self._batch: list[Card] = []
        self._sent = 0.0
        self._every = ARRIVED_EVERY

    def stop(self) -> None:
        """Give up at the next file; waits for the thread."""
        self._stop = True
        self.wait()

    def _tell(self, done: int, total: int) -> None:
        if self._stop:
            raise LoadStopped
        now = time.monotonic()
        if now - self._told >= 0.05 or done == total:
            self._told = now
            self.progress.emit(done, total)

    def _arrived(self, cards: list[Card]) -> None:
        self._batch.extend(cards)
        now = time.monotonic()
        if now - self._sent >= self._every:
            self._sent, self._every = now, self._every * 2
            batch, self._batch = self._batch, []
            self.arrived.emit(batch, [card.search_text() for card in batch])

    def run(self) -> None:
        self._sent = time.monotonic()  # a quick read sends nothing before its whole library
        try:
            library, cache = self.workspace.first_read(self._tell, self._arrived)
            search = [card.search_text() for card in library.cards.values()]
        except LoadStopped:
            return
        except Exception as exc:  # noqa: BLE001 - a bug or no memory: told, never a traceback
            self.failure = exc  # (a file that cannot be read is a problem, not this)
            return
        self.result = (library, cache, search)


class LoadingBar(QProgressBar):
    """How far the first read of the library is, in the status bar. It shows itself only
    when the read takes more than a moment (300 ms), and goes when the cards are in."""

    def __init__(self, status: QStatusBar) -> None:
        super().__init__(status)
        self.setObjectName("library-loading")
        self.setAccessibleName("Loading the library")
        self.setMinimumWidth(300)
        self.setRange(0, 0)  # busy until the first step is told
        self.setFormat("Loading the library…")
        status.addPermanentWidget(self)
        self.hide()
        self._status, self._done = status, False
        QTimer.singleShot(300, self, self._appear)

    def _appear(self) -> None:
        if not self._done:
            self.show()

    def step(self, done: int, total: int) -> None:
        """Each file is told twice: read, then made into cards."""
        files = total // 2
        if done <= files:
            self.setFormat(f"Reading the library: {done:,} of {files:,} files")
        else:
            self.setFormat(f"Making cards: {done - files:,} of {files:,} files")
        self.setRange(0, total)
        self.setValue(done)

    def finish(self) -> None:
        self._done = True
        self._status.removeWidget(self)
        self.deleteLater()
