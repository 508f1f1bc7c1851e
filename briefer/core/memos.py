"""Memo files (``*.brief.yaml``): reading and writing (the checks live in ``rules``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefer.core import markings
from briefer.core.problems import Problem, display_path
from briefer.core.schema import CURRENT_FORMAT, Reader
from briefer.core.storage import atomic_write_text
from briefer.core.templates import HEADER_FIELDS
from briefer.core.yamlio import Map, Node, Scalar, YamlFileError, load_file, parse_text

MEMO_KEYS_REQUIRED = ("template", "sections")
MEMO_KEYS_OPTIONAL = ("format", "header", "marking")


@dataclass
class MemoItem:
    """An entry in a memo section: a card, a card with this memo's own wording, or free text."""

    card: str | None = None
    title: str | None = None
    body: str | None = None
    text: str | None = None
    marking: str | None = None
    # A short fingerprint of the card as it was when this item was built from it (or last
    # accepted); empty in older memos, which are treated as current.
    version: str = ""
    line: int = 0
    col: int = 0

    @property
    def is_text(self) -> bool:
        return self.card is None

    @property
    def is_override(self) -> bool:
        return self.card is not None and (self.title is not None or self.body is not None)

    def to_data(self) -> dict[str, str]:
        data: dict[str, str] = {}
        if self.card is not None:
            data["card"] = self.card
            if self.version:
                data["version"] = self.version
            if self.title is not None:
                data["title"] = self.title
            if self.body is not None:
                data["body"] = self.body
        else:
            data["text"] = self.text or ""
        if self.marking is not None:
            data["marking"] = self.marking
        return data


@dataclass
class Memo:
    """A memo: its template, header values, marking and the items of each section."""

    template: str
    header: dict[str, str] = field(default_factory=dict)
    marking: str | None = None
    sections: dict[str, list[MemoItem]] = field(default_factory=dict)
    path: Path | None = None
    # Where each section and header value was written, for messages (section id -> line).
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def items(self) -> list[tuple[str, MemoItem]]:
        return [(sid, item) for sid, items in self.sections.items() for item in items]

    def card_ids(self) -> set[str]:
        return {item.card for _, item in self.items() if item.card is not None}


def read_memo(path: Path) -> tuple[Memo | None, list[Problem]]:
    """Read a memo file; ``None`` with problems when its shape is wrong."""
    try:
        root = load_file(path)
    except YamlFileError as exc:
        return None, exc.problems
    return _memo_from_node(root, display_path(path), path)


def parse_memo(text: str, shown: str = "<memo>") -> tuple[Memo | None, list[Problem]]:
    """Parse memo text that has not been saved yet (autosave, tests)."""
    try:
        root = parse_text(text, shown)
    except YamlFileError as exc:
        return None, exc.problems
    return _memo_from_node(root, shown, None)


def _memo_from_node(
    root: Node | None, shown: str, path: Path | None
) -> tuple[Memo | None, list[Problem]]:
    reader = Reader(shown)
    top = reader.mapping(root, "a memo", required=MEMO_KEYS_REQUIRED, optional=MEMO_KEYS_OPTIONAL)
    if top is None or not reader.format_version(top, "memo"):
        return None, reader.problems
    memo = Memo(template=reader.text(top, "template", "the memo", required=True), path=path)
    memo.lines["template"] = top.values["template"].line if "template" in top.values else 1
    memo.marking = _read_marking(reader, top, "the memo") or None
    header_node = top.values.get("header")
    if header_node is not None:
        memo.lines["header"] = header_node.line
        fields = (*HEADER_FIELDS, *markings.AUTHORITY_FIELDS)
        header = reader.mapping(header_node, "the memo's header", optional=fields)
        if header is not None:
            for key in header.values:
                if key in fields:
                    memo.header[key] = reader.text(header, key, f"header field {key!r}")
                    memo.lines[f"header.{key}"] = header.values[key].line
    sections_node = top.values.get("sections")
    if isinstance(sections_node, Map):
        for section_id in sections_node.values:
            memo.lines[section_id] = sections_node.keys[section_id].line
            memo.sections[section_id] = _read_items(reader, sections_node, section_id)
    elif sections_node is not None and not (
        isinstance(sections_node, Scalar) and sections_node.is_null
    ):
        reader.error(sections_node, "'sections' in the memo must map section ids to lists of items")
    if any(p.is_error for p in reader.problems):
        return None, reader.problems
    return memo, reader.problems


