"""The board: the three strategies as columns with their initiatives, and a lane per kind."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefer.core.cards import Card
from briefer.core.checks import FRESHNESS_LABELS, freshness
from briefer.core.rules import KIND_LABELS
from briefer.gui.models import CardFilterProxy, CardListModel, CardRole, Index

OTHER_KINDS = ("benefit", "background", "quote", "talking-point", "risk")
TILE = QSize(260, 92)
MIN_TILE_WIDTH = 100


class ColumnView(QListView):
    """A strategy's column of initiatives: tiles as wide as the column, no sideways bar."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()


class CardDelegate(QStyledItemDelegate):
    """Paints a card as a tile: marking, title and the start of its text. In a column the
    tile takes the column's width (``fit``), so a narrow window never scrolls sideways."""

    def __init__(self, view: QListView, fit: bool = False) -> None:
        super().__init__(view)
        self.view, self.fit = view, fit

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        if not self.fit:
            return TILE
        room = self.view.viewport().width() - 2 * self.view.spacing() - 1
        return QSize(max(room, MIN_TILE_WIDTH), TILE.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card: Card | None = index.data(CardRole)
        if card is None:
            return
        palette = option.palette
        rect = QRectF(option.rect.adjusted(4, 4, -4, -4))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        painter.setBrush(fill)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRoundedRect(rect, 6, 6)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(text_role))
        inner = rect.adjusted(8, 6, -8, -6)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        # At most two lines of title, the second cut with "…": never over the text below.
        title_metrics = painter.fontMetrics()
        step = title_metrics.lineSpacing()
        for number, text in enumerate(
            _lines(f"({card.marking}) {card.title}", title_metrics, inner)
        ):
            painter.drawText(
                QRectF(inner.left(), inner.top() + number * step, inner.width(), step),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                text,
            )
        state = FRESHNESS_LABELS[freshness(card)]
        if state:  # a stale or overdue card says so in its corner
            painter.save()
            painter.setPen(QColor("#7a5200") if not selected else palette.color(text_role))
            painter.drawText(
                inner,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                state,
            )
            painter.restore()
        painter.setFont(option.font)
        metrics = painter.fontMetrics()
        body = " ".join(card.body.replace("**", "").replace("*", "").split())
        line = metrics.lineSpacing()
        top = inner.top() + 40
        for number, text in enumerate(_lines(body, metrics, inner)):
            painter.drawText(
                QRectF(inner.left(), top + number * line, inner.width(), line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                text,
            )
        painter.restore()


def _lines(text: str, metrics: QFontMetrics, rect: QRectF) -> list[str]:
    """Two whole lines of ``text`` at most, the second elided: never a half-drawn line."""
    width = int(rect.width())
    lines: list[str] = []
    for number in range(2):
        if not text:
            break
        if number == 1:
            lines.append(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
            break
        cut = len(text)
        while cut > 0 and metrics.horizontalAdvance(text[:cut]) > width:
            cut = text.rfind(" ", 0, cut - 1) if " " in text[: cut - 1] else cut - 1
        cut = cut or 1
        lines.append(text[:cut])
        text = text[cut:].lstrip()
    return lines


def _card_view(
    model: CardListModel, proxy: CardFilterProxy, name: str, column: bool = False
) -> QListView:
    view = ColumnView() if column else QListView()
    proxy.setSourceModel(model)
    view.setModel(proxy)
    view.setItemDelegate(CardDelegate(view, fit=column))
    if column:
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setMinimumWidth(MIN_TILE_WIDTH + 24)
    view.setUniformItemSizes(True)
    view.setSpacing(2)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.setAccessibleName(name)
    view.setToolTip("Double-click or Enter to edit; drag into a memo section")
    return view


class BoardView(QWidget):
    """The home view. Emits requests; the main window acts on them."""

    edit_requested = Signal(str)
    new_card_requested = Signal(str, str)  # kind, strategy id

    def __init__(self, model: CardListModel) -> None:
        super().__init__()
        self.model = model
        self.columns_widget = QWidget()
        self.columns = QHBoxLayout(self.columns_widget)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.lanes = QTabWidget()
        self.lanes.setAccessibleName("Other cards by kind")
        self.lane_views: dict[str, QListView] = {}
        for kind in OTHER_KINDS:
            proxy = CardFilterProxy(self)
            proxy.set_filters(kinds=[kind])
            view = _card_view(model, proxy, f"{KIND_LABELS[kind]} cards")
            view.setFlow(QListView.Flow.LeftToRight)
            view.setWrapping(True)
            view.setResizeMode(QListView.ResizeMode.Adjust)
            view.activated.connect(self._activated)
            lane = QWidget()
            lane_layout = QVBoxLayout(lane)
            lane_layout.setContentsMargins(2, 2, 2, 2)
            lane_layout.addWidget(view)
            add = QPushButton(f"New {KIND_LABELS[kind].lower()} card")
            add.setAccessibleName(f"New {KIND_LABELS[kind].lower()} card")
            add.clicked.connect(lambda _=False, k=kind: self.new_card_requested.emit(k, ""))
            lane_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
            self.lanes.addTab(lane, KIND_LABELS[kind] + "s")
            self.lane_views[kind] = view
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.columns_widget)
        splitter.addWidget(self.lanes)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self._split_made = False  # the strategies' share, once they are in (see rebuild)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.column_views: dict[str, QListView] = {}
        self.rebuild()
        model.modelReset.connect(self.rebuild)
        model.rowsInserted.connect(self._maybe_rebuild)
        model.rowsRemoved.connect(self.rebuild)
        model.dataChanged.connect(self._refresh_titles)

    def _maybe_rebuild(self) -> None:
        if {c.id for c in self.model.library.of_kind("strategy")} != set(self.column_views):
            self.rebuild()

    def rebuild(self) -> None:
        """One column per strategy card, each a filtered view of the same model."""
        while self.columns.count():
            item = self.columns.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden now: deleteLater waits for the event loop, and under a message
                # box (a memo that cannot open, say) "Loading…" stayed over the columns.
                widget.hide()
                widget.deleteLater()
        self.column_views.clear()
        self.column_titles: dict[str, QLabel] = {}
        strategies = self.model.library.of_kind("strategy")
        if self.model.loading:
            empty = QLabel("Loading the library…")
            self.columns.addWidget(empty)
        elif not strategies:
            empty = QLabel("No strategy cards in the library yet. Add one from the library.")
            empty.setWordWrap(True)
            self.columns.addWidget(empty)
        for strategy in strategies:
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            column = QVBoxLayout(frame)
            column.setContentsMargins(4, 4, 4, 4)
            label = QLabel(strategy.title)
            label.setWordWrap(True)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.column_titles[strategy.id] = label
            column.addWidget(label)
            open_button = QPushButton("Open strategy")
            open_button.setAccessibleName(f"Open strategy {strategy.title}")
            open_button.clicked.connect(lambda _=False, s=strategy.id: self.edit_requested.emit(s))
            proxy = CardFilterProxy(self)
            proxy.set_filters(kinds=["initiative"], strategy=strategy.id)
            view = _card_view(self.model, proxy, f"Initiatives for {strategy.title}", column=True)
            view.activated.connect(self._activated)
            column.addWidget(view)
            add = QPushButton("New initiative")
            add.setAccessibleName(f"New initiative for {strategy.title}")
            add.clicked.connect(
                lambda _=False, s=strategy.id: self.new_card_requested.emit("initiative", s)
            )
            # One above the other: a column stays narrow enough for the board beside a memo.
            column.addWidget(open_button)
            column.addWidget(add)
            self.columns.addWidget(frame, 1)
            self.column_views[strategy.id] = view
        if not self.model.loading and not self._split_made:
            self._split_made = True
            sizes = self.splitter.sizes()
            total = sum(sizes)
            if total and sizes[0] < total * 3 // 5:
                # The board was shown while the library loaded, and split for a one-line
                # "Loading…": give the strategies' initiatives their three fifths now.
                self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])

    def _refresh_titles(self) -> None:
        for strategy in self.model.library.of_kind("strategy"):
            label = self.column_titles.get(strategy.id)
            if label is not None:
                label.setText(strategy.title)

    def _activated(self, index: QModelIndex) -> None:
        card = index.data(CardRole)
        if card is not None:
            self.edit_requested.emit(card.id)
