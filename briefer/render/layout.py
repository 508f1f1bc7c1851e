"""The measurements and glyphs both writers use, in one place, so the Word file and the PDF
cannot drift apart. Lengths are in points and scale with the template's body size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefer.core.templates import Fonts, PageSetup
from briefer.render.blocks import Block, Document, HeaderField, ListItem, Paragraph, SourceEntry

BULLETS = ("\u2022", "\u2013", "\u25e6")  # level 1, 2, 3 (then again)
ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")  # Word's names, by level
DECISION_LINE = "_" * 14  # the blank after Approve / Disapprove
DECISION_GAP = 5  # spaces between the two options
BLANK_LINE = "_" * 24  # a closing field left for the clearer to fill in
LINK_COLOUR = (0x1F, 0x4E, 0x79)
LINE_HEIGHT = 1.2  # leading, as a multiple of the font size
LANGUAGE = "en-US"  # the document language both files declare
COVER_DROP = 0.28  # a book's cover title and a tab divider start this far down the page
COVER_SCALE = 2.0  # and are set at this multiple of the heading size
# Blocks held on one page with their neighbour are at most this long (about four lines):
# a longer one may break across the page as any paragraph does, rather than leave a gap.
KEEP_CHARS = 400


def measures_for(document: Document) -> Measures:
    labels = tuple(b.label for b in document.blocks if isinstance(b, HeaderField))
    return Measures(document.page, document.fonts, labels)


def _short(block: Block) -> bool:
    """A list item, source or paragraph of at most ``KEEP_CHARS``."""
    if isinstance(block, (ListItem, Paragraph)):
        return sum(len(run.text) for run in block.runs) <= KEEP_CHARS
    if isinstance(block, SourceEntry):
        return len(block.text) + len(block.url) <= KEEP_CHARS
    return False


def kept_with_next(blocks: Sequence[Block]) -> frozenset[int]:
    """The blocks that stay on the page of the block after them, in both writers (the PDF
    holds them in one KeepTogether, Word sets keep-with-next and keep-lines-together):

    - a list's last item never stands alone at the top of a page: the item before it
      comes along (a run of list items, nested ones included, or of sources);
    - a paragraph that leads into a list never ends a page without the list's first item.

    Only blocks of at most ``KEEP_CHARS`` are held, each of the pair."""
    held = set()
    for index in range(len(blocks) - 1):
        block, after = blocks[index], blocks[index + 1]
        if not (_short(block) and _short(after)):
            continue
        kind = SourceEntry if isinstance(after, SourceEntry) else ListItem
        ends = index + 2 == len(blocks) or not isinstance(blocks[index + 2], kind)
        last_two = isinstance(block, kind) and isinstance(after, kind) and ends
        lead_in = isinstance(block, Paragraph) and isinstance(after, ListItem)
        if last_two or lead_in:
            held.add(index)
    return frozenset(held)


def link_hex() -> str:
    return "#{:02X}{:02X}{:02X}".format(*LINK_COLOUR)


def bullet(level: int) -> str:
    return BULLETS[level % len(BULLETS)]


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letters(number: int) -> str:
    """a ... z, then aa, bb ... as Word's lowerLetter counts."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def ordered_label(number: int, level: int) -> str:
    """An ordered item's number as Word prints it at that level: 1., a., i. (then again)."""
    fmt = ORDERED_FORMATS[level % len(ORDERED_FORMATS)]
    if fmt == "lowerLetter":
        return f"{_letters(number)}."
    if fmt == "lowerRoman":
        return f"{_roman(number)}."
    return f"{number}."


@dataclass(frozen=True)
class Measures:
    """Every length the writers lay out with, for one template's fonts and page."""

    page: PageSetup
    fonts: Fonts
    labels: tuple[str, ...] = ()  # the header block's labels, e.g. ("TO", "PARTICIPANTS")

    @property
    def text_width(self) -> float:
        return self.page.width - self.page.left - self.page.right

    @property
    def header_distance(self) -> float:
        """From the page's top edge to the banner line."""
        if self.page.header is not None:
            return self.page.header
        return min(self.page.top / 2, 36)

    @property
    def footer_distance(self) -> float:
        """From the page's bottom edge to the footer line."""
        if self.page.footer is not None:
            return self.page.footer
        return min(self.page.bottom / 2, 36)

    @property
    def label_width(self) -> float:
        """The header block's label column: wide enough for the longest label in bold
        capitals (``PARTICIPANTS:``), so a label never breaks, and never under 7.5 ems."""
        longest = max((len(label) + 1 for label in self.labels), default=0)
        return max(self.fonts.size * 7.5, longest * self.fonts.size * 0.78 + 6)

    @property
    def header_row_after(self) -> float:
        return self.fonts.size * 0.5

    @property
    def paragraph_after(self) -> float:
        return self.fonts.size * 0.6

    @property
    def heading_before(self) -> float:
        return self.fonts.size * 0.6

    @property
    def heading_after(self) -> float:
        return self.fonts.size * 0.4

    @property
    def title_after(self) -> float:
        return self.fonts.size * 1.2

    @property
    def list_step(self) -> float:
        """How far each list level is indented; the marker hangs this far out."""
        return self.fonts.size * 1.5

    def list_indent(self, level: int) -> float:
        return self.list_step * (level + 1)

    @property
    def list_after(self) -> float:
        return self.fonts.size * 0.3

    @property
    def source_hang(self) -> float:
        """The hanging indent of a numbered source."""
        return self.fonts.size * 1.8

    @property
    def decision_before(self) -> float:
        return self.fonts.size