def _read_marking(reader: Reader, parent: Map, what: str) -> str:
    value = reader.text(parent, "marking", what)
    if value and value not in markings.CODES:
        reader.error(
            parent.values["marking"],
            f"unknown marking {value!r} in {what}; allowed, lowest to highest: "
            f"{', '.join(markings.CODES)}",
        )
        return ""
    return value


def _read_items(reader: Reader, sections: Map, section_id: str) -> list[MemoItem]:
    where = f"section {section_id!r}"
    items = []
    for node in reader.seq(sections, section_id, f"the memo's {where}"):
        entry = reader.mapping(
            node,
            f"an item of {where}",
            optional=("card", "version", "title", "body", "text", "marking"),
        )
        if entry is None:
            continue
        has_card, has_text = "card" in entry.values, "text" in entry.values
        if has_card == has_text:
            reader.error(
                entry,
                f"an item of {where} needs either 'card: ID' or 'text: ...' (exactly one of them)",
            )
            continue
        if has_text and any(k in entry.values for k in ("title", "body", "version")):
            key = next(k for k in ("title", "body", "version") if k in entry.values)
            reader.error(
                entry.keys[key],
                f"{key!r} belongs to a card item; a 'text' item has no card",
            )
            continue
        value = entry.values["card" if has_card else "text"]
        item = MemoItem(
            line=value.line, col=value.col, marking=_read_marking(reader, entry, where) or None
        )
        if has_card:
            item.card = reader.text(entry, "card", where, required=True)
            item.version = reader.text(entry, "version", where)
            if "title" in entry.values:
                item.title = reader.text(entry, "title", where)
            if "body" in entry.values:
                item.body = reader.text(entry, "body", where)
        else:
            item.text = reader.text(entry, "text", where)
        items.append(item)
    return items


def format_date(day: dt.date) -> str:
    """Dates as memos write them: ``November 22, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


class TextDumper(yaml.SafeDumper):
    """Safe YAML output for Briefer files: multi-line text as block literals, short lists
    in flow style, so memo and card files stay readable in a diff."""


# YAML reads these as line breaks unless they are escaped in a double-quoted string.
_BREAKS = ("\x85", "\u2028", "\u2029")


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if any(c in data for c in _BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _list_representer(dumper: yaml.SafeDumper, data: list[object]) -> yaml.SequenceNode:
    """Short lists of plain words in flow style, ``[a, b]``, as people write tags."""
    flow = all(isinstance(x, str) and "\n" not in x and len(x) < 40 for x in data) and (
        sum(len(str(x)) for x in data) < 60
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


TextDumper.add_representer(str, _str_representer)
TextDumper.add_representer(list, _list_representer)


def memo_to_yaml(memo: Memo) -> str:
    """The memo as the text of a ``.brief.yaml`` file."""
    data: dict[str, object] = {"format": CURRENT_FORMAT, "template": memo.template}
    if memo.marking:
        data["marking"] = memo.marking
    if memo.header:
        data["header"] = dict(memo.header)
    # Empty sections are left out of the file; the template still shows them.
    data["sections"] = {
        sid: [i.to_data() for i in items] for sid, items in memo.sections.items() if items
    }
    return yaml.dump(
        data, Dumper=TextDumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def save_memo(memo: Memo, path: Path) -> str:
    """Write a memo file atomically, keeping a backup of the version it replaces; returns
    the text written (its digest is the file's new fingerprint)."""
    text = memo_to_yaml(memo)
    atomic_write_text(path, text)
    return text
