"""The library panel: search, filters, the card list and the selected card in full."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefer.core import markings
from briefer.core.cards import Card
from briefer.core.checks import FRESHNESS_LABELS, freshness
from briefer.core.rules import CARD_KINDS, KIND_LABELS
from briefer.gui import settings as S
from briefer.gui.models import CardFilterProxy, CardListModel, CardRole
from briefer.render.html import card_html


class SearchField(QLineEdit):
    """The library's search: Down, Enter or Return goes to the matches it found."""

    results_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.results_requested.emit()
        else:
            super().keyPressEvent(event)


class LibraryPanel(QWidget):
    """Every card, filtered as the user types. Emits requests; never edits anything itself."""

    card_activated = Signal(str)

    def __init__(
        self,
        model: CardListModel,
        used_in: Callable[[str], list[str]],
        settings: S.Settings | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.used_in = used_in
        self.settings = settings
        self.proxy = CardFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.search = SearchField()
        self.search.setPlaceholderText("Search title, text and tags")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cards")
        self.search.setToolTip(
            "Filters the library as you type (Ctrl+F); Down or Enter goes to the matches"
        )
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.results_requested.connect(self.go_to_matches)

        self.kind = QComboBox()
        self.kind.setAccessibleName("Filter by kind")
        self.kind.addItem("All kinds", "")
        for kind in CARD_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.strategy = QComboBox()
        self.strategy.setAccessibleName("Filter by strategy")
        self.tag = QComboBox()
        self.tag.setAccessibleName("Filter by tag")
        self.marking = QComboBox()
        self.marking.setAccessibleName("Filter by marking")
        self.marking.addItem("All markings", "")
        for code in markings.CODES:
            self.marking.addItem(f"{code} — {markings.banner(code).title()}", code)
        self.stale_only = QCheckBox("Stale only")
        self.stale_only.setAccessibleName("Show only stale or overdue cards")
        self.stale_only.setToolTip(
            "Only cards never reviewed, reviewed over 12 months ago, or past their review-by"
        )
        for combo in (self.kind, self.strategy, self.tag, self.marking):
            combo.currentIndexChanged.connect(self._apply_filters)
            # A long strategy title never widens the panel; the open list shows it whole.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.stale_only.toggled.connect(self._apply_filters)
        marking_row = QHBoxLayout()
        marking_row.addWidget(self.marking, 1)
        marking_row.addWidget(self.stale_only)
        filters = QFormLayout()
        filters.addRow("Kind", self.kind)
        filters.addRow("Strategy", self.strategy)
        filters.addRow("Tag", self.tag)
        filters.addRow("Marking", marking_row)

        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setUniformItemSizes(True)
        # Laid out a few hundred rows at a time: a keystroke over 100,000 cards shows the
        # first matches at once and the rest as the event loop goes on.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(500)
        # Long titles are cut with "…" (the detail shows them whole), never scrolled sideways.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAccessibleName("Cards")
        self.view.setToolTip("Drag cards into a memo section; double-click or Enter to edit")
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName("Selected card")
        self.detail.setPlaceholderText("Select a card to read it here")  # (one line)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel()
        self.count.setAccessibleName("Cards shown")
        search_row = QHBoxLayout()  # the count beside the search: no extra row of height
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count)
        top_layout.addLayout(search_row)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.refresh_choices()
        model.modelReset.connect(self.refresh_choices)
        model.rowsInserted.connect(self.refresh_choices)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._filtered)
        self.follow_loading()

    def refresh_choices(self) -> None:
        """Rebuild the strategy and tag filters from the cards in the library."""
        library = self.model.library
        for combo, first, items in (
            (
                self.strategy,
                "All strategies",
                [(c.title, c.id) for c in library.of_kind("strategy")],
            ),
            (
                self.tag,
                "All tags",
                [(t, t) for t in sorted({t for c in library.cards.values() for t in c.tags})],
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, "")
            for label, value in items:
                combo.addItem(label, value)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def follow_loading(self) -> None:
        """As the model is: while the library loads, nothing to search or pick, and the
        remembered filters are neither applied to the empty list nor overwritten; once it
        is in, they are."""
        loading = self.model.loading
        for widget in (self.search, self.kind, self.strategy, self.tag, self.marking):
            widget.setEnabled(not loading)
        self.stale_only.setEnabled(not loading)
        self.view.setEnabled(not loading)
        # Laid out in one pass while cards arrive: a batched layout starts again with each
        # arrival, and past 30,000 rows it never got to drawing the first.
        mode = QListView.LayoutMode
        self.view.setLayoutMode(mode.SinglePass if loading else mode.Batched)
        if not loading:
            self._restore_filters()
            self._apply_filters()
        self._filtered()

    def _filtered(self) -> None:
        """After any filtering: the count, and no detail of a card the filter now hides."""
        if self.model.loading:
            so_far = self.model.rowCount()
            self.count.setText(f"Loading… {so_far:,}" if so_far else "Loading…")
            return
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()}")
        card = self.current_card()
        if card is None:
            self.detail.clear()

    def _restore_filters(self) -> None:
        saved = self.settings.get(S.LIBRARY_FILTERS).split("|") if self.settings else []
        combos = (self.kind, self.strategy, self.tag, self.marking)
        for combo, value in zip(combos, saved, strict=False):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.stale_only.setChecked(len(saved) > 4 and saved[4] == "stale")

    def _apply_filters(self) -> None:
        if self.model.loading:
            return  # the strategy and tag lists are empty until the library is in
        if self.settings is not None:
            values = [str(c.currentData() or "") for c in (self.kind, self.strategy, self.tag)]
            values += [str(self.marking.currentData() or "")]
            values += ["stale" if self.stale_only.isChecked() else "all"]
            self.settings.set(S.LIBRARY_FILTERS, "|".join(values))
        kind = self.kind.currentData()
        self.proxy.set_filters(
            kinds=[kind] if kind else [],
            strategy=self.strategy.currentData() or "",
            tag=self.tag.currentData() or "",
            marking=self.marking.currentData() or "",
            stale_only=self.stale_only.isChecked(),
        )

    def go_to_matches(self) -> None:
        """Into the list of matches, on the first unless one is chosen already (there,
        Enter edits the card and the arrows move on)."""
        if self.proxy.rowCount() == 0:
            return
        current = self.view.currentIndex()
        if not current.isValid() or not self.view.selectionModel().isSelected(current):
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activated(self, index: QModelIndex) -> None:
        card = index.data(CardRole)
        if card is not None:
            self.card_activated.emit(card.id)

    def _selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        card = self.current_card()
        if card is None:
            self.detail.clear()
            return
        self.show_card(card)

    def show_card(self, card: Card) -> None:
        state = FRESHNESS_LABELS[freshness(card)]
        self.detail.setHtml(card_html(card, self.used_in(card.id), state))

    def current_card(self) -> Card | None:
        index = self.view.currentIndex()
        return index.data(CardRole) if index.isValid() else None

    def select_card(self, card_id: str) -> None:
        row = self.model.row_of(card_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row))
        if index.isValid():
            self.view.setCurrentIndex(index)
