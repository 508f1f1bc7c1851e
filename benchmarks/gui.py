"""The window's figures: search keystroke, cold start, preview refresh, memory with 10,000 cards."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# Peak resident memory from /proc: ru_maxrss would carry the parent's peak across fork+exec.
PEAK = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"

BARE_WINDOW = (
    """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1400, 900); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""
    + PEAK
)

BRIEFER_WINDOW = (
    """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from briefer.core.workspace import Workspace
from briefer.gui import settings as S
from briefer.gui.main_window import MainWindow
app = QApplication(sys.argv)
folders = [Path(p) for p in sys.argv[1:]] or None
w = MainWindow(Workspace.load(folders), S.Settings()); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""
    + PEAK
)


def _process(args: list[str], runs: int, env: dict[str, str]) -> tuple[float, int]:
    times, rss = [], 0
    for i in range(runs + 1):
        start = time.perf_counter()
        out = subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
        if i:  # the first run warms the disk cache
            times.append(time.perf_counter() - start)
        lines = out.stdout.strip().splitlines()
        rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
    return statistics.median(times), rss


def cold_start(work: Path, runs: int) -> tuple[float, float]:
    """Whole process to the main window shown on the bundled library, and a bare window."""
    env = {**ENV, "BRIEFER_SETTINGS_DIR": str(work / "settings")}
    ours, _ = _process([PY, "-m", "briefer", "--quit-after", "0"], runs, env)
    bare, _ = _process([PY, "-c", BARE_WINDOW], runs, env)
    return ours, bare


def memory(work: Path, library: Path) -> tuple[float, float]:
    """Peak resident memory (MB) of the window with 10,000 cards, and of a bare window."""
    env = {**ENV, "BRIEFER_SETTINGS_DIR": str(work / "settings")}
    _, ours = _process([PY, "-c", BRIEFER_WINDOW, str(library)], 1, env)
    _, bare = _process([PY, "-c", BARE_WINDOW], 1, env)
    return ours / 1024, bare / 1024


def search_keystroke(library: Path, runs: int) -> list[tuple[int, float, float]]:
    """(characters typed, median ms per keystroke through the proxy, bare scan ms)."""
    from PySide6.QtWidgets import QApplication

    from briefer.core.cards import load_library
    from briefer.gui.library_panel import LibraryPanel
    from briefer.gui.models import CardListModel

    app = QApplication.instance() or QApplication([])
    cards = load_library([library])
    model = CardListModel(cards)
    panel = LibraryPanel(model, lambda _id: [])
    panel.resize(400, 900)
    panel.show()
    app.processEvents()
    texts = [c.search_text() for c in cards.cards.values()]
    query = "card number 12"  # matches progressively fewer cards as it grows
    results = []
    for length in (1, 3, 10, 13, 14):
        ours, bare = [], []
        for _ in range(runs):
            panel.search.clear()
            app.processEvents()
            panel.search.setText(query[: length - 1])
            app.processEvents()
            start = time.perf_counter()
            panel.search.setText(query[:length])  # one keystroke
            app.processEvents()  # the view updates too
            ours.append(time.perf_counter() - start)
            needle = query[:length].casefold()
            start = time.perf_counter()
            [t for t in texts if needle in t]
            bare.append(time.perf_counter() - start)
        results.append((length, statistics.median(ours), statistics.median(bare)))
    panel.close()
    return results


def library_reload(library: Path, work: Path, runs: int) -> tuple[float, float]:
    """A colleague changes one card file of 10,000 cards: time until the library shows it
    (read again, synced row by row into the model and its view), against the bare load."""
    import shutil

    from PySide6.QtWidgets import QApplication

    from briefer.core.cards import load_library
    from briefer.core.workspace import Workspace
    from briefer.gui.library_panel import LibraryPanel
    from briefer.gui.models import CardListModel

    app = QApplication.instance() or QApplication([])
    folder = work / "library-reload"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(library, folder)
    workspace = Workspace.load([folder])
    model = CardListModel(workspace.library)
    panel = LibraryPanel(model, lambda _id: [])
    panel.show()
    app.processEvents()
    target = sorted(folder.glob("*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    ours, bare = [], []
    for n in range(runs):
        target.write_text(original.replace("Card number", f"Edited {n} card number", 1))
        start = time.perf_counter()
        added, changed, removed = model.sync(workspace.read_library())
        app.processEvents()
        ours.append(time.perf_counter() - start)
        assert changed == 1, (added, changed, removed)
        start = time.perf_counter()
        load_library([folder])
        bare.append(time.perf_counter() - start)
    panel.close()
    return statistics.median(ours), statistics.median(bare)


def preview_refresh(runs: int) -> float:
    """From an edit to the new PDF loaded in the view, after the debounce (3-page memo)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from briefer.core.workspace import Workspace
    from briefer.gui import settings as S
    from briefer.gui.main_window import MainWindow

    _app = QApplication.instance() or QApplication([])
    window = MainWindow(Workspace.load(), S.Settings())
    window.show()
    loop = QEventLoop()
    window.preview.rendered.connect(lambda _n: loop.quit())
    window.memo.open_path(ROOT / "content" / "memos" / "state-of-play.brief.yaml")
    QTimer.singleShot(20000, loop.quit)
    loop.exec()
    times = []
    for i in range(runs + 1):
        window.composer.add_text("summary", f"An added sentence, number {i}.")
        start = time.perf_counter()
        window.preview.render_now()  # what the debounce timer calls
        loop.exec()
        if i:
            times.append(time.perf_counter() - start)
    window.memo.stack.setClean()
    window.close()
    return statistics.median(times)
