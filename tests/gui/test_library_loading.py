"""The window shows at once and the library fills it from a worker thread (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer.core import cards as cards_module
from briefer.core.workspace import Workspace
from briefer.gui import settings as S

CARD = (
    "  - id: {id}\n    kind: background\n    title: Card {id}\n    body: Text {id}.\n"
    "    marking: U\n    tags: [{tag}]\n    sources: [{{title: Paper}}]\n"
)


def _library(folder: Path, files: int, tag: str = "coal") -> Path:
    folder.mkdir()
    for n in range(files):
        body = CARD.format(id=f"card-{n}", tag=tag if n % 2 else "power")
        (folder / f"c{n:03d}.yaml").write_text(f"cards:\n{body}", encoding="utf-8")
    (folder / "broken.yaml").write_text("cards: [\n", encoding="utf-8")
    return folder


def _slow_reads(monkeypatch, seconds: float) -> None:
    real = cards_module._read_digest

    def slow(path):
        time.sleep(seconds)
        return real(path)

    monkeypatch.setattr(cards_module, "_read_digest", slow)


def _pending_window(qtbot, folder: Path, repo: Path):
    from briefer.gui.main_window import MainWindow

    workspace = Workspace.pending([folder], repo / "templates")
    window = MainWindow(workspace, S.Settings())
    qtbot.addWidget(window)
    window.show()
    return window


def test_window_shows_first_then_fills_with_the_library(qtbot, answers, repo, tmp_path):
    folder = _library(tmp_path / "team", 12)
    window = _pending_window(qtbot, folder, repo)
    # Shown, with nothing to search or pick yet and the commands that need cards greyed.
    assert window.isVisible()
    assert len(window.workspace.library) == 0
    assert window.library_panel.count.text() == "Loading…"
    assert not window.library_panel.search.isEnabled()
    assert not window.act_new.isEnabled()
    assert not window.act_new_card.isEnabled()
    assert not window.central.isEnabled()
    # Nothing is said to be fine before it has been read.
    assert "No problems" not in window.problems_panel.summary.text()
    ready = []
    window.load_library(lambda: ready.append(len(window.workspace.library)))
    qtbot.waitUntil(lambda: bool(ready), timeout=10000)
    assert ready == [12]  # ready ran once, with every card in
    assert window.library.model.rowCount() == 12
    assert window.library_panel.count.text() == "12 of 12"
    assert window.library_panel.search.isEnabled()
    assert window.act_new.isEnabled()
    assert window.central.isEnabled()
    assert window.counts.text().startswith("12 cards")
    # What the read found wrong is reported as for a library read before the window.
    assert any("broken.yaml" in line for line in window.problems_panel.lines())
    window.library_panel.search.setText("card-7")
    assert window.library_panel.proxy.rowCount() == 1
    # Read again later (a file changed on disk), from the first read's cache.
    (folder / "c000.yaml").unlink()
    window.library.reload()
    assert window.library.model.rowCount() == 11


def test_remembered_filters_survive_the_wait(qtbot, answers, repo, tmp_path):
    folder = _library(tmp_path / "team", 6)
    settings = S.Settings()
    settings.set(S.LIBRARY_FILTERS, "background||coal||all")
    window = _pending_window(qtbot, folder, repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready), timeout=10000)
    assert window.library_panel.tag.currentData() == "coal"
    assert window.library_panel.proxy.rowCount() == 3  # cards 1, 3 and 5
    assert S.Settings().get(S.LIBRARY_FILTERS) == "background||coal||all"


def test_a_slow_read_shows_its_progress(qtbot, answers, repo, tmp_path, monkeypatch):
    from briefer.gui.library_loader import LoadingBar

    folder = _library(tmp_path / "team", 40)
    _slow_reads(monkeypatch, 0.02)  # about a second in all
    window = _pending_window(qtbot, folder, repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    bar = window.statusBar().findChild(LoadingBar)
    assert bar is not None
    assert not bar.isVisible()
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: "of 41 files" in bar.format() and bar.value() > 0, timeout=5000)
    assert bar.format().startswith("Reading the library: ")
    qtbot.waitUntil(lambda: bool(ready), timeout=15000)
    assert window.statusBar().findChild(LoadingBar) is None or not bar.isVisible()


def test_closing_while_the_library_loads_stops_the_read(
    qtbot, answers, repo, tmp_path, monkeypatch
):
    folder = _library(tmp_path / "team", 200)
    _slow_reads(monkeypatch, 0.02)  # four seconds, if it were let run
    window = _pending_window(qtbot, folder, repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    loader = window.library.loader
    assert loader is not None
    qtbot.wait(200)
    started = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - started < 1.5
    assert loader.isFinished()
    assert loader.result is None
    assert loader.failure is None
    qtbot.wait(100)
    assert ready == []  # nothing is offered or opened after the window has gone


def test_a_read_that_fails_is_told_and_the_window_stays(
    qtbot, answers, repo, tmp_path, monkeypatch
):
    folder = _library(tmp_path / "team", 3)

    def fail(self, progress=None, arrived=None):
        raise MemoryError("out of memory")

    monkeypatch.setattr(Workspace, "first_read", fail)
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "data"))
    window = _pending_window(qtbot, folder, repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready and answers.told), timeout=10000)
    told = answers.told[0]
    assert "could not be loaded (MemoryError: out of memory)" in told
    assert "your files are unchanged" in told
    assert "briefer.log" in told
    assert window.library.model.rowCount() == 0
    assert window.act_new.isEnabled()
    assert window.library_panel.count.text() == "0 of 0"
    # The workspace agrees with the views that the read is over, so a change to the
    # folder later reads the cards in.
    assert window.workspace.loaded
    assert not window.library.model.loading
    window.library.reload()  # what a change in the folder starts
    assert window.library.model.rowCount() == 3


@pytest.mark.slow
def test_the_process_ends_at_once_and_keeps_what_the_window_saved(tmp_path):
    """``briefer`` leaves without freeing the heap object by object, after the window's
    close has synced the settings and released the memo's lock."""
    memo = tmp_path / "memo.brief.yaml"
    memo.write_bytes(
        (Path(__file__).parents[2] / "content/memos/state-of-play.brief.yaml").read_bytes()
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFER_SETTINGS_DIR": str(tmp_path / "settings"),
        "BRIEFER_DATA_DIR": str(tmp_path / "data"),
        "BRIEFER_CACHE_DIR": str(tmp_path / "cache"),
    }
    lock = memo.with_name(f".{memo.name}.lock")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefer", str(memo), "--quit-after", "1500"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not lock.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock.exists(), "the memo was never opened"
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not lock.exists()  # released when the window closed
    saved = (tmp_path / "settings" / "briefer.ini").read_text(encoding="utf-8", errors="replace")
    assert "geometry=" in saved  # written at close, before the process ended


