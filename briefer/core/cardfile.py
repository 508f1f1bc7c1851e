"""Writing cards back to their YAML files, touching only the lines of the card that changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from briefer.core.cards import Card
from briefer.core.memos import TextDumper
from briefer.core.problems import BrieferError, display_path
from briefer.core.schema import CURRENT_FORMAT
from briefer.core.storage import atomic_write_text
from briefer.core.yamlio import Map, Seq, YamlFileError, decode_utf8, parse_text


def card_to_data(card: Card) -> dict[str, object]:
    """A card as plain data, keys in the documented order, empty optional keys left out."""
    data: dict[str, object] = {"id": card.id, "kind": card.kind, "title": card.title}
    if card.strategy:
        data["strategy"] = card.strategy[0] if len(card.strategy) == 1 else list(card.strategy)
    data["body"] = card.body
    if card.tags:
        data["tags"] = list(card.tags)
    data["marking"] = card.marking
    data["sources"] = [{k: v for k, v in vars(s).items() if v} for s in card.sources]
    data["reviewed"] = card.reviewed
    return data


def dump_card(card: Card, indent: int = 2) -> str:
    """The card as a ``cards:`` list entry, its dash at ``indent`` spaces."""
    text = yaml.dump(
        [card_to_data(card)],
        Dumper=TextDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        indent=2,
    )
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


@dataclass(frozen=True)
class _Span:
    card_id: str
    first: int  # 0-based index of the entry's first line (the dash)
    end: int  # 0-based index one past its last non-blank line
    indent: int


def _spans(text: str, shown: str) -> tuple[list[_Span], int]:
    """Where each card entry sits in the file, and where the ``cards:`` list ends."""
    root = parse_text(text, shown)
    cards = root.values.get("cards") if isinstance(root, Map) else None
    if not isinstance(cards, Seq):
        raise BrieferError(f"{shown}: not a card file (no 'cards:' list); fix it by hand first")
    lines = text.splitlines()
    starts = []
    for item in cards.items:
        card_id = ""
        if isinstance(item, Map) and "id" in item.values:
            node = item.values["id"]
            card_id = getattr(node, "text", "")
        starts.append((card_id, item.line - 1, max(item.col - 3, 0)))
    spans = []
    for i, (card_id, first, indent) in enumerate(starts):
        limit = starts[i + 1][1] if i + 1 < len(starts) else _list_end(lines, first, indent)
        end = limit
        while end > first + 1 and not lines[end - 1].strip():
            end -= 1
        spans.append(_Span(card_id, first, end, indent))
    list_end = spans[-1].end if spans else len(lines)
    return spans, list_end


def _list_end(lines: list[str], first: int, indent: int) -> int:
    """The line after the last entry: where a less-indented, non-blank line starts."""
    for index in range(first + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(line) - len(line.lstrip()) <= indent and not line.lstrip().startswith("- "):
                return index
            if len(line) - len(line.lstrip()) < indent:
                return index
    return len(lines)


def _read(path: Path) -> str:
    return decode_utf8(path.read_bytes(), display_path(path))


def entry_text(card_id: str, path: Path) -> str | None:
    """The exact text of a card's entry in its file (for undo), or None."""
    try:
        text = _read(path)
        spans, _ = _spans(text, display_path(path))
    except (OSError, YamlFileError, BrieferError):
        return None
    match = next((s for s in spans if s.card_id == card_id), None)
    if match is None:
        return None
    return "".join(text.splitlines(True)[match.first : match.end])


def save_card(card: Card, path: Path, raw: str | None = None) -> None:
    """Write ``card`` into ``path``: replace its entry if there, else append it.

    Only the lines of that card change; every other card keeps its exact text and comments.
    ``raw`` is the entry's exact earlier text, written back as it was (undo).
    A new file is created when ``path`` does not exist.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, f"format: {CURRENT_FORMAT}\ncards:\n" + dump_card(card))
        return
    shown = display_path(path)
    try:
        text = _read(path)
        spans, list_end = _spans(text, shown)
    except YamlFileError as exc:
        raise BrieferError(
            f"cannot save card {card.id!r}: {exc}; fix the file first, then save again"
        ) from None
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    match = next((s for s in spans if s.card_id == card.id), None)
    if match is not None:
        new = (raw if raw is not None else dump_card(card, match.indent)).splitlines(True)
        if new and not new[-1].endswith("\n"):
            new[-1] += "\n"
        lines[match.first : match.end] = new
    else:
        indent = spans[-1].indent if spans else 2
        new = (raw if raw is not None else dump_card(card, indent)).splitlines(True)
        if new and not new[-1].endswith("\n"):
            new[-1] += "\n"
        if spans:
            new = ["\n", *new]
        lines[list_end:list_end] = new
    atomic_write_text(path, "".join(lines))


def delete_card(card_id: str, path: Path) -> None:
    """Remove one card's entry from its file, leaving the rest of the text as it was."""
    shown = display_path(path)
    try:
        text = _read(path)
        spans, _ = _spans(text, shown)
    except YamlFileError as exc:
        raise BrieferError(f"cannot delete card {card_id!r}: {exc}") from None
    match = next((s for s in spans if s.card_id == card_id), None)
    if match is None:
        return
    lines = text.splitlines(True)
    end = match.end
    while end < len(lines) and not lines[end].strip():
        end += 1  # take the blank lines after it too
    del lines[match.first : end]
    remaining = [s for s in spans if s.card_id != card_id]
    if not remaining:
        # An empty list must still parse as a list.
        text = "".join(lines).rstrip("\n")
        if text.endswith("cards:"):
            text += " []"
        atomic_write_text(path, text + "\n")
        return
    atomic_write_text(path, "".join(lines))
