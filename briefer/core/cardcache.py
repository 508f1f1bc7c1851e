"""A parse cache for card files, so a large library loads fast the second time.

The YAML files stay the source of truth. Each file is read in full every time and its
bytes hashed; only the parse is skipped when the cache holds the result for exactly those
bytes. The cache is one SQLite file in the user's cache folder (stdlib ``sqlite3``), its
entries JSON: nothing in it can construct objects or run code. A missing, stale, corrupt or
unreadable cache is a cache miss: the file is parsed as if there were no cache, so a broken
cache can slow a start down but never loses or hides a card.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from briefer import __version__
from briefer.core.cards import Card, Origin, Source
from briefer.core.problems import Problem, display_path

SCHEMA = 3  # bump when Card, Source, Origin or Problem change shape (3: flat positions)
VERSION = f"{SCHEMA}:{__version__}"


def default_cache_dir() -> Path | None:
    """``BRIEFER_CACHE_DIR``, else the platform's cache folder; None turns the cache off
    (``BRIEFER_CACHE_DIR=off``)."""
    chosen = os.environ.get("BRIEFER_CACHE_DIR")
    if chosen:
        return None if chosen == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return Path(base) / "briefer" if base else Path.home() / ".cache" / "briefer"


# A card as one JSON list, fields in this order (positional: a third faster to read back
# than an object per card, for 100,000 cards).
FIELDS = ("id", "kind", "title", "body", "marking", "short", "strategy", "tags", "sources")
DATES = ("reviewed", "as_of", "review_by")


def _card_data(card: Card) -> list[Any]:
    origin = card.origin
    return [
        card.id,
        card.kind,
        card.title,
        card.body,
        card.marking,
        card.short,
        list(card.strategy),
        list(card.tags),
        [[s.title, s.author, s.publisher, s.date, s.url] for s in card.sources],
        card.reviewed,
        card.as_of,
        card.review_by,
        None if origin is None else origin.line,
        # flat: name, line, col, name, line, col ... (rebuilt with zip, in C)
        None if origin is None else [x for k, (ln, c) in origin.fields.items() for x in (k, ln, c)],
    ]


def _card(data: list[Any], path: Path) -> Card:
    (
        card_id,
        kind,
        title,
        body,
        marking,
        short,
        strategy,
        tags,
        sources,
        reviewed,
        as_of,
        review_by,
        line,
        fields,
    ) = data
    if type(card_id) is not str or type(body) is not str:  # a damaged entry: a miss
        raise TypeError("not a card")
    return Card(
        card_id,
        kind,
        title,
        body,
        marking,
        short,
        tuple(strategy),
        tuple(tags),
        tuple([Source(*s) for s in sources]),
        reviewed,
        as_of,
        review_by,
        None if line is None else Origin(path, line, _Positions(fields)),
    )


class _Positions(Mapping[str, tuple[int, int]]):
    """A card's field positions as the cache keeps them (name, line, col, name, ...), made
    into a mapping only when a message first asks for one: most cards are never asked, and
    building them all was a sixth of a 100,000-card load."""

    __slots__ = ("_flat", "_map")

    def __init__(self, flat: list[Any]) -> None:
        if type(flat) is not list or len(flat) % 3:
            raise TypeError("not positions")  # a damaged entry: a miss
        self._flat = flat
        self._map: dict[str, tuple[int, int]] | None = None

    def _mapping(self) -> dict[str, tuple[int, int]]:
        if self._map is None:
            flat = self._flat
            try:
                pairs = zip(flat[1::3], flat[2::3], strict=True)
                self._map = dict(zip(flat[0::3], pairs, strict=True))
            except (TypeError, ValueError):
                self._map = {}  # (only a message's column depends on it)
        return self._map

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __repr__(self) -> str:
        return repr(self._mapping())  # as the dict a fresh read gives


_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED: another process is writing, not damage


class _SqliteCache:
    """Payloads by the digest of what they were made from, in one SQLite table; every
    failure is a miss (a file that cannot be opened or read is dropped and started again)."""

    FILE = ""
    TABLE = ""
    WAIT = 2.0  # seconds to wait for another process's write before going without
    MAX_BYTES: int | None = None  # a file grown past this is started again before a write

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / self.FILE if folder is not None else None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str]] = []
        self._rows: dict[str, tuple[str, str]] = {}  # prefetched: digest -> version, payload
        self.hits = self.misses = 0

    def _open(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.WAIT)
        try:
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.TABLE} "
                "(digest TEXT PRIMARY KEY, version TEXT NOT NULL, payload TEXT NOT NULL)"
            )
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self.path is None:
            return self._db
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)  # not a database: start again; busy or unwritable: go without
        return self._db

    def _drop(self) -> None:
        """Forget a broken cache file and start a new one (or go without this run)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.path is None:
            return
        try:
            self.path.unlink(missing_ok=True)
            self._db = self._open()
        except (sqlite3.Error, OSError):
            self.path = None

    def _failed(self, exc: Exception) -> None:
        """Opening or a query failed. A damaged file is dropped and started again; one
        another process is writing is left to it, and this run goes on without a cache."""
        if getattr(exc, "sqlite_errorcode", None) not in _BUSY:
            self._drop()
            return
        if self._db is not None:
            self._db.close()
            self._db = None
        self.path = None

    def prefetch(self, keys: list[str]) -> None:
        """Ask for many entries at once (one query per 500): what ``get`` will want."""
        db = self._connect()
        if db is None:
            return
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = (
                    f"SELECT digest, version, payload FROM {self.TABLE} WHERE digest IN ({marks})"
                )
                for digest, version, payload in db.execute(query, chunk):
                    self._rows[digest] = (version, payload)
        except sqlite3.Error as exc:
            self._rows.clear()
            self._failed(exc)

    def _payload(self, key: str, version: str) -> str | None:
        """The payload stored for ``key`` by this ``version`` of the code, else None."""
        row = self._rows.pop(key, None)
        if row is None:
            db = self._connect()
            if db is None:
                return None
            try:
                row = db.execute(
                    f"SELECT version, payload FROM {self.TABLE} WHERE digest = ?", (key,)
                ).fetchone()
            except sqlite3.Error as exc:
                self._failed(exc)
                return None
        if row is None or row[0] != version or type(row[1]) is not str:
            self.misses += 1
            return None
        return row[1]

    def _store(self, key: str, version: str, payload: str) -> None:
        if self.path is not None:
            self._pending.append((key, version, payload))

    def flush(self) -> None:
        """Write what this run made (one transaction); a failure only costs speed."""
        if not self._pending:
            return
        if self.MAX_BYTES is not None and self.path is not None:
            try:
                if self.path.stat().st_size > self.MAX_BYTES:
                    self._drop()  # what was kept longest is least likely to be wanted
            except OSError:
                pass
        db = self._connect()
        if db is None:
            self._pending.clear()
            return
        try:
            with db:
                db.executemany(
                    f"INSERT OR REPLACE INTO {self.TABLE} (digest, version, payload) "
                    "VALUES (?, ?, ?)",
                    self._pending,
                )
        except sqlite3.Error as exc:
            self._failed(exc)
        except ValueError:
            pass  # text SQLite cannot hold (a lone surrogate): those entries are not kept
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


