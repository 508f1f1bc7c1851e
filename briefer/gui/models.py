"""Qt item models: the card library, its filter proxy, and the items of a memo section."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractProxyModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from briefer.core import rules
from briefer.core.cards import Card, CardLibrary
from briefer.core.checks import FRESHNESS_LABELS, freshness
from briefer.core.memos import MemoItem
from briefer.core.rules import KIND_LABELS, card_wording
from briefer.core.templates import MemoTemplate, Section

CARD_MIME = "application/x-briefer-cards"
ITEM_MIME = "application/x-briefer-memo-items"
CardRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def card_mime(card_ids: Sequence[str]) -> QMimeData:
    """Drag data for cards: their ids, plus plain text for other applications."""
    mime = QMimeData()
    mime.setData(CARD_MIME, QByteArray(json.dumps(list(card_ids)).encode()))
    mime.setText("\n".join(card_ids))
    return mime


def mime_card_ids(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(CARD_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(CARD_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [str(i) for i in ids] if isinstance(ids, list) else []


class CardListModel(QAbstractListModel):
    """Every card of the library, in a stable order; views never hold card data."""

    def __init__(self, library: CardLibrary, parent: Any = None) -> None:
        super().__init__(parent)
        self._cards: list[Card] = []
        self._search: list[str] = []
        self._fresh: dict[str, tuple[tuple[str, str, dt.date], str]] = {}
        self.loading = False  # the library is still being read (the views say so)
        self.set_library(library)

    def set_library(self, library: CardLibrary, search: list[str] | None = None) -> None:
        """Show this library's cards; ``search`` may bring their search texts, in the
        library's order, made ahead (on the thread that read the library)."""
        self.beginResetModel()
        self.library = library
        self._cards = list(library.cards.values())
        if search is None or len(search) != len(self._cards):
            search = [c.search_text() for c in self._cards]
        self._search = search
        self.endResetModel()

    def add_arrived(self, cards: list[Card], search: list[str]) -> None:
        """While the library loads: show cards read so far (the views stay greyed). The
        whole library replaces them when it is in (``set_library``)."""
        if not cards:
            return
        start = len(self._cards)
        self.beginInsertRows(QModelIndex(), start, start + len(cards) - 1)
        self._cards.extend(cards)
        self._search.extend(search)
        self.endInsertRows()

    def kinds(self) -> list[str]:
        """Every card's kind, by row (the filters narrow by kind in one pass)."""
        return [c.kind for c in self._cards]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            state = FRESHNESS_LABELS[self.freshness(index.row())]
            kind = KIND_LABELS.get(card.kind, card.kind)
            shown = f"({card.marking}) {card.title} · {kind}"
            return f"{shown}  ({state})" if state else shown
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{KIND_LABELS.get(card.kind, card.kind)} ({card.marking}) · {card.id}"
        if role == Qt.ItemDataRole.ForegroundRole and self.freshness(index.row()) != "fresh":
            return QColor("#7a5200")  # amber: check its facts before use
        if role == CardRole:
            return card
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CARD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return card_mime([self._cards[r].id for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    # -- used by the proxy and the editor ---------------------------------------------
    def card_at(self, row: int) -> Card:
        return self._cards[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    def search_texts(self) -> list[str]:
        """Every card's casefolded search text, by row (the proxy scans them in one pass)."""
        return self._search

    def freshness(self, row: int) -> str:
        """fresh, stale, never (reviewed) or overdue, as of today (12-month window). Worked
        out once per card and day, not at every paint or filter pass."""
        card = self._cards[row]
        key = (card.reviewed, card.review_by, dt.date.today())
        hit = self._fresh.get(card.id)
        if hit is None or hit[0] != key:
            hit = (key, freshness(card, key[2]))
            self._fresh[card.id] = hit
        return hit[1]

    def row_of(self, card_id: str) -> int:
        return next((i for i, c in enumerate(self._cards) if c.id == card_id), -1)

    def put_card(self, card: Card) -> None:
        """Insert a new card or replace the one with the same id."""
        self.library.cards[card.id] = card
        row = self.row_of(card.id)
        if row < 0:
            row = len(self._cards)
            self.beginInsertRows(QModelIndex(), row, row)
            self._cards.append(card)
            self._search.append(card.search_text())
            self.endInsertRows()
        else:
            self._cards[row] = card
            self._search[row] = card.search_text()
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def sync(self, fresh: CardLibrary) -> tuple[int, int, int]:
        """Match a freshly read library row by row (no reset: selection and filters stay).

        Returns how many cards were added, changed and removed.
        """
        removed = [cid for cid in self.library.cards if cid not in fresh.cards]
        for card_id in removed:
            self.remove_card(card_id)
        added = changed = 0
        for card_id, card in fresh.cards.items():
            old = self.library.cards.get(card_id)
            if old is None:
                added += 1
            elif old != card:
                changed += 1
            elif old.origin == card.origin:
                continue  # same text, same place
            self.put_card(card)
        self.library.problems[:] = fresh.problems
        self.library.files[:] = fresh.files
        return added, changed, len(removed)

    def remove_card(self, card_id: str) -> None:
        row = self.row_of(card_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._cards[row]
        del self._search[row]
        self.library.cards.pop(card_id, None)
        self.endRemoveRows()


class CardFilterProxy(QAbstractProxyModel):
    """Search and filters over the library. The matching rows are worked out in one pass
    over the precomputed casefolded texts (a list comprehension, no Qt call per row) and
    handed to the view as a list; Qt asks Python only for the rows it shows. Selection and
    the current card survive a keystroke when they still match."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.kinds: frozenset[str] = frozenset()
        self.strategy = ""
        self.tag = ""
        self.marking = ""
        self.stale_only = False
        self._rows: list[int] = []  # source rows shown, in order
        self._where: dict[int, int] | None = None  # source row -> proxy row, when needed
        self._connected: CardListModel | None = None

    # -- the source -------------------------------------------------------------------
    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 - Qt override
        assert isinstance(model, CardListModel)
        old = self._connected
        if old is not None:
            for signal in (old.modelReset, old.rowsInserted, old.rowsRemoved, old.layoutChanged):
                signal.disconnect(self._refilter)
            old.dataChanged.disconnect(self._source_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        self._connected = model
        self._rows, self._where = self._matching(), None
        self.endResetModel()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self._refilter)
        model.dataChanged.connect(self._source_changed)

    def _source(self) -> CardListModel:
        assert self._connected is not None
        return self._connected

    # -- filters ----------------------------------------------------------------------
    def set_search(self, text: str) -> None:
        needle = " ".join(text.split()).casefold()
        if needle != self._needle:
            self._needle = needle
            self._refilter()

    def set_filters(
        self,
        kinds: Iterable[str] = (),
        strategy: str = "",
        tag: str = "",
        marking: str = "",
        stale_only: bool = False,
    ) -> None:
        self.kinds = frozenset(kinds)
        self.strategy = strategy
        self.tag = tag
        self.marking = marking
        self.stale_only = stale_only
        self._refilter()

    def filter_accepts(self, row: int) -> bool:
        """Whether one source row passes the search and every filter."""
        source = self._source()
        if self._needle and self._needle not in source.search_text(row):
            return False
        return self._passes_filters(row)

    def _passes_filters(self, row: int) -> bool:
        source = self._source()
        if self.stale_only and source.freshness(row) == "fresh":
            return False
        if not (self.kinds or self.strategy or self.tag or self.marking):
            return True
        card = source.card_at(row)
        if self.kinds and card.kind not in self.kinds:
            return False
        if self.strategy and self.strategy not in card.strategy and card.id != self.strategy:
            return False
        if self.tag and self.tag not in card.tags:
            return False
        return not self.marking or card.marking == self.marking

    def _matching(self) -> list[int]:
        if self._connected is None:
            return []
        texts = self._source().search_texts()
        needle = self._needle
        rows = (
            [i for i, text in enumerate(texts) if needle in text]
            if needle
            else list(range(len(texts)))
        )
        if self.kinds:  # the board's lanes and columns: one pass over the kinds first
            kinds, wanted = self._source().kinds(), self.kinds
            rows = [r for r in rows if kinds[r] in wanted]
        if self.stale_only or self.strategy or self.tag or self.marking:
            rows = [r for r in rows if self._passes_filters(r)]
        return rows

    def _refilter(self) -> None:
        """Show the rows that match now; what stays selected stays selected."""
        rows = self._matching()
        if rows == self._rows and self._connected is not None:
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        sources = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else -1 for i in kept]
        self._rows, self._where = rows, None
        moved = [self._proxy_index(r, i.column()) for r, i in zip(sources, kept, strict=True)]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    def _source_changed(self, first: QModelIndex, last: QModelIndex) -> None:
        """A card changed: it may now match or not; if the rows stay, repaint it."""
        rows = self._matching()
        if rows != self._rows:
            self._refilter()
            return
        for row in range(first.row(), last.row() + 1):
            index = self.mapFromSource(self._source().index(row))
            if index.isValid():
                self.dataChanged.emit(index, index)

    def _proxy_index(self, source_row: int, column: int = 0) -> QModelIndex:
        if source_row < 0:
            return QModelIndex()
        if self._where is None:
            self._where = {r: i for i, r in enumerate(self._rows)}
        at = self._where.get(source_row)
        return QModelIndex() if at is None else self.createIndex(at, column)

    # -- the proxy's shape ------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 1

    def index(self, row: int, column: int = 0, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._rows) or column != 0:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent(): the widget that owns the proxy
            return super().parent()
        return QModelIndex()  # a flat list: no item has a parent

    def mapToSource(self, proxy: Index) -> QModelIndex:  # noqa: N802
        if not proxy.isValid() or not 0 <= proxy.row() < len(self._rows):
            return QModelIndex()
        return self._source().index(self._rows[proxy.row()])

    def mapFromSource(self, source: Index) -> QModelIndex:  # noqa: N802
        if not source.isValid():
            return QModelIndex()
        return self._proxy_index(source.row())

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        return self._source().mimeData([self.mapToSource(i) for i in indexes])

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return self._source().mimeTypes()

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return self._source().supportedDragActions()


class SectionModel(QAbstractListModel):
    """The items of one memo section. Drops of cards and items become undo commands."""

    drop_requested = Signal(str, int, object, object)  # section, row, card ids, moved items
    kind_refused = Signal(str, str)  # section title, explanation

    def __init__(
        self,
        section: Section,
        items: list[MemoItem],
        library: CardLibrary,
        template: MemoTemplate | None = None,
    ) -> None:
        super().__init__()
        self.section = section
        self.template = template
        self.section_id = section.id
        self.title = section.title
        self.items = items
        self.library = library

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.card is None:
                return "Text typed into this memo"
            card = self.library.get(item.card)
            if card is None:
                return f"Card {item.card!r} is not in the library"
            note = " — reworded for this memo" if item.is_override else ""
            return f"{KIND_LABELS.get(card.kind, card.kind)} ({card.marking}){note}"
        return None

    def describe(self, item: MemoItem) -> str:
        if item.card is None:
            first = (item.text or "").strip().splitlines()
            mark = f"({item.marking}) " if item.marking else ""
            return f"✎ {mark}" + (first[0] if first else "(empty text)")
        card = self.library.get(item.card)
        if card is None:
            return f"⚠ Missing card: {item.card}"
        if self.section.show == "short":  # the sentence it prints, not its title
            title = item.body if item.body is not None else card_wording(card, self.section)
        else:
            title = item.title if item.title is not None else card.title
        mark = f"({rules.item_marking(item, card, None)}) "
        notes = "  [reworded]" if item.is_override else ""
        if item.version and item.version != card.version():
            notes += "  [card changed]"
        return f"{mark}{title}{notes}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [CARD_MIME, ITEM_MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        payload = {"section": self.section_id, "rows": rows}
        mime.setData(ITEM_MIME, QByteArray(json.dumps(payload).encode()))
        return mime

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(CARD_MIME) or data.hasFormat(ITEM_MIME)

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.items)
        if data.hasFormat(ITEM_MIME):
            try:
                payload = json.loads(bytes(data.data(ITEM_MIME).data()).decode())
                moved = (str(payload["section"]), [int(r) for r in payload["rows"]])
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                return False
            self.drop_requested.emit(self.section_id, row, [], moved)
            # The command moves the rows itself; returning False stops the view removing them.
            return False
        ids = mime_card_ids(data)
        if not ids:
            return False
        refused = []
        accepted = []
        for card_id in ids:
            card = self.library.get(card_id)
            if card is None:
                refused.append(f"Card {card_id!r} is not in the library.")
            elif (why := rules.refusal(card, self.section, self.template)) is not None:
                refused.append(why)
            else:
                accepted.append(card_id)
        if refused:
            self.kind_refused.emit(self.title, "\n".join(refused))
        if accepted:
            self.drop_requested.emit(self.section_id, row, accepted, None)
        return bool(accepted)

    # -- used by undo commands --------------------------------------------------------
    def insert(self, row: int, new: Sequence[MemoItem]) -> None:
        row = max(0, min(row, len(self.items)))
        self.beginInsertRows(QModelIndex(), row, row + len(new) - 1)
        self.items[row:row] = list(new)
        self.endInsertRows()

    def take(self, rows: Sequence[int]) -> list[MemoItem]:
        taken: list[MemoItem] = []
        for row in sorted(rows, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            taken.insert(0, self.items.pop(row))
            self.endRemoveRows()
        return taken

    def replace(self, row: int, item: MemoItem) -> None:
        self.items[row] = item
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def refresh(self) -> None:
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1))
