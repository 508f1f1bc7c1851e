"""Find and replace in a memo's own text: its header fields, the paragraphs typed into it
and its rewordings of cards. A card's own wording belongs to the library, not to the memo:
it is counted (so the user knows it is there) but never replaced from here."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from briefer.core.cards import CardLibrary
from briefer.core.memos import Memo, MemoItem

ITEM_FIELDS = ("title", "body", "text")  # the item fields that hold the memo's own words


@dataclass(frozen=True)
class Query:
    """What to look for."""

    text: str
    match_case: bool = False
    whole_words: bool = False

    def pattern(self) -> re.Pattern[str] | None:
        if not self.text:
            return None
        body = re.escape(self.text)
        if self.whole_words:
            body = rf"(?<!\w){body}(?!\w)"
        return re.compile(body, 0 if self.match_case else re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """One occurrence: in a header field (``section`` None) or in an item's field."""

    field: str
    start: int
    end: int
    section: str | None = None
    index: int | None = None


def _places(memo: Memo) -> list[tuple[str | None, int | None, str, str]]:
    """Every piece of the memo's own text, in reading order: (section, row, field, text)."""
    places: list[tuple[str | None, int | None, str, str]] = [
        (None, None, name, value) for name, value in memo.header.items() if value
    ]
    for section, items in memo.sections.items():
        for row, item in enumerate(items):
            for name in ITEM_FIELDS:
                value = getattr(item, name)
                if value:
                    places.append((section, row, name, value))
    return places


def find_all(memo: Memo, query: Query) -> list[Match]:
    """Every match in the memo's own text, in reading order."""
    pattern = query.pattern()
    if pattern is None:
        return []
    return [
        Match(name, m.start(), m.end(), section, row)
        for section, row, name, value in _places(memo)
        for m in pattern.finditer(value)
    ]


def in_card_wording(memo: Memo, library: CardLibrary, query: Query) -> int:
    """How many matches sit in cards' own wording (title or body not reworded here)."""
    pattern = query.pattern()
    if pattern is None:
        return 0
    count = 0
    for _, item in memo.items():
        card = library.get(item.card) if item.card else None
        if card is None:
            continue
        if item.title is None:
            count += len(pattern.findall(card.title))
        if item.body is None:
            count += len(pattern.findall(card.body))
    return count


def text_of(memo: Memo, match: Match) -> str:
    """The current text of the field a match is in ("" if it has gone)."""
    if match.section is None:
        return memo.header.get(match.field, "")
    items = memo.sections.get(match.section, [])
    if match.index is None or not 0 <= match.index < len(items):
        return ""
    return getattr(items[match.index], match.field) or ""


def still_there(memo: Memo, match: Match, query: Query) -> bool:
    """Whether ``match`` still matches ``query`` (the memo may have changed since)."""
    pattern = query.pattern()
    text = text_of(memo, match)
    return pattern is not None and pattern.fullmatch(text, match.start, match.end) is not None


def replaced_item(item: MemoItem, field: str, start: int, end: int, new: str) -> MemoItem:
    """The item with one span of one field replaced."""
    old = getattr(item, field) or ""
    changes: dict[str, Any] = {field: old[:start] + new + old[end:]}
    return dataclasses.replace(item, **changes)


def replace_in_item(item: MemoItem, query: Query, replacement: str) -> tuple[MemoItem, int]:
    """The item with every match in its own text replaced, and how many there were."""
    changes: dict[str, Any] = {}
    total = 0
    for name in ITEM_FIELDS:
        value = getattr(item, name)
        if value:
            text, count = replace_in(value, query, replacement)
            if count:
                changes[name], total = text, total + count
    return (dataclasses.replace(item, **changes) if changes else item), total


def replace_in(text: str, query: Query, replacement: str) -> tuple[str, int]:
    """``text`` with every match replaced, and how many there were."""
    pattern = query.pattern()
    if pattern is None:
        return text, 0
    return pattern.subn(lambda _m: replacement, text)
