"""Editing a card file in place: only the changed fields of one card are rewritten.

A card file may be laid out any way YAML allows: block or flow style, ``-`` on a line of its
own, comments anywhere, CRLF line endings, a byte-order mark. An edit finds the card's
fields from the parser's positions and replaces just the values that changed, in the quoting
and indentation the file already uses. Every edit is then checked before it may be written:
the new text is parsed, every other card must come back equal, the edited card must read back
as the user's card, and every comment must still be there. When that check fails the layout
cannot be edited in place, and ``UnsafeEdit`` says why; nothing is written.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from briefer.core.cards import Card, read_card_text
from briefer.core.memos import TextDumper
from briefer.core.problems import BrieferError, Problem, display_path
from briefer.core.schema import CURRENT_FORMAT
from briefer.core.yamlio import decode_utf8

# The documented order of a card's keys: new keys are placed by it.
KEY_ORDER = (
    "id",
    "kind",
    "title",
    "short",
    "strategy",
    "body",
    "tags",
    "marking",
    "sources",
    "as_of",
    "reviewed",
    "review_by",
)
_WIDE = 10**9  # no line folding inside a flow value


class UnsafeEdit(BrieferError):
    """The file's layout cannot be edited in place without changing something else."""


@dataclass
class FileText:
    """A card file's text, LF line endings and no BOM, with how to write it back."""

    text: str
    bom: bool = False
    crlf: bool = False

    @classmethod
    def decode(cls, raw: bytes, path: Path) -> FileText:
        text = decode_utf8(raw, display_path(path))
        return cls(text, raw.startswith(codecs.BOM_UTF8), b"\r\n" in raw)

    def encode(self, text: str | None = None) -> bytes:
        body = self.text if text is None else text
        if self.crlf:
            body = body.replace("\n", "\r\n")
        return (codecs.BOM_UTF8 if self.bom else b"") + body.encode("utf-8")


# -- where things are ------------------------------------------------------------------
@dataclass
class _Node:
    """A node's extent in the text (character indexes) and its style."""

    start: int
    end: int
    flow: bool = False
    style: str | None = None  # a scalar's quoting: None/'' plain, "'", '"', '|', '>'
    value: str = ""
    items: list[_Node] = field(default_factory=list)  # a sequence's items
    keys: list[tuple[_Node, _Node]] = field(default_factory=list)  # a mapping's pairs
    is_map: bool = False
    is_seq: bool = False

    def get(self, key: str) -> tuple[_Node, _Node] | None:
        return next((kv for kv in self.keys if kv[0].value == key), None)


def _marks(event: yaml.Event) -> tuple[int, int]:
    start, end = event.start_mark, event.end_mark
    return (start.index if start else 0), (end.index if end else 0)


def _tree(text: str) -> _Node | None:
    """The document as positioned nodes. Block collections end at their last child, not at
    the next token, so comments after them are never counted as theirs."""
    stack: list[_Node] = []
    pending: list[_Node | None] = []
    root: _Node | None = None

    def add(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.is_seq:
            parent.items.append(node)
        elif pending[-1] is None:
            pending[-1] = node
        else:
            key = pending[-1]
            assert key is not None
            parent.keys.append((key, node))
            pending[-1] = None

    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        start, end = _marks(event)
        if isinstance(event, yaml.ScalarEvent):
            add(_Node(start, end, style=event.style or None, value=event.value))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            node = _Node(
                start,
                start,
                flow=bool(event.flow_style),
                is_map=isinstance(event, yaml.MappingStartEvent),
                is_seq=isinstance(event, yaml.SequenceStartEvent),
            )
            add(node)
            stack.append(node)
            pending.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node = stack.pop()
            pending.pop()
            if node.flow:
                node.end = end
            else:
                children = node.items or [v for _, v in node.keys]
                node.end = children[-1].end if children else node.start
    return root


class CardText:
    """One version of a card file's text, parsed at most once each way: the positioned
    tree (for editing and comments) and the cards read as the library reads them."""

    def __init__(self, text: str, path: Path) -> None:
        self.text, self.path = text, path

    @cached_property
    def tree(self) -> _Node | None:
        try:
            return _tree(self.text)
        except yaml.YAMLError as exc:
            shown = display_path(self.path)
            raise BrieferError(f"{shown}: cannot be read as YAML ({exc}); fix it first") from None

    @cached_property
    def read(self) -> tuple[list[Card], list[Problem]]:
        return read_card_text(self.text, self.path)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.read[1])

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.read[0] if c.id == card_id), None)

    @cached_property
    def comments(self) -> Counter[str]:
        """Every comment: a ``#`` outside all scalars, to the end of its line."""
        root, text = self.tree, self.text
        spans = sorted((n.start, n.end) for n in _scalars(root)) if root is not None else []
        found: Counter[str] = Counter()
        index, span = 0, 0
        while True:
            index = text.find("#", index)
            if index < 0:
                return found
            while span < len(spans) and spans[span][1] <= index:
                span += 1
            if span < len(spans) and spans[span][0] <= index:
                index = spans[span][1]
                continue
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            found[text[index:end].rstrip()] += 1
            index = end