def test_recovery_and_the_memo_wait_for_the_cards(qtbot, answers, repo, tmp_path, monkeypatch):
    """``briefer MEMO`` after a crash: the window shows, the library is read, then the
    recovered work is offered and the memo opens, its cards found."""
    import json

    from briefer.core.recovery import RecoveryStore
    from briefer.gui import app
    from briefer.gui.unsaved_work import UnsavedWork

    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "data"))
    entry = RecoveryStore(S.recovery_dir()).write("someone-1-memo", "memo", "old", "template: x\n")
    meta = json.loads(entry.meta_path.read_text())
    meta["owner"]["pid"] = 999_999_999  # a process that cannot exist
    entry.meta_path.write_text(json.dumps(meta))
    answers.recover = "later"
    seen = []
    real_offer = UnsavedWork.offer

    windows = []

    def offer(self, asked=False):
        window = self.window
        windows.append(window)
        seen.append(("offered", len(window.workspace.library), window.workspace.loaded))
        real_offer(self, asked)

    monkeypatch.setattr(UnsavedWork, "offer", offer)
    memo = repo / "content" / "memos" / "state-of-play.brief.yaml"
    assert app.run([str(memo), "--quit-after", "300"]) == 0
    assert len(seen) == 1  # offered once, when the cards were in:
    assert seen[0][2]
    assert seen[0][1] > 40
    assert answers.recovery_offered
    window = windows[0]
    assert window.memo.doc is not None
    assert window.memo.doc.memo.template == "information-memo"
    assert not [f for f in window.findings() if f.code == "card-missing"]
    for widget in qtbot_widgets():
        widget.close()


