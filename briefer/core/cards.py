"""Cards and the card library: loading ``content/**/*.yaml`` with every problem reported."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.core import markings, rules
from briefer.core.problems import Problem, display_path
from briefer.core.rules import CARD_KINDS
from briefer.core.schema import Reader
from briefer.core.storage import blake2b, digest, find_files
from briefer.core.yamlio import (
    Map,
    Node,
    Scalar,
    Seq,
    YamlFileError,
    decode_utf8,
    parse_text,
    read_bytes,
    read_text,
)

__all__ = ["CARD_KINDS", "Card", "CardLibrary", "Origin", "Source"]

CARD_KEYS_REQUIRED = ("id", "kind", "title", "body", "marking")
CARD_KEYS_OPTIONAL = ("short", "strategy", "tags", "sources", "as_of", "reviewed", "review_by")
SOURCE_KEYS_REQUIRED = ("title",)
SOURCE_KEYS_OPTIONAL = ("author", "publisher", "date", "url")
if TYPE_CHECKING:
    from briefer.core.cardcache import ParseCache

MEMO_SUFFIX = ".brief.yaml"
BOOK_SUFFIX = ".book.yaml"  # briefing books (core/books.py): never read as card files


@dataclass(frozen=True)
class Source:
    """Where a card's content comes from. Only what the document itself shows is filled in."""

    title: str
    author: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""

    def citation(self) -> str:
        """One line for a sources list: author, title, publisher, date, URL."""
        parts = [p for p in (self.author, self.title, self.publisher, self.date) if p]
        # "Title?. Publisher" reads wrong: a part ending in . ? or ! takes no extra period.
        text = " ".join(p if p[-1] in ".?!" else p + "." for p in parts)
        if self.url:
            text += f" {self.url}"
        return text


@dataclass(frozen=True)
class Origin:
    """Where a card was read from: its file, the line of its entry and of each value."""

    path: Path
    line: int
    fields: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False)

    def at(self, key: str) -> tuple[int, int]:
        """Line and column of a field's value (``strategy.0`` for a list item)."""
        return self.fields.get(key, (self.line, 1))


@dataclass
class Card:
    """One piece of a briefing: a strategy, an initiative, a benefit, a quote and so on."""

    id: str
    kind: str
    title: str
    body: str
    marking: str = markings.LOWEST
    # One sentence for where a template shows a card short (a recommendation line, say).
    short: str = ""
    strategy: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: str = ""
    # When the card's facts hold (a date or year as the source gives it), and when it
    # should next be reviewed; both optional.
    as_of: str = ""
    review_by: str = ""
    origin: Origin | None = field(default=None, compare=False)

    def version(self) -> str:
        """A short fingerprint of what the card says (kind, wording, marking, sources): a
        memo item records it, so a later change in the library can be shown."""
        parts = [self.kind, self.title, self.short, self.body, self.marking]
        parts += [repr(sorted(vars(s).items())) for s in self.sources]
        return blake2b("\x1f".join(parts).encode("utf-8"), digest_size=5).hexdigest()

    def search_text(self) -> str:
        """Casefolded title, short form, body and tags, every run of white space one
        space (so a phrase is found across a line break): what the search matches."""
        text = " ".join((self.title, self.short, self.body, " ".join(self.tags)))
        return " ".join(text.split()).casefold()


@dataclass
class CardLibrary:
    """All cards from one or more library folders, by id, with the problems found loading them."""

    cards: dict[str, Card] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cards)

    def get(self, card_id: str) -> Card | None:
        return self.cards.get(card_id)

    def of_kind(self, kind: str) -> list[Card]:
        return [c for c in self.cards.values() if c.kind == kind]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def read_card_file(path: Path) -> tuple[list[Card], list[Problem]]:
    """Read one card file. Bad cards are reported and left out; good ones are kept."""
    try:
        text = read_text(path)
    except YamlFileError as exc:
        return [], exc.problems
    return read_card_text(text, path)


def read_card_text(text: str, path: Path) -> tuple[list[Card], list[Problem]]:
    """The cards in a card file's text (already decoded), as if read from ``path``."""
    shown = display_path(path)
    try:
        root = parse_text(text, shown)
    except YamlFileError as exc:
        return [], exc.problems
    reader = Reader(shown)
    top = reader.mapping(root, "a card file", required=("cards",), optional=("format",))
    if top is None or not reader.format_version(top, "card file"):
        return [], reader.problems
    cards = []
    first_at: dict[str, int] = {}  # every entry's id, valid or not: duplicates in one run
    for node in reader.seq(top, "cards", "a card file"):  # an empty file is fine
        card = _read_card(reader, node, path)
        id_node = node.values.get("id") if isinstance(node, Map) else None
        card_id = id_node.text if isinstance(id_node, Scalar) else ""
        if card_id and card_id in first_at:
            reader.error(
                id_node,
                f"duplicate card id {card_id!r}: already used at line {first_at[card_id]} of "
                "this file; give one of them a new id",
            )
            continue
        if card_id:
            first_at[card_id] = node.line
        if card is not None:
            cards.append(card)
    return cards, reader.problems