@dataclass
class _Layout:
    """The card list of one file: the ``cards`` value and each entry's mapping by id."""

    cards_key: _Node
    cards: _Node  # a sequence, or an empty scalar for ``cards:`` with nothing after it
    entries: list[_Node]
    ids: list[str]


def _layout(source: CardText) -> _Layout:
    shown = display_path(source.path)
    root = source.tree
    pair = root.get("cards") if root is not None and root.is_map and not root.flow else None
    if pair is None:
        raise UnsafeEdit(f"{shown} is not laid out as a card file ('cards:' at the top level)")
    key, value = pair
    entries = value.items if value.is_seq else []
    ids = []
    for entry in entries:
        found = entry.get("id") if entry.is_map else None
        ids.append(found[1].value if found else "")
    return _Layout(key, value, entries, ids)


# -- rendering values ------------------------------------------------------------------
class _Dumper(TextDumper):
    """Block sequences indented under their key (``sources:\\n  - title: …``), as people
    write them and as the bundled library does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _FlowDumper(yaml.SafeDumper):
    """Plain safe output: inside ``[…]`` every scalar gets a style valid in flow context."""


def _flow_value(value: object, style: str | None = None) -> str:
    """A value on one line, valid inside ``{…}`` or ``[…]`` as well as after ``key:``."""
    quoted = style if style in ("'", '"') and isinstance(value, str) else None
    if isinstance(value, str) and any(c in value for c in "\n\x85\u2028\u2029"):
        quoted = '"'  # escapes keep a multi-line value on one line
    text = yaml.dump(
        [value],
        Dumper=_FlowDumper,
        sort_keys=False,
        default_flow_style=True,
        default_style=quoted,
        width=_WIDE,
        allow_unicode=True,
    ).strip()
    return text[1:-1].strip()


def _block_pair(key: str, value: object, col: int, indent: int = 2) -> str:
    """``key: value`` as block YAML whose first line starts at ``col``; ends with a newline."""
    text = yaml.dump(
        {key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=indent
    )
    lines = text.splitlines(True)
    return lines[0] + "".join(" " * col + line if line.strip() else line for line in lines[1:])


def card_data(card: Card) -> dict[str, object]:
    """A card as plain data, keys in the documented order, empty optional keys left out."""
    data: dict[str, object] = {"id": card.id, "kind": card.kind, "title": card.title}
    if card.short:
        data["short"] = card.short
    if card.strategy:
        data["strategy"] = card.strategy[0] if len(card.strategy) == 1 else list(card.strategy)
    data["body"] = card.body
    if card.tags:
        data["tags"] = list(card.tags)
    data["marking"] = card.marking
    if card.sources:
        data["sources"] = [{k: v for k, v in vars(s).items() if v} for s in card.sources]
    if card.as_of:
        data["as_of"] = card.as_of
    data["reviewed"] = card.reviewed
    if card.review_by:
        data["review_by"] = card.review_by
    return data


def dump_card(card: Card, indent: int = 2) -> str:
    """The card as a block ``cards:`` list entry, its dash at ``indent`` spaces."""
    text = yaml.dump(
        [card_data(card)], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def standard_text(cards: list[Card]) -> str:
    """A whole card file in Briefer's own layout (used only when the user agrees)."""
    entries = "\n".join(dump_card(c) for c in cards)
    return f"format: {CURRENT_FORMAT}\ncards:\n{entries}" if cards else "cards: []\n"


# -- edits -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    new: str


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The index just past the newline ending the line that holds ``index``."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _after(text: str, node: _Node) -> int:
    """Where a line may be inserted after a value: past the rest of its line."""
    if node.end > 0 and text[node.end - 1] == "\n":
        return node.end  # a block scalar already ends with its line
    return _line_end(text, node.end)


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


def _literal_indent(text: str, key: _Node, value: _Node) -> int:
    """How far a block scalar's lines are indented past its key (2 when unknown)."""
    if value.style not in ("|", ">"):
        return 2
    first = _line_end(text, value.start)
    line = text[first : _line_end(text, first)]
    spaces = len(line) - len(line.lstrip(" "))
    return max(spaces - _column(text, key.start), 1) if line.strip() else 2


