"""The recovery folder: unsaved work written aside, so a crash or kill -9 loses nothing.

Each entry is two files: ``KEY.yaml`` (the memo file's text, or a card draft as JSON) and
``KEY.json`` (what it is, where it belongs, when it was written, and by which process).
Both are written atomically; the JSON last, so an entry is complete whenever it is listed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from briefer.core.cards import Card, Source
from briefer.core.locks import Owner
from briefer.core.storage import atomic_write_text

KINDS = ("memo", "card", "book")


@dataclass(frozen=True)
class RecoveryEntry:
    """One piece of unsaved work in the recovery folder."""

    key: str
    kind: str  # "memo", "card" or "book"
    title: str  # what the user calls it: the memo's file name or the card's title
    original: str  # the file it belongs to ("" for a memo never saved)
    card_id: str  # for a card: the id it had when the edit began ("" for a new card)
    saved_at: str  # ISO time of the last write
    based_on: str  # fingerprint of the file the memo was read from ("" if none)
    owner: Owner
    folder: Path

    @property
    def content_path(self) -> Path:
        return self.folder / f"{self.key}.yaml"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.key}.json"

    def describe(self) -> str:
        when = self.saved_at.replace("T", " ")
        if self.kind in ("memo", "book"):
            where = self.original or "never saved"
            return f"{self.kind.title()} “{self.title}” ({where}), autosaved {when}"
        return f"Card “{self.title}” (unsaved edit), autosaved {when}"


class RecoveryStore:
    """Writes, lists and removes recovery entries in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def write(
        self,
        key: str,
        kind: str,
        title: str,
        text: str,
        original: str = "",
        card_id: str = "",
        based_on: str = "",
    ) -> RecoveryEntry:
        assert kind in KINDS
        self.folder.mkdir(parents=True, exist_ok=True)
        entry = RecoveryEntry(
            key=key,
            kind=kind,
            title=title,
            original=original,
            card_id=card_id,
            saved_at=dt.datetime.now().isoformat(timespec="seconds"),
            based_on=based_on,
            owner=Owner.me(),
            folder=self.folder,
        )
        atomic_write_text(entry.content_path, text, backup=False)
        meta = {k: v for k, v in asdict(entry).items() if k not in ("folder", "owner")}
        meta["owner"] = asdict(entry.owner)
        atomic_write_text(entry.meta_path, json.dumps(meta, indent=1), backup=False)
        return entry

    def remove(self, key: str) -> None:
        for suffix in (".json", ".yaml"):
            with contextlib.suppress(OSError):
                (self.folder / f"{key}{suffix}").unlink()

    def entries(self) -> list[RecoveryEntry]:
        """Every complete entry, oldest first. Unreadable leftovers are skipped."""
        if not self.folder.is_dir():
            return []
        found = []
        for meta in sorted(self.folder.glob("*.json")):
            entry = self._read(meta)
            if entry is not None and entry.content_path.is_file():
                found.append(entry)
        return sorted(found, key=lambda e: e.saved_at)

    def orphaned(self) -> list[RecoveryEntry]:
        """Entries whose process is gone: the work of a Briefer that crashed or was killed."""
        return [e for e in self.entries() if not e.owner.is_me and e.owner.is_stale]

    def _read(self, meta: Path) -> RecoveryEntry | None:
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            who = data["owner"]
            owner = Owner(
                int(who["pid"]),
                str(who["host"]),
                str(who.get("user", "")),
                str(who.get("since", "")),
                str(who.get("started", "")),
            )
            kind = str(data["kind"])
            if kind not in KINDS:
                return None
            return RecoveryEntry(
                key=meta.stem,
                kind=kind,
                title=str(data["title"]),
                original=str(data["original"]),
                card_id=str(data.get("card_id", "")),
                saved_at=str(data["saved_at"]),
                based_on=str(data.get("based_on", "")),
                owner=owner,
                folder=self.folder,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


CARD_TEXT_FIELDS = ("id", "kind", "title", "body", "marking", "reviewed")


def card_draft_text(card: Card) -> str:
    """A card being edited, as JSON: unlike a card file, a draft may be incomplete."""
    data: dict[str, object] = {name: getattr(card, name) for name in CARD_TEXT_FIELDS}
    data["strategy"] = list(card.strategy)
    data["tags"] = list(card.tags)
    data["sources"] = [asdict(s) for s in card.sources]
    return json.dumps(data, ensure_ascii=False, indent=1)


def card_from_draft(text: str) -> Card:
    """Read a draft back; only strings and lists of strings are accepted (ValueError)."""
    data = json.loads(text)

    def texts(value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of texts")
        return tuple(value)

    if not isinstance(data, dict) or not all(
        isinstance(data.get(k, ""), str) for k in CARD_TEXT_FIELDS
    ):
        raise ValueError("not a card draft")
    sources = []
    for entry in data.get("sources", []):
        if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
            raise ValueError("a source is not a set of texts")
        sources.append(Source(**{k: v for k, v in entry.items() if k in Source.__annotations__}))
    return Card(
        **{k: data.get(k, "") for k in CARD_TEXT_FIELDS},
        strategy=texts(data.get("strategy", [])),
        tags=texts(data.get("tags", [])),
        sources=tuple(sources),
    )