def _read_card(reader: Reader, node: Node, path: Path) -> Card | None:
    """Read the shape here; what makes the values valid is asked of ``rules``."""
    before = len(reader.problems)
    entry = reader.mapping(node, "a card", required=CARD_KEYS_REQUIRED, optional=CARD_KEYS_OPTIONAL)
    if entry is None:
        return None
    card_id = reader.text(entry, "id", "a card")
    what = f"card {card_id!r}" if card_id else "a card"
    source_nodes, sources = _read_sources(reader, entry, what)
    card = Card(
        id=card_id,
        kind=reader.text(entry, "kind", what),
        title=reader.text(entry, "title", what),
        body=reader.text(entry, "body", what),
        marking=reader.text(entry, "marking", what),
        short=reader.text(entry, "short", what),
        strategy=tuple(reader.text_list(entry, "strategy", what)),
        tags=tuple(reader.text_list(entry, "tags", what)),
        sources=tuple(sources),
        reviewed=reader.text(entry, "reviewed", what),
        as_of=reader.text(entry, "as_of", what),
        review_by=reader.text(entry, "review_by", what),
        origin=Origin(path, entry.line, _positions(entry)),
    )
    for issue in rules.card_issues(card):
        name, _, index = issue.field.partition(".")
        at: Node | None = entry.values.get(name)
        if index:
            at = source_nodes[int(index)]
            if isinstance(at, Map) and "title" not in at.values:
                continue  # the reader has said the key is missing
        elif at is None and name in CARD_KEYS_REQUIRED:
            continue  # the reader has said the key is missing
        if issue.is_error:
            reader.error(at or entry, issue.message)
        else:
            reader.warning(at or entry, issue.message)
    if any(p.is_error for p in reader.problems[before:]):
        return None
    return card


def _positions(entry: Map) -> dict[str, tuple[int, int]]:
    fields = {key: (node.line, node.col) for key, node in entry.values.items()}
    links = entry.values.get("strategy")
    if isinstance(links, Seq):
        for i, item in enumerate(links.items):
            fields[f"strategy.{i}"] = (item.line, item.col)
    return fields


def _read_sources(reader: Reader, card: Map, what: str) -> tuple[list[Node], list[Source]]:
    nodes, sources = [], []
    for node in reader.seq(card, "sources", what):
        entry = reader.mapping(
            node,
            f"a source of {what}",
            required=SOURCE_KEYS_REQUIRED,
            optional=SOURCE_KEYS_OPTIONAL,
        )
        if entry is None:
            continue
        where = f"a source of {what}"
        nodes.append(node)
        sources.append(
            Source(
                title=reader.text(entry, "title", where),
                author=reader.text(entry, "author", where),
                publisher=reader.text(entry, "publisher", where),
                date=reader.text(entry, "date", where),
                url=reader.text(entry, "url", where),
            )
        )
    return nodes, sources


def card_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The card files under a folder: every ``*.yaml`` except memos and books, in a stable
    order.
    Folders that cannot be read are added to ``problems``. Anything that is not a regular
    file (a pipe, say) is listed too, so reading it reports it rather than skipping it."""
    if not folder.is_dir():
        return [folder]
    files, unreadable = find_files(folder, ".yaml", exclude=(MEMO_SUFFIX, BOOK_SUFFIX))
    if problems is not None:
        problems.extend(
            Problem(
                display_path(f), 1, 1, f"cannot read this folder ({why}); its cards are left out"
            )
            for f, why in unreadable
        )
    return files


FileCache = dict[Path, tuple[str, list[Card], list[Problem]]]
Progress = Callable[[int, int], object]
Arrived = Callable[[list[Card]], object]


def _quiet(done: int, total: int) -> None:
    """No one is told how a load goes."""


def load_library(
    folders: Sequence[Path],
    known_ids: Iterable[str] = (),
    overridable: Sequence[Path] = (),
    cache: FileCache | None = None,
    persistent: ParseCache | None = None,
    progress: Progress | None = None,
    arrived: Arrived | None = None,
) -> CardLibrary:
    """Load every card file under the folders and check ids and strategy links across them.

    ``known_ids`` are ids from elsewhere (the active library) that strategy links may name.
    A card in a later folder may replace one with the same id from an ``overridable``
    folder (the read-only bundled library): that is how a user's edited copy wins.
    With a ``cache``, a file whose bytes are unchanged (by digest) is not parsed again, so
    reading the library after one file changed costs about one file. A ``persistent``
    cache does the same across runs (core/cardcache.py). ``progress(done, total)`` is told
    of each file twice, read and then made into cards (so ``total`` is twice the files); it
    may raise to stop the load (the window does, when it closes during one). ``arrived``
    is given each file's cards as they join the library (the window shows them while the
    rest are read); the library returned is the whole truth, duplicates and links checked.
    """
    library = CardLibrary()
    paths: list[Path] = []
    for folder in folders:
        if not folder.exists():
            library.problems.append(
                Problem(display_path(folder), 1, 1, "library folder does not exist")
            )
            continue
        paths.extend(card_files(folder, library.problems))
    # Every file read and hashed first, so the persistent cache is asked once for them all.
    tell = progress or _quiet
    total = 2 * len(paths)
    reads = []
    for done, path in enumerate(paths, 1):
        reads.append(_read_digest(path))
        tell(done, total)
    # Making 100,000 cards would otherwise start the cycle collector hundreds of times over
    # a heap that only grows (half the load); it runs once, after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _read_all(library, paths, reads, cache, persistent, overridable, tell, arrived)
    finally:
        if collecting:
            gc.enable()
    check_links(library, set(known_ids))
    return library


def _read_all(
    library: CardLibrary,
    paths: list[Path],
    reads: list[tuple[str, bytes | YamlFileError]],
    cache: FileCache | None,
    persistent: ParseCache | None,
    overridable: Sequence[Path],
    tell: Progress,
    arrived: Arrived | None = None,
) -> None:
    """Each file's cards into the library: from the caches, else parsed."""
    if persistent is not None:
        persistent.prefetch(
            [
                key
                for path, (key, _) in zip(paths, reads, strict=True)
                if key and not _fresh(cache, path, key)
            ]
        )
    for done, (path, (key, data)) in enumerate(zip(paths, reads, strict=True), len(paths) + 1):
        library.files.append(path)
        cards, problems = _parse_cached(path, key, data, cache, persistent)
        library.problems.extend(problems)
        for card in cards:
            _add_card(library, card, overridable)
        if arrived is not None and cards:
            arrived([card for card in cards if library.cards.get(card.id) is card])
        tell(done, 2 * len(paths))
    if persistent is not None:
        persistent.flush()