def qtbot_widgets():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()


def test_the_board_gives_the_strategies_room_once_they_are_in(qtbot, answers, repo, tmp_path):
    """Shown while loading, the board was split for one "Loading…" line and kept that
    split: the strategies' initiatives showed one card cut in half."""
    from briefer.core import paths

    window = _pending_window(qtbot, paths.bundled_library(), repo)
    window.resize(1400, 900)
    ready = []
    window.load_library(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready), timeout=10000)
    sizes = window.board.splitter.sizes()
    assert len(window.board.column_views) == 3
    assert sizes[0] >= sum(sizes) * 3 // 5 - 2, sizes
    # A split the user made stays when the board is rebuilt (a strategy added on disk).
    window.board.splitter.setSizes([200, sum(sizes) - 200])
    chosen = window.board.splitter.sizes()
    window.board.rebuild()
    assert window.board.splitter.sizes() == chosen


def test_the_loading_line_goes_at_once_even_under_a_message(qtbot, answers, repo):
    """The board's "Loading the library…" went only when the event loop came back to it,
    so a message shown as the cards came in (a memo that cannot open) showed it over the
    first strategy's title."""
    from PySide6.QtWidgets import QLabel

    from briefer.core import paths

    window = _pending_window(qtbot, paths.bundled_library(), repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready), timeout=10000)  # no event loop turn after this
    shown = [
        label.text()
        for label in window.board.columns_widget.findChildren(QLabel)
        if label.isVisible()
    ]
    assert "Loading the library…" not in shown
    assert len(window.board.column_views) == 3


def test_the_library_fills_as_the_cards_arrive(qtbot, answers, repo, tmp_path, monkeypatch):
    """On a long read, cards show (greyed) as they are made, the count says how many so
    far, and the whole library then replaces them: every card once, filters applied."""
    from briefer.gui import library_loader

    folder = _library(tmp_path / "team", 30)
    real = cards_module._parse_cached

    def slow(*args, **kwargs):
        time.sleep(0.03)  # about a second of making cards
        return real(*args, **kwargs)

    monkeypatch.setattr(cards_module, "_parse_cached", slow)
    monkeypatch.setattr(library_loader, "ARRIVED_EVERY", 0.1)
    window = _pending_window(qtbot, folder, repo)
    ready = []
    window.load_library(lambda: ready.append(True))
    model = window.library.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    assert not ready  # some cards in, the read still going
    assert model.loading
    view = window.library_panel.view
    assert not view.isEnabled()
    # Laid out at once (a batched layout restarted by each arrival drew nothing past
    # 30,000 rows); batched again for typing once the library is in.
    assert view.layoutMode() == view.LayoutMode.SinglePass
    assert window.library_panel.count.text() == f"Loading… {model.rowCount():,}"
    seen = model.rowCount()
    qtbot.waitUntil(lambda: bool(ready), timeout=15000)
    assert seen < 30
    ids = [model.card_at(row).id for row in range(model.rowCount())]
    assert sorted(ids) == sorted(f"card-{n}" for n in range(30))
    assert window.library_panel.count.text() == "30 of 30"
    assert view.layoutMode() == view.LayoutMode.Batched
    assert model.search_texts() == [
        c.search_text() for c in window.workspace.library.cards.values()
    ]
