"""The fonts Briefer embeds in PDFs, and splitting text between them by coverage.

Liberation Serif and Sans (SIL Open Font License) have the metrics of Times New Roman and
Arial. Droid Sans Fallback (Apache 2.0) covers Chinese, Japanese and Korean; it is a
TrueType font, which reportlab can embed as a subset (it refuses Noto CJK's PostScript
outlines). All ship in ``briefer/fonts``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefer.core.templates import FONT_FAMILIES

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
FALLBACK = "BrieferCJK"
_FILES = {
    "serif": "LiberationSerif",
    "sans": "LiberationSans",
}
_STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


@dataclass(frozen=True)
class PdfFamily:
    """Registered reportlab font names for one family."""

    generic: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int]

    def need_italics(self) -> None:
        """Register the italic faces (only memos that use italics pay to parse them)."""
        _register(self.italic, self.generic, "Italic")
        _register(self.bold_italic, self.generic, "BoldItalic")


def _register(name: str, generic: str, style: str) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        path = FONT_DIR / f"{_FILES[generic]}-{style}.ttf"
        pdfmetrics.registerFont(TTFont(name, str(path)))


@functools.cache
def pdf_family(family: str) -> PdfFamily:
    """Register (once) the regular and bold embedded fonts standing in for a family."""
    generic = FONT_FAMILIES.get(family, "serif")
    names = {suffix: f"Briefer-{generic}{suffix}" for suffix in _STYLES}
    _register(names[""], generic, "Regular")
    _register(names["-Bold"], generic, "Bold")
    regular = names[""]
    addMapping(regular, 0, 0, names[""])
    addMapping(regular, 1, 0, names["-Bold"])
    addMapping(regular, 0, 1, names["-Italic"])
    addMapping(regular, 1, 1, names["-BoldItalic"])
    font = pdfmetrics.getFont(regular)
    coverage = frozenset(font.face.charToGlyph)
    return PdfFamily(
        generic, regular, names["-Bold"], names["-Italic"], names["-BoldItalic"], coverage
    )


@functools.cache
def fallback_coverage() -> frozenset[int]:
    """Register the CJK fallback font (once) and return the code points it covers."""
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FALLBACK, str(FONT_DIR / "DroidSansFallbackFull.ttf")))
        addMapping(FALLBACK, 0, 0, FALLBACK)
        addMapping(FALLBACK, 1, 0, FALLBACK)
        addMapping(FALLBACK, 0, 1, FALLBACK)
        addMapping(FALLBACK, 1, 1, FALLBACK)
    return frozenset(pdfmetrics.getFont(FALLBACK).face.charToGlyph)


def split_by_font(text: str, main: frozenset[int]) -> list[tuple[str, bool]]:
    """Split text into ``(piece, use_fallback)`` pieces by which font has the glyphs."""
    pieces: list[tuple[str, bool]] = []
    if all(ord(c) in main for c in text):
        return [(text, False)]
    fallback = fallback_coverage()
    for char in text:
        code = ord(char)
        use_fallback = code not in main and code in fallback
        if pieces and pieces[-1][1] == use_fallback:
            pieces[-1] = (pieces[-1][0] + char, use_fallback)
        else:
            pieces.append((char, use_fallback))
    return pieces


def is_cjk(char: str) -> bool:
    """True for Han, kana and hangul, which break lines between any two characters."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FFFF
    )