def _replace_pair(text: str, key: _Node, old: _Node, value: object, flow: bool) -> _Edit:
    """Replace one value, keeping the file's quoting and indentation where it can."""
    multiline = isinstance(value, str) and "\n" in value
    block_value = not flow and not old.flow and (old.is_map or old.is_seq)
    if flow or old.flow or (not block_value and not multiline and old.style not in ("|", ">")):
        style = old.style if not (old.is_map or old.is_seq) else None
        lead = " " if old.start == old.end and text[old.start - 1 : old.start] == ":" else ""
        return _Edit(old.start, old.end, lead + _flow_value(value, style))
    # Block layout: write ``key: value`` again from the key, indented as the key is.
    col = _column(text, key.start)
    pair = _block_pair(key.value, value, col, _literal_indent(text, key, old))
    end = old.end
    if text[end - 1 : end] != "\n":
        rest_end = _line_end(text, end)
        rest = text[end:rest_end].rstrip("\n")
        if rest.strip():  # a comment after the old value stays on the key's line
            first, _, others = pair.partition("\n")
            pair = f"{first}{rest}\n{others}"
        end = rest_end if pair.count("\n") > 1 or rest.strip() else end
        if end == old.end:
            pair = pair.rstrip("\n")
    return _Edit(key.start, end, pair)


def _insert_pair(text: str, entry: _Node, name: str, value: object) -> _Edit:
    present = [k.value for k, _ in entry.keys]
    before = [k for k in KEY_ORDER[: KEY_ORDER.index(name)] if k in present]
    if entry.flow:
        if before:
            anchor = entry.get(before[-1])
            assert anchor is not None
            return _Edit(anchor[1].end, anchor[1].end, f", {name}: {_flow_value(value)}")
        first = entry.keys[0][0].start
        return _Edit(first, first, f"{name}: {_flow_value(value)}, ")
    col = _column(text, entry.keys[0][0].start)
    pair = " " * col + _block_pair(name, value, col)
    if before:
        anchor = entry.get(before[-1])
        assert anchor is not None
        at = _after(text, anchor[1])
        return _Edit(at, at, pair)
    # Before the first key, which shares its line with the dash: insert after it instead.
    at = _after(text, entry.keys[-1][1])
    return _Edit(at, at, pair)


def _remove_pair(text: str, entry: _Node, name: str) -> _Edit:
    index = next(i for i, (k, _) in enumerate(entry.keys) if k.value == name)
    key, value = entry.keys[index]
    following = entry.keys[index + 1][0] if index + 1 < len(entry.keys) else None
    if entry.flow:
        if following is not None:
            return _Edit(key.start, following.start, "")
        previous = entry.keys[index - 1][1]
        return _Edit(previous.end, value.end, "")
    if following is not None:
        return _Edit(key.start, following.start, "")
    return _Edit(_line_start(text, key.start), _after(text, value), "")


def _field_edits(text: str, entry: _Node, old: Card, new: Card) -> list[_Edit]:
    before, after = card_data(old), card_data(new)
    edits = []
    for name in KEY_ORDER:
        if name == "strategy" and old.strategy == new.strategy:
            continue
        if before.get(name) == after.get(name):
            continue
        pair = entry.get(name)
        if name not in after:
            if pair is not None:
                edits.append(_remove_pair(text, entry, name))
        elif pair is None:
            edits.append(_insert_pair(text, entry, name, after[name]))
        else:
            edits.append(_replace_pair(text, pair[0], pair[1], after[name], entry.flow))
    return edits


def _dash(text: str, start: int, limit: int) -> int:
    """The ``-`` that opens a block entry: the first one after ``start`` outside comments."""
    index = start
    while index < limit:
        char = text[index]
        if char == "#":
            index = _line_end(text, index)
        elif char == "-":
            return index
        else:
            index += 1
    return limit


def _append_edit(text: str, layout: _Layout, card: Card) -> _Edit:
    cards = layout.cards
    if cards.is_seq and cards.flow:
        close = cards.end - 1  # the ``]``
        lead = ", " if layout.entries else ""
        return _Edit(close, close, lead + "{" + _flow_value(card_data(card))[1:-1] + "}")
    if not cards.is_seq:  # ``cards:`` with nothing after it
        at = _line_end(text, layout.cards_key.end)
        return _Edit(cards.start, at, "\n" + dump_card(card))
    last = layout.entries[-1]
    dash = _dash(text, cards.start, last.start)
    at = _after(text, last)
    first_end = _after(text, layout.entries[0])
    spaced = len(layout.entries) == 1 or text[first_end : first_end + 1] == "\n"
    return _Edit(at, at, ("\n" if spaced else "") + dump_card(card, _column(text, dash)))


