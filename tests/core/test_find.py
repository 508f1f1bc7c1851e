"""Find and replace over a memo's own text (core/find.py)."""

from __future__ import annotations

from briefer.core.find import (
    Query,
    find_all,
    in_card_wording,
    replace_in,
    replace_in_item,
    still_there,
)
from briefer.core.memos import Memo, MemoItem


def memo() -> Memo:
    return Memo(
        template="information-memo",
        header={"subject": "Coal talks", "to": "The Secretary"},
        sections={
            "background": [
                MemoItem(text="Coal use grew; coal-fired plants and coalitions."),
                MemoItem(card="bg-china-coal-revival"),
                MemoItem(card="bg-china-coal-revival", body="Coal again, reworded."),
            ]
        },
    )


def test_matches_come_in_reading_order_from_the_memos_own_text():
    found = find_all(memo(), Query("coal"))
    places = [(m.section, m.index, m.field) for m in found]
    assert places == [
        (None, None, "subject"),
        ("background", 0, "text"),
        ("background", 0, "text"),
        ("background", 0, "text"),
        ("background", 2, "body"),
    ]
    assert [(m.start, m.end) for m in found[1:4]] == [(0, 4), (15, 19), (37, 41)]


def test_case_and_whole_words():
    assert len(find_all(memo(), Query("coal", match_case=True))) == 2
    whole = find_all(memo(), Query("coal", whole_words=True))
    assert len(whole) == 4  # "coal-fired" counts (a hyphen ends a word); "coalitions" not
    assert find_all(memo(), Query("")) == []
    assert find_all(memo(), Query("a.c")) == []  # the text is literal, not a pattern


def test_card_wording_is_counted_not_searched(bundled):
    query = Query("coal")
    count = in_card_wording(memo(), bundled.library, query)
    card = bundled.library.get("bg-china-coal-revival")
    assert card is not None
    expected = len(query.pattern().findall(card.title)) * 2 + len(
        query.pattern().findall(card.body)
    )
    assert count == expected > 0


def test_replacing_keeps_everything_else():
    item = memo().sections["background"][0]
    new, count = replace_in_item(item, Query("coal", whole_words=True), "gas")
    assert count == 2
    assert new.text == "gas use grew; gas-fired plants and coalitions."
    assert new.marking == item.marking
    assert replace_in("Coal", Query("coal", match_case=True), "x") == ("Coal", 0)
    first = find_all(memo(), Query("coal"))[1]
    assert still_there(memo(), first, Query("coal"))
    assert not still_there(memo(), first, Query("coal", match_case=True))