class ParseCache(_SqliteCache):
    """Parsed card files by the digest of their bytes."""

    FILE = "cards.sqlite"
    TABLE = "files"
    # About ten times a 100,000-card library: past it (old versions of files that keep
    # changing, folders long gone), one start reads every file again and the cache refills.
    MAX_BYTES = 512 * 1024 * 1024

    def get(self, key: str, path: Path) -> tuple[list[Card], list[Problem]] | None:
        """The cards and problems of a file whose bytes hash to ``key``, as if read from
        ``path``; None when the cache does not have them (or cannot be trusted)."""
        payload = self._payload(key, VERSION)
        if payload is None:
            return None
        try:
            data = json.loads(payload)
            cards = [_card(c, path) for c in data["cards"]]
            shown = display_path(path) if data["problems"] else ""
            problems = [Problem(shown, p[0], p[1], p[2], p[3]) for p in data["problems"]]
        except (ValueError, KeyError, TypeError, IndexError):
            self.misses += 1
            return None  # a damaged entry: parse the file
        self.hits += 1
        return cards, problems

    def put(self, key: str, cards: list[Card], problems: list[Problem]) -> None:
        if self.path is None:
            return
        payload = {
            "cards": [_card_data(c) for c in cards],
            "problems": [[p.line, p.col, p.message, p.severity] for p in problems],
        }
        self._store(key, VERSION, json.dumps(payload, ensure_ascii=False))


class TextCache(_SqliteCache):
    """Card and memo text as the composer parsed it, by the digest of the text, so a
    one-off export of text it has seen before need not load the Markdown parser. What a
    payload holds, and which code made it (``version``), is the composer's business."""

    FILE = "texts.sqlite"
    TABLE = "texts"
    MAX_BYTES = 32 * 1024 * 1024  # every text a team exports over the years adds a row

    def get(self, key: str, version: str) -> str | None:
        """The payload stored for ``key`` by ``version``; the caller counts a hit once it
        has checked the payload."""
        return self._payload(key, version)

    def put(self, key: str, version: str, payload: str) -> None:
        self._store(key, version, payload)