def _remove_entry(text: str, layout: _Layout, index: int) -> list[_Edit]:
    entries, cards = layout.entries, layout.cards
    entry = entries[index]
    if cards.flow:
        if index + 1 < len(entries):
            return [_Edit(entry.start, entries[index + 1].start, "")]
        if index > 0:
            return [_Edit(entries[index - 1].end, entry.end, "")]
        return [_Edit(entry.start, entry.end, "")]
    previous_end = entries[index - 1].end if index else cards.start
    dash = _dash(text, previous_end, entry.start)
    end = _after(text, entry)
    edits = []
    if len(entries) == 1:  # an empty list must still read as a list
        colon = text.index(":", layout.cards_key.end)
        edits.append(_Edit(colon + 1, colon + 1, " []"))
    else:
        while end < len(text) and text[end] == "\n":
            end += 1  # the blank lines after it go too
    return [*edits, _Edit(_line_start(text, dash), end, "")]


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


# -- checking --------------------------------------------------------------------------
def comments(text: str) -> Counter[str]:
    """Every comment in a card file's text (tests and tools)."""
    return CardText(text, Path("<text>")).comments


def _scalars(node: _Node) -> Iterator[_Node]:
    if node.is_map:
        for key, value in node.keys:
            yield key
            yield from _scalars(value)
    elif node.is_seq:
        for item in node.items:
            yield from _scalars(item)
    else:
        yield node


def _check(old: CardText, new: CardText, card_id: str, expect: Card | None) -> None:
    """Raise UnsafeEdit unless ``new`` differs from ``old`` only in the one card."""
    shown = display_path(old.path)
    now = {c.id: c for c in new.read[0]}
    lost = [c.id for c in old.read[0] if c.id != card_id and now.get(c.id) != c]
    if lost:
        raise UnsafeEdit(f"editing {shown} in place would change the card(s) {', '.join(lost)}")
    if expect is not None and now.get(card_id) != expect:
        raise UnsafeEdit(f"the card {card_id!r} would not read back as written in {shown}")
    if expect is None and card_id in now:
        raise UnsafeEdit(f"the card {card_id!r} would still be in {shown}")
    if new.errors > old.errors:
        raise UnsafeEdit(f"editing {shown} in place would leave errors in it")
    missing = old.comments - new.comments
    if missing and expect is not None:
        raise UnsafeEdit(f"editing {shown} in place would lose the comment {next(iter(missing))!r}")


# -- the operations ----------------------------------------------------------------------
def put_card(source: CardText, new: Card, old: Card | None = None) -> str:
    """The file's text with ``new`` written in (replacing the card with its id, if there).

    ``old`` is the card as it is in the file; only the fields that differ are touched.
    """
    shown = display_path(source.path)
    layout, text = _layout(source), source.text
    if new.id in layout.ids:
        entry = layout.entries[layout.ids.index(new.id)]
        old = old or source.card(new.id)
        if old is None:
            raise UnsafeEdit(f"the card {new.id!r} in {shown} has errors; fix it by hand")
        if not entry.is_map:
            raise UnsafeEdit(f"the card {new.id!r} in {shown} is not a mapping")
        result = _apply(text, _field_edits(text, entry, old, new))
    else:
        result = _apply(text, [_append_edit(text, layout, new)])
    _check(source, CardText(result, source.path), new.id, new)
    return result


def remove_card(source: CardText, card_id: str) -> str:
    """The file's text without the card ``card_id`` (unchanged if it is not there)."""
    layout, text = _layout(source), source.text
    if card_id not in layout.ids:
        return text
    result = _apply(text, _remove_entry(text, layout, layout.ids.index(card_id)))
    _check(source, CardText(result, source.path), card_id, None)
    return result


def new_file_text(card: Card) -> str:
    """A new card file holding one card."""
    return f"format: {CURRENT_FORMAT}\ncards:\n" + dump_card(card)


def rewrite_text(source: CardText, new: Card) -> str:
    """The whole file in Briefer's own layout with ``new`` in it. Refused while any card in
    the file has errors, since those entries could not be written back."""
    cards, problems = list(source.read[0]), source.read[1]
    errors = [p for p in problems if p.is_error]
    if errors:
        raise BrieferError(
            f"{display_path(source.path)} has errors, so it cannot be rewritten without losing "
            f"them; fix it first ({errors[0]})"
        )
    ids = [c.id for c in cards]
    if new.id in ids:
        cards[ids.index(new.id)] = new
    else:
        cards.append(new)
    return standard_text(cards)
