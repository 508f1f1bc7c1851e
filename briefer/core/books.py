"""Briefing books (``*.book.yaml``): a cover, a contents page and tabs, each tab a memo.

A book names its memos by path, relative to the book file. Reading one checks its shape
(unknown and duplicate keys are errors, as in every Briefer file); ``check_book`` then reads
every tab's memo and reports each problem at the book's own line, with the tab named.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefer.core import markings
from briefer.core.cards import BOOK_SUFFIX, CardLibrary
from briefer.core.memos import Memo, TextDumper, read_memo
from briefer.core.problems import Problem, display_path
from briefer.core.rules import check_memo, memo_level
from briefer.core.schema import CURRENT_FORMAT, Reader
from briefer.core.session import FileSession
from briefer.core.storage import atomic_write_text, fingerprint
from briefer.core.templates import TemplateSet
from briefer.core.yamlio import Node, YamlFileError, load_file, parse_text

BOOK_KEYS_REQUIRED = ("title", "tabs")
BOOK_KEYS_OPTIONAL = ("format", "subtitle", "date", "prepared_by", "marking", "draft", "dividers")
TAB_KEYS_REQUIRED = ("memo",)
TAB_KEYS_OPTIONAL = ("title",)


@dataclass
class BookTab:
    """One tab: the memo file (as written in the book) and an optional title."""

    memo: str
    title: str | None = None
    line: int = 0

    def path(self, book_path: Path | None) -> Path:
        """The memo file, relative to the book's folder."""
        written = Path(self.memo).expanduser()
        if written.is_absolute() or book_path is None:
            return written
        return book_path.parent / written


@dataclass
class Book:
    """A briefing book: cover fields, banner floor, draft mode and its tabs in order."""

    title: str
    tabs: list[BookTab] = field(default_factory=list)
    subtitle: str = ""
    date: str = ""
    prepared_by: str = ""
    marking: str | None = None
    draft: bool = False
    dividers: bool = True
    path: Path | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass
class LoadedTab:
    """A tab with its memo read (``memo`` None when it could not be)."""

    number: int
    tab: BookTab
    path: Path
    memo: Memo | None
    title: str


def read_book(path: Path) -> tuple[Book | None, list[Problem]]:
    """Read a book file; ``None`` with problems when its shape is wrong."""
    try:
        root = load_file(path)
    except YamlFileError as exc:
        return None, exc.problems
    return _book_from_node(root, display_path(path), path)


def parse_book(text: str, shown: str = "<book>") -> tuple[Book | None, list[Problem]]:
    """Parse book text that has not been saved (autosave, tests)."""
    try:
        root = parse_text(text, shown)
    except YamlFileError as exc:
        return None, exc.problems
    return _book_from_node(root, shown, None)


def _book_from_node(
    root: Node | None, shown: str, path: Path | None
) -> tuple[Book | None, list[Problem]]:
    reader = Reader(shown)
    top = reader.mapping(root, "a book", required=BOOK_KEYS_REQUIRED, optional=BOOK_KEYS_OPTIONAL)
    if top is None or not reader.format_version(top, "book"):
        return None, reader.problems
    book = Book(title=reader.text(top, "title", "the book", required=True), path=path)
    book.subtitle = reader.text(top, "subtitle", "the book")
    book.prepared_by = reader.text(top, "prepared_by", "the book")
    book.date = reader.text(top, "date", "the book")  # as written: 2023-07-16, July 2023
    marking = reader.text(top, "marking", "the book")
    if marking and marking not in markings.CODES:
        reader.error(
            top.values["marking"],
            f"unknown marking {marking!r} in the book; allowed, lowest to highest: "
            f"{', '.join(markings.CODES)}",
        )
        marking = ""
    book.marking = marking or None
    book.draft = reader.boolean(top, "draft", "the book", False)
    book.dividers = reader.boolean(top, "dividers", "the book", True)
    for key, node in top.values.items():
        book.lines[key] = node.line
    tabs = reader.seq(top, "tabs", "the book", required=True)
    for index, node in enumerate(tabs, start=1):
        entry = reader.mapping(
            node, f"tab {index}", required=TAB_KEYS_REQUIRED, optional=TAB_KEYS_OPTIONAL
        )
        if entry is None:
            continue
        memo = reader.text(entry, "memo", f"tab {index}", required=True)
        title = reader.text(entry, "title", f"tab {index}") or None
        if memo:
            book.tabs.append(BookTab(memo, title, node.line))
    errors = [p for p in reader.problems if p.is_error]
    return (None if errors else book), reader.problems


