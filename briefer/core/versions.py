"""The card versions memos were built from, kept on this computer so a change can be shown.

A memo file records only a short fingerprint of the card each item was built from
(``Card.version``). To show what changed since, the window keeps the wording of every
version it has seen, one small JSON file per fingerprint, in the user's data folder. A
version that is not here (a memo written on another computer) cannot be shown; the window
says so and offers only what does not need it.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from briefer.core.cards import Card
from briefer.core.storage import atomic_write_text

_VERSION = re.compile(r"^[0-9a-f]{10}$")


@dataclass(frozen=True)
class CardWording:
    """What a version of a card said."""

    title: str
    short: str
    body: str
    marking: str


class CardVersions:
    """Fingerprint -> wording, one file each; never raises on a damaged or missing file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, version: str) -> Path | None:
        return self.folder / f"{version}.json" if _VERSION.match(version) else None

    def keep(self, card: Card) -> None:
        """Remember the wording of the card as it is now (once per version)."""
        path = self._path(card.version())
        if path is None or path.exists():
            return
        data = {
            "title": card.title,
            "short": card.short,
            "body": card.body,
            "marking": card.marking,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(data, ensure_ascii=False), backup=False)
        except OSError:
            pass  # only the comparison is lost, never the user's work

    def get(self, version: str) -> CardWording | None:
        path = self._path(version)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CardWording(
                str(data["title"]), str(data["short"]), str(data["body"]), str(data["marking"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(op, text)`` pieces, op ``equal``, ``delete`` or ``insert``, word by word (white
    space kept with the word before it), for showing one wording against another."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces
