"""Which memos use a card: memo files read for their card ids only, cached by file state,
so the library's "Used in" never opens a memo in the window."""

from __future__ import annotations

import os
from pathlib import Path

from briefer.core.cards import MEMO_SUFFIX
from briefer.core.memos import read_memo
from briefer.core.storage import find_files

MAX_MEMOS = 2000  # memos scanned in one folder; a larger folder is cut, not waited on


class MemoUsage:
    """Card ids per memo file, read again only when a file's size or time changes."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}

    def card_ids(self, path: Path) -> frozenset[str]:
        try:
            stat = os.stat(path)
        except OSError:
            return frozenset()
        key = (stat.st_mtime_ns, stat.st_size)
        hit = self._cache.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        memo, _ = read_memo(path)  # never raises: a broken memo uses no card
        ids = frozenset(memo.card_ids()) if memo is not None else frozenset()
        self._cache[path] = (key, ids)
        return ids

    def memos_using(self, card_id: str, files: list[Path], folder: Path | None) -> list[Path]:
        """The memo files (given ones first, then those in ``folder`` and below) that name
        the card."""
        candidates = list(dict.fromkeys(p.absolute() for p in files))
        if folder is not None and folder.is_dir():
            found, _ = find_files(folder, MEMO_SUFFIX)
            candidates += [
                p.absolute() for p in found[:MAX_MEMOS] if p.absolute() not in candidates
            ]
        return [p for p in candidates if card_id in self.card_ids(p)]
