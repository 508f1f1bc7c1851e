"""The fonts Briefer embeds in PDFs, and splitting text between them by coverage.

Liberation Serif and Sans (SIL Open Font License) have the metrics of Times New Roman and
Arial. Chinese beside serif text is set in AR PL UMing (a Ming/Song serif; Arphic Public
License), a subset of about 9,200 characters made by ``packaging/make_cjk_serif.py``; what
it lacks, and Chinese, Japanese and Korean beside sans-serif text, in Droid Sans Fallback
(Apache 2.0). All are TrueType, which reportlab embeds as subsets (it refuses the PostScript
outlines of Noto CJK). All ship in ``briefer/fonts``.
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
CJK_SERIF = "BrieferCJKSerif"
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


def _register_whole(name: str, file: str) -> frozenset[int]:
    """Register a single-face font (once) for all four styles; the code points it covers."""
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


@functools.cache
def fallback_coverage() -> frozenset[int]:
    """Register the CJK fallback font (once) and return the code points it covers."""
    return _register_whole(FALLBACK, "DroidSansFallbackFull.ttf")


@functools.cache
def cjk_serif_coverage() -> frozenset[int]:
    """Register the serif Chinese font (once) and return the code points it covers."""
    return _register_whole(CJK_SERIF, "ARPLUMingCN-Subset.ttf")


def split_by_font(text: str, main: frozenset[int], serif: bool = True) -> list[tuple[str, str]]:
    """Split text into ``(piece, font)`` pieces by which font has the glyphs: ``""`` for
    the main font, else the registered name of the CJK font to use (a serif one beside
    serif text, where it has the character)."""
    if all(ord(c) in main for c in text):
        return [(text, "")]
    fallback = fallback_coverage()
    serif_cover = cjk_serif_coverage() if serif else frozenset()
    pieces: list[tuple[str, str]] = []
    for char in text:
        code = ord(char)
        if code in main:
            font = ""
        elif code in serif_cover:
            font = CJK_SERIF
        elif code in fallback:
            font = FALLBACK
        else:
            font = ""
        if pieces and pieces[-1][1] == font:
            pieces[-1] = (pieces[-1][0] + char, font)
        else:
            pieces.append((char, font))
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


# Kinsoku: characters that may not start a line. reportlab's own list lacks the full-width
# comma and its kin, so a line could begin with "，"; these are added to it (used by
# reportlab's CJK line breaking, which every paragraph holding CJK text gets).
CANNOT_START = (
    "\uff0c\uff0e\uff1b\uff1a\uff1f\uff01\uff09"  # ，．；：？！）
    "\u300b\u3009\u300d\u300f\u3011\u3015\u2026\uff05\u00b7"  # 》〉」』】〕…％·
)