def _read_digest(path: Path) -> tuple[str, bytes | YamlFileError]:
    """A file's digest and bytes; or no digest and why it cannot be read."""
    try:
        data = read_bytes(path)
    except YamlFileError as exc:
        return "", exc
    return digest(data), data


def _fresh(cache: FileCache | None, path: Path, key: str) -> bool:
    hit = cache.get(path) if cache is not None else None
    return hit is not None and hit[0] == key


def _read_cached(
    path: Path, cache: FileCache | None, persistent: ParseCache | None = None
) -> tuple[list[Card], list[Problem]]:
    """One read of the file: its digest finds it in the caches, else its text is parsed."""
    key, data = _read_digest(path)
    return _parse_cached(path, key, data, cache, persistent)


def _parse_cached(
    path: Path,
    key: str,
    data: bytes | YamlFileError,
    cache: FileCache | None,
    persistent: ParseCache | None = None,
) -> tuple[list[Card], list[Problem]]:
    if isinstance(data, YamlFileError):
        return [], data.problems
    hit = cache.get(path) if cache is not None else None
    if hit is not None and hit[0] == key:
        return hit[1], hit[2]
    stored = persistent.get(key, path) if persistent is not None else None
    if stored is not None:
        if cache is not None:
            cache[path] = (key, *stored)
        return stored
    try:
        text = decode_utf8(data, display_path(path))
    except YamlFileError as exc:
        return [], exc.problems
    cards, problems = read_card_text(text, path)
    if cache is not None:
        cache[path] = (key, cards, problems)
    if persistent is not None:
        persistent.put(key, cards, problems)
    return cards, problems


def _add_card(library: CardLibrary, card: Card, overridable: Sequence[Path] = ()) -> None:
    first = library.cards.get(card.id)
    if first is None or (
        first.origin is not None and any(first.origin.path.is_relative_to(f) for f in overridable)
    ):
        library.cards[card.id] = card
        return
    assert card.origin is not None
    assert first.origin is not None
    line, col = card.origin.at("id")
    first_at = f"{display_path(first.origin.path)}:{first.origin.at('id')[0]}"
    library.problems.append(
        Problem(
            display_path(card.origin.path),
            line,
            col,
            f"duplicate card id {card.id!r}: already used at {first_at}; give one of them a new id",
        )
    )


def check_links(library: CardLibrary, known_ids: set[str]) -> None:
    """Report initiatives whose ``strategy`` names no strategy card."""
    for card in library.cards.values():
        for index, target in enumerate(card.strategy):
            linked = library.cards.get(target)
            if linked is None and target in known_ids:
                continue
            if linked is None or linked.kind != "strategy":
                origin = card.origin
                assert origin is not None
                reason = "no such card" if linked is None else f"it is a {linked.kind!r} card"
                strategies = ", ".join(c.id for c in library.of_kind("strategy")) or "none"
                line, col = origin.fields.get(f"strategy.{index}") or origin.at("strategy")
                library.problems.append(
                    Problem(
                        display_path(origin.path),
                        line,
                        col,
                        f"card {card.id!r} links to unknown strategy {target!r} ({reason}); "
                        f"known strategies: {strategies}",
                    )
                )
