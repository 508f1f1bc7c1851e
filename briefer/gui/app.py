"""Starting the window: a check for the system libraries Qt needs, then the main window."""

from __future__ import annotations

import argparse
import ctypes.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.core.workspace import Workspace
    from briefer.gui.settings import Settings

# Qt's xcb platform plugin needs these; without them Qt aborts with a misleading message.
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("EGL", "libegl1"),
    ("GL", "libgl1"),
)


def display_problem() -> str | None:
    """Why the window cannot open on this desktop, or None when it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform.startswith(("offscreen", "minimal")):
        return None
    if platform.startswith("wayland") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "Briefer needs a desktop to open its window, and no display was found (DISPLAY is "
            "not set). The commands work without one: briefer validate | cards | templates | "
            "export MEMO -o OUT."
        )
    missing = [pkg for lib, pkg in XCB_LIBRARIES if ctypes.util.find_library(lib) is None]
    if missing:
        return (
            "Briefer's window needs system libraries that are not installed. On Debian or "
            f"Ubuntu, install them with:\n\n  sudo apt-get install {' '.join(missing)}\n"
        )
    return None


def install_excepthook(keep_work: Callable[[], object] | None = None) -> None:
    """An exception that reaches the event loop is logged and shown; the work is kept.

    ``keep_work`` writes the open memo and card drafts to the recovery folder first, so
    even if what follows goes wrong, nothing typed is lost.
    """

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        from briefer.gui import dialogs
        from briefer.gui.log import write_log

        path = write_log("Unexpected error", value.with_traceback(tb))
        kept = ""
        if keep_work is not None:
            try:
                keep_work()
                kept = " A copy of your unsaved work was also put in the recovery folder."
            except Exception as exc:
                write_log("Could not write the recovery copy", exc)
        dialogs.tell(
            None,
            "Something went wrong",
            f"Briefer hit an unexpected problem: {value}. Your memo is still open; save it "
            f"now.{kept} The details were written to the log ({path}); please send it to "
            "whoever supports Briefer for you.",
            error=True,
        )

    sys.excepthook = hook


def run(argv: Sequence[str]) -> int:
    """``briefer [MEMO | BOOK]``: open the window, on the memo or book if one is given."""
    parser = argparse.ArgumentParser(prog="briefer")
    parser.add_argument("memo", nargs="?", type=Path)
    parser.add_argument("--library", metavar="DIR", action="append", type=Path)
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv))
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    # The preview lays pages out on a worker thread, in Python like the window's models: a
    # click or a key waits for Python's lock while a render holds it. Handed over every
    # millisecond instead of every five, a 16,500-item memo showed in 8 s instead of 19.
    sys.setswitchinterval(0.001)

    from briefer.gui import settings as S
    from briefer.gui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName("Briefer")
    app.setApplicationName("Briefer")
    app.setApplicationDisplayName("Briefer")
    settings = S.Settings()
    for folder in args.library or []:
        if not folder.is_dir():
            print(f"briefer: library folder {folder} does not exist", file=sys.stderr)
            return 2
    # The window shows at once; the library is read on a worker thread and fills it.
    window = MainWindow(gui_workspace(settings, args.library, pending=True), settings)
    window.show()
    install_excepthook(window.unsaved.autosave_now)

    def ready() -> None:
        window.unsaved.offer()  # work left by a Briefer that crashed or was killed
        if args.memo is not None:
            window.open_any(args.memo)
        if args.quit_after is not None:  # (tests and benchmarks: counted from here)
            QTimer.singleShot(args.quit_after, window, window.close)

    window.load_library(ready)
    return int(app.exec())


def end_qt() -> None:
    """Shut Qt down properly (the clipboard is handed to the desktop as usual) before the
    process ends without freeing the rest (``briefer.cli._leave``)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.shutdown()


def gui_workspace(
    settings: Settings, libraries: list[Path] | None = None, pending: bool = False
) -> Workspace:
    """The bundled library, the user's own library and any extra folders from settings;
    or, given ``libraries`` (``briefer --library DIR``), those folders and the user's.
    ``pending``: the folders are not read yet (``MainWindow.load_library`` reads them)."""
    from briefer.core import paths
    from briefer.core.workspace import Workspace
    from briefer.gui import settings as S

    if libraries:
        folders = [Path(f) for f in libraries]
    else:
        folders = [paths.bundled_library()]
        for extra in settings.get(S.LIBRARY_FOLDERS):
            if Path(extra).is_dir():
                folders.append(Path(extra))
    # The user's own library comes last and wins: a card saved there (an edit of a bundled
    # card, or a copy the user chose to keep) replaces the card with its id elsewhere.
    overridable = list(folders)
    user = S.user_library_dir(settings)
    if user.is_dir() and user not in folders:
        folders.append(user)
    if pending:
        return Workspace.pending(folders, overridable=overridable)
    return Workspace.load(folders, overridable=overridable)
