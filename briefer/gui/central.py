"""The window's centre: the board, and the memo (its composer beside its pages), in two tabs
or side by side; the user's choice and both splits are remembered."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QWidget

from briefer.gui import settings as S

BOARD_TAB, MEMO_TAB = 0, 1


class CentralArea(QStackedWidget):
    """Shows the board and the memo in tabs or side by side. ``memo_area`` is the memo's
    composer (or what shows with no memo open) beside its ``pages``."""

    def __init__(self, board: QWidget, pages: QWidget, empty: QWidget, settings: S.Settings):
        super().__init__()
        self.board, self.settings = board, settings
        self.memo_area = QSplitter()
        # Held here: the splitter's replaceWidget does not take the widget over from
        # Python, and a placeholder held by nothing was deleted, leaving the memo area
        # with the preview alone (and that one-pane split remembered for every start).
        self.memo_pane = empty
        self.memo_area.addWidget(empty)
        self.memo_area.addWidget(pages)
        self.memo_area.setStretchFactor(0, 1)
        self.memo_area.setStretchFactor(1, 1)
        # Neither side folds away: the preview carries the page count, and a composer
        # dragged to nothing looked like a memo that would not open.
        self.memo_area.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        # Dragging a card from the board over the Memo tab opens it, so it can be dropped.
        self.tabs.tabBar().setAcceptDrops(True)
        self.tabs.tabBar().setChangeCurrentOnDrag(True)
        # Or the two side by side (View › Board beside memo): the board and the memo move
        # between the tabs and this splitter.
        self.beside = QSplitter()
        self.beside.setObjectName("board-beside-memo")
        self.beside.setChildrenCollapsible(False)
        self.addWidget(self.tabs)
        self.addWidget(self.beside)

    @property
    def side_by_side(self) -> bool:
        return self.currentWidget() is self.beside

    def set_side_by_side(self, on: bool) -> bool:
        """Tabs, or side by side with the split saved last time. True when side by side
        has no saved split, so the caller lays out the default once there is room."""
        self.settings.set(S.BOARD_BESIDE_MEMO, on)
        if on == self.side_by_side and self.beside.count() + self.tabs.count() == 2:
            return False
        if not on:
            if self.beside.count():
                self.settings.set(S.BESIDE_SPLIT, self.beside.saveState())
            self.tabs.addTab(self.board, "Board")
            self.tabs.addTab(self.memo_area, "Memo")
            self.setCurrentWidget(self.tabs)
            return False
        self.tabs.clear()  # the widgets stay; only the tabs go
        self.beside.addWidget(self.board)
        self.beside.addWidget(self.memo_area)
        split = self.settings.get(S.BESIDE_SPLIT)
        restored = S.restorable_split(split, self.beside.count())
        if restored:
            self.beside.restoreState(split)
        self.setCurrentWidget(self.beside)
        self.board.show()  # a tab's page comes out hidden; the splitter keeps it so
        self.memo_area.show()
        return not restored

    def default_split(self) -> None:
        """Side by side the first time: the board two parts in five, and the memo's
        composer and pages half each of the rest."""
        total = sum(self.beside.sizes())
        if total <= 0:
            return
        board = max(int(total * 0.4), self.board.minimumSizeHint().width())
        self.beside.setSizes([board, max(total - board, 1)])
        memo = sum(self.memo_area.sizes())
        self.memo_area.setSizes([memo // 2, memo - memo // 2])

    def restore_memo_split(self) -> None:
        split = self.settings.get(S.MEMO_SPLIT)
        if S.restorable_split(split, self.memo_area.count()):
            self.memo_area.restoreState(split)

    def save_splits(self) -> None:
        self.settings.set(S.MEMO_SPLIT, self.memo_area.saveState())
        if self.side_by_side:
            self.settings.set(S.BESIDE_SPLIT, self.beside.saveState())

    def show_memo_pane(self, pane: QWidget) -> None:
        """The composer of the memo just opened, or what shows with none; the split the
        user chose stays for every memo."""
        self.memo_pane = pane
        old = self.memo_area.widget(0)
        sizes = self.memo_area.sizes()
        self.memo_area.replaceWidget(0, pane)
        if all(size > 0 for size in sizes):  # laid out already: keep it; else the default
            self.memo_area.setSizes(sizes)
        if old is not None:
            old.deleteLater()

    def show_board(self) -> None:
        if self.side_by_side:
            self.board.setFocus()
        else:
            self.tabs.setCurrentIndex(BOARD_TAB)

    def show_memo(self, composer: QWidget | None) -> None:
        if not self.side_by_side:
            self.tabs.setCurrentIndex(MEMO_TAB)
        elif composer is not None:
            composer.setFocus()

    def on_memo_tab(self) -> bool:
        """In tabs, with the Memo tab the one shown."""
        return not self.side_by_side and self.tabs.currentIndex() == MEMO_TAB

    def in_memo(self, widget: QWidget) -> bool:
        return self.memo_area.isAncestorOf(widget)
