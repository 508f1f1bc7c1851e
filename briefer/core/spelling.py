"""Spell checking, offline: pyspellchecker's English word list, Briefer's policy words and
the user's own dictionary (a text file, one word per line, written atomically).

Words in capitals (acronyms such as UNFCCC), words with digits (COP28) and one-letter words
are never reported; a possessive ('s) is checked without it; hyphenated words part by part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.core import storage

if TYPE_CHECKING:
    from spellchecker import SpellChecker

BUNDLED_WORDS = Path(__file__).resolve().parent.parent / "dictionary" / "briefer-words.txt"
# Letters, with apostrophes inside (don't, Xie's); digits glued on make it a code, not a word.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Web and mail addresses are not words.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
MAX_SUGGESTIONS = 6


@dataclass(frozen=True)
class Misspelling:
    """A word not in any dictionary, at ``start`` (characters) in the text checked."""

    start: int
    word: str

    @property
    def end(self) -> int:
        return self.start + len(self.word)


def _is_latin(word: str) -> bool:
    return all(ch.isascii() or ch in "’éèêëàâäôöûüùïîçñáíóú" for ch in word.lower())


def read_word_list(path: Path) -> set[str]:
    """The words of a list file, lower-cased; a missing file is an empty list."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return set()
    return {
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


@cache
def _english() -> SpellChecker:
    """pyspellchecker's English list plus Briefer's words (0.2 s to load; once a process)."""
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en", distance=1, case_sensitive=False)
    # Known to the checker, so they are offered as corrections too (Sunylands).
    checker.word_frequency.load_words(sorted(read_word_list(BUNDLED_WORDS)))
    return checker


class Speller:
    """Checks words against the English list, Briefer's words and the user's dictionary."""

    def __init__(self, user_dictionary: Path | None = None) -> None:
        self._checker = _english()
        self.user_dictionary = user_dictionary
        self._user = read_word_list(user_dictionary) if user_dictionary else set()
        self._ignored: set[str] = set()
        self._known_cache: dict[str, bool] = {}

    def is_known(self, word: str) -> bool:
        key = _POSSESSIVE.sub("", word).replace("’", "'").lower()
        known = self._known_cache.get(key)
        if known is None:
            known = (
                key in self._user
                or key in self._ignored
                or not _is_latin(key)  # Chinese and other scripts: not this list's business
                or key in self._checker
            )
            self._known_cache[key] = known
        return known

    def words(self, text: str) -> Iterator[Misspelling]:
        """Every word of ``text`` the checker would look at, with its position."""
        addresses = [m.span() for m in _ADDRESS.finditer(text)]
        for match in _WORD.finditer(text):
            start, end = match.span()
            if any(a <= start < b for a, b in addresses):
                continue
            if (start and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit()):
                continue
            yield Misspelling(start, match.group())

    def misspelled(self, text: str) -> list[Misspelling]:
        """The words of ``text`` that no dictionary knows."""
        return [
            m
            for m in self.words(text)
            if len(m.word) > 1 and not m.word.isupper() and not self.is_known(m.word)
        ]

    def at(self, text: str, position: int) -> Misspelling | None:
        """The misspelled word at ``position`` (a cursor inside or just after it), if any."""
        for miss in self.misspelled(text):
            if miss.start <= position <= miss.end:
                return miss
        return None

    def suggestions(self, word: str) -> list[str]:
        """Likely corrections, most common first, in the word's own capitalisation."""
        lower = word.lower()
        found = self._checker.candidates(lower) or set()
        if found == {lower} and len(lower) <= 8:  # nothing one edit away: try two (short
            self._checker.distance = 2  # words only; a long one takes a second)
            try:
                found = self._checker.candidates(lower) or set()
            finally:
                self._checker.distance = 1
        found.discard(lower)
        ranked = sorted(found, key=lambda w: (-self._checker.word_usage_frequency(w), w))
        return [_same_case(word, w) for w in ranked[:MAX_SUGGESTIONS]]

    def add(self, word: str) -> None:
        """Add a word to the user's dictionary, on disk at once (atomic write)."""
        key = word.replace("’", "'").lower()
        self._user.add(key)
        self._known_cache.pop(key, None)
        if self.user_dictionary is not None:
            self.user_dictionary.parent.mkdir(parents=True, exist_ok=True)
            lines = "".join(f"{w}\n" for w in sorted(self._user))
            storage.atomic_write_text(self.user_dictionary, lines, backup=False)

    def ignore(self, word: str) -> None:
        """Accept a word until Briefer closes, without adding it to the dictionary."""
        key = word.replace("’", "'").lower()
        self._ignored.add(key)
        self._known_cache.pop(key, None)


def _same_case(original: str, word: str) -> str:
    if original.isupper():
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
