"""The library's filter: the rows it hands the view are exactly the cards that match, the
selection survives a keystroke while its card still matches, and edits to the library show."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QItemSelectionModel, QModelIndex

from briefer.gui.models import CardFilterProxy, CardListModel, CardRole


def shown(proxy: CardFilterProxy) -> list[str]:
    return [proxy.index(r, 0).data(CardRole).id for r in range(proxy.rowCount())]


def expected(model: CardListModel, accepts) -> list[str]:
    return [model.card_at(r).id for r in range(model.rowCount()) if accepts(model.card_at(r))]


def test_the_rows_are_exactly_the_matching_cards(bundled, qtbot):
    model = CardListModel(bundled.library)
    proxy = CardFilterProxy()
    proxy.setSourceModel(model)
    assert shown(proxy) == expected(model, lambda c: True)
    proxy.set_search("  Sunnylands  ")
    assert shown(proxy) == expected(model, lambda c: "sunnylands" in c.search_text())
    assert 0 < proxy.rowCount() < model.rowCount()
    proxy.set_filters(kinds=["background"], marking="U")
    assert shown(proxy) == expected(
        model, lambda c: "sunnylands" in c.search_text() and c.kind == "background"
    )
    proxy.set_search("")
    proxy.set_filters(strategy="strategy-parallel-initiatives", kinds=["initiative"])
    assert shown(proxy) == expected(
        model,
        lambda c: c.kind == "initiative" and "strategy-parallel-initiatives" in c.strategy,
    )
    for row in range(proxy.rowCount()):  # the two mappings agree
        index = proxy.index(row, 0)
        assert proxy.mapFromSource(proxy.mapToSource(index)) == index
    hidden = model.index(model.row_of("bg-sunnylands-statement"))
    assert not proxy.mapFromSource(hidden).isValid()
    assert proxy.mimeData([proxy.index(0, 0)]).text() == shown(proxy)[0]


def test_the_selection_survives_a_keystroke_while_its_card_matches(bundled, qtbot):
    model = CardListModel(bundled.library)
    proxy = CardFilterProxy()
    proxy.setSourceModel(model)
    selection = QItemSelectionModel(proxy)
    proxy.set_search("china")
    row = shown(proxy).index("bg-china-coal-revival")
    selection.setCurrentIndex(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select)
    proxy.set_search("china's revival")  # still matches: still current, at its new row
    current = selection.currentIndex()
    assert current.isValid()
    assert current.data(CardRole).id == "bg-china-coal-revival"
    proxy.set_search("no card says this")  # filtered out: nothing current
    assert not selection.currentIndex().isValid()
    assert proxy.rowCount() == 0


def test_edits_to_the_library_reach_the_filtered_rows(qtbot):
    from briefer.core.workspace import Workspace

    library = Workspace.load().library  # its own copy: this test changes it
    model = CardListModel(library)
    proxy = CardFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("zebra crossing")
    assert proxy.rowCount() == 0
    card = library.get("bg-2023-context")
    assert card is not None
    model.put_card(dataclasses.replace(card, title="A zebra crossing"))
    assert shown(proxy) == ["bg-2023-context"]
    model.remove_card("bg-2023-context")
    assert proxy.rowCount() == 0
    model.put_card(card)  # back, but it no longer matches
    assert proxy.rowCount() == 0
    assert proxy.index(0, 0, QModelIndex()) == QModelIndex()
