"""The window and its screen: a pane that arrives widens the window into the screen's room,
and when even the whole screen is too narrow, panes give way (each said)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from briefer.gui.main_window import MainWindow


def widen(window: QMainWindow, extra: int) -> None:
    """The window ``extra`` pixels wider, as far as its screen has room, moved left if it
    would then go past the screen's edge: a pane that arrives takes its width from the
    screen, not from the memo's pages. A maximized or full-screen window stays as it is."""
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry().width() - window.width()
    width = min(window.width() + extra, room.width() - frame)
    if width <= window.width():
        return
    window.resize(width, window.height())
    x = min(window.x(), room.right() + 1 - (width + frame))
    window.move(max(room.left(), x), window.y())


def keep_on_screen(window: MainWindow) -> None:
    """When the panes need more width than the screen has (the board beside the memo,
    and a book as well), the library and then the board's place beside the memo give
    way, each said in the status bar; the View menu brings them back."""
    screen = window.screen()
    if screen is None or window.isFullScreen() or not window.isVisible():
        return
    layout = window.layout()
    if layout is not None:
        layout.activate()  # the panes just shown count in the least width
    room = screen.availableGeometry().width()

    def too_wide() -> bool:  # (with room for the page counts still to come in the bars)
        return window.minimumSizeHint().width() + 48 > room

    if too_wide() and window.dock.isVisible():
        window.dock.hide()
        window.notify("Library hidden to make room (View › Library brings it back).")
    if too_wide() and window.central.side_by_side:
        window.set_side_by_side(False)
        window.notify(
            "Board and memo back in tabs to make room for the book "
            "(View › Board beside memo puts them side by side again)."
        )
    if window.width() > room:  # once the layout has let go of the hidden panes
        QTimer.singleShot(
            0, window, lambda: window.resize(min(window.width(), room), window.height())
        )