def load_tabs(book: Book) -> tuple[list[LoadedTab], list[Problem]]:
    """Read every tab's memo. Each problem is reported at the tab's line in the book, with
    the memo's own file and line, and the tab named."""
    shown = display_path(book.path) if book.path else "<book>"
    loaded: list[LoadedTab] = []
    problems: list[Problem] = []
    for number, tab in enumerate(book.tabs, start=1):
        path = tab.path(book.path)
        name = f"tab {number} ({tab.memo})"
        memo: Memo | None = None
        if not path.is_file():
            why = (
                "is not a memo file (a folder, pipe or device)"
                if _exists(path)
                else "does not exist; check the path (it is relative to the book's folder)"
            )
            problems.append(Problem(shown, tab.line, 1, f"{name}: {display_path(path)} {why}"))
        else:
            memo, read_problems = read_memo(path)
            for problem in read_problems:
                problems.append(_in_tab(shown, tab.line, name, problem))
            if any(p.is_error for p in read_problems):
                memo = None
        subject = memo.header.get("subject") or memo.header.get("event", "") if memo else ""
        title = tab.title or subject
        loaded.append(LoadedTab(number, tab, path, memo, title or Path(tab.memo).name))
    return loaded, problems


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name the system cannot take (a NUL in it, say)
        return False


def _in_tab(shown: str, line: int, name: str, problem: Problem) -> Problem:
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return Problem(shown, line, 1, f"{name}: {where}: {problem.message}", problem.severity)


def check_book(
    book: Book, library: CardLibrary, templates: TemplateSet
) -> tuple[list[LoadedTab], list[Problem]]:
    """Read every tab and run each memo's checks; all problems in one list."""
    shown = display_path(book.path) if book.path else "<book>"
    loaded, problems = load_tabs(book)
    for item in loaded:
        if item.memo is None:
            continue
        name = f"tab {item.number} ({item.tab.memo})"
        for problem in check_memo(item.memo, library, templates):
            problems.append(_in_tab(shown, item.tab.line, name, problem))
    return loaded, problems


def book_level(book: Book, tabs: list[LoadedTab], library: CardLibrary) -> str:
    """The book's marking: the highest of its own and every tab's (never lowered)."""
    codes = [book.marking or markings.LOWEST]
    codes += [memo_level(t.memo, library) for t in tabs if t.memo is not None]
    return markings.highest(codes)


def draft_stamp(now: dt.datetime) -> str:
    """The line a draft book prints on every page."""
    return f"Draft printed {now:%Y-%m-%d %H:%M}"


def book_to_yaml(book: Book) -> str:
    """The book as YAML, keys in the documented order (what Save writes)."""
    data: dict[str, object] = {"format": CURRENT_FORMAT, "title": book.title}
    for key in ("subtitle", "date", "prepared_by"):
        value = getattr(book, key)
        if value:
            data[key] = value
    if book.marking:
        data["marking"] = book.marking
    if book.draft:
        data["draft"] = True
    if not book.dividers:
        data["dividers"] = False
    tabs: list[dict[str, str]] = []
    for tab in book.tabs:
        entry = {"memo": tab.memo}
        if tab.title:
            entry["title"] = tab.title
        tabs.append(entry)
    data["tabs"] = tabs
    return yaml.dump(data, Dumper=TextDumper, sort_keys=False, allow_unicode=True, width=100)


def save_book(book: Book, path: Path) -> None:
    """Write a book file atomically."""
    atomic_write_text(path, book_to_yaml(book))


def book_file_name(name: str) -> str:
    """A file name that ends in ``.book.yaml``, as the open and save dialogs expect."""
    return name if name.endswith(BOOK_SUFFIX) else name.removesuffix(".yaml") + BOOK_SUFFIX


def relative_memo(memo: Path, book_path: Path | None) -> str:
    """How a book names a memo: relative to the book's folder when it can be."""
    if book_path is None:
        return str(memo)
    try:
        return Path(os.path.relpath(memo, book_path.parent)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(memo)


class BookSession(FileSession):
    """The book being edited, its file and the lock on it (as a memo's session)."""

    kind = "book"
    untitled = "Untitled book"

    def __init__(self, book: Book, path: Path | None = None, seen: str | None = None) -> None:
        super().__init__(path, seen)
        self.book = book

    def _text(self) -> str:
        return book_to_yaml(self.book)

    def reload(self) -> list[Problem]:
        """Read the file again; on success the book is replaced. Problems when it cannot be."""
        assert self.path is not None
        seen = fingerprint(self.path)
        book, problems = read_book(self.path)
        if book is None:
            return problems or [Problem(display_path(self.path), 1, 1, "it cannot be read")]
        self.book, self.fingerprint = book, seen
        return []

    def _saved_as(self, target: Path) -> None:
        # Tabs are written relative to the book: saving elsewhere keeps them pointing at the
        # same memo files.
        old = self.book.path
        for tab in self.book.tabs:
            tab.memo = relative_memo(tab.path(old).resolve(), target)
        self.book.path = target

    def _write(self, target: Path) -> str:
        old = self.book.path
        before = [tab.memo for tab in self.book.tabs]
        for tab in self.book.tabs:
            tab.memo = relative_memo(tab.path(old).resolve(), target)
        try:
            return super()._write(target)
        finally:
            for tab, memo in zip(self.book.tabs, before, strict=True):
                tab.memo = memo  # _saved_as makes it so, once the write succeeded
