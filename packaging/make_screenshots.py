"""Retake the README's window screenshots (packaging/screenshots/) on the bundled library,
with fresh settings, from the window as it runs on a real display (xcb), e.g. under Xvfb:

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python packaging/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "packaging" / "screenshots"
MEMO = ROOT / "content" / "memos" / "power-sector-dialogue.brief.yaml"


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="briefer-shots-"))
    for name in ("SETTINGS", "DATA", "CACHE"):  # a new user's window, not this machine's
        os.environ[f"BRIEFER_{name}_DIR"] = str(scratch / name.lower())
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from briefer.gui import settings as S
    from briefer.gui.app import gui_workspace
    from briefer.gui.main_window import MainWindow

    app = QApplication(["briefer"])
    app.setApplicationDisplayName("Briefer")
    window = MainWindow(gui_workspace(S.Settings(), None, pending=True), S.Settings())

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(name: str, ms: int = 1500) -> None:
        window.preview.wait_idle()
        wait(ms)  # the pages drawn, the layout settled
        window.grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    def ready() -> None:
        window.show_board()
        shot("board.png", 800)
        window.memo.open_path(MEMO)
        shot("composer.png")
        window.resize(1400, 900)
        window.preview.set_zoom("1.5")
        shot("preview-zoom.png")
        window.preview.set_zoom("width")
        window.set_side_by_side(True)
        wait(300)
        window._default_beside_split()
        shot("board-beside-memo.png")
        window.set_side_by_side(False)
        window.resize(1024, 700)
        window.show_memo()
        shot("window-1024x700.png")
        window.memo.stack.setClean()
        app.exit(0)

    window.resize(1500, 950)
    window.show()
    window.load_library(ready)
    code = app.exec()
    window.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
